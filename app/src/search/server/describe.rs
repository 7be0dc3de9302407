//! Turns candidates into displayable records: one statement for their owners, one for
//! the records of every kind present (ids in `IN` lists).
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::candidates::Candidate;
use crate::domain::HitKind;
use crate::store::{by_ids, Tx};
use crate::AppError;

/// A candidate with everything ranking and display need.
#[derive(Debug, Clone)]
pub struct Described {
    pub kind: HitKind,
    pub id: i64,
    pub customer_id: i64,
    pub title: String,
    pub subtitle: String,
    pub field: &'static str,
    pub text: String,
    pub badges: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    name: String,
    email: String,
    company: String,
    crm_account_id: Option<String>,
    /// Whether an invoice of theirs is overdue.
    overdue: bool,
    /// Whether a pinned note waits on their account.
    pinned_note: bool,
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    kind: String,
    id: i64,
    /// The identifier: number, path or key.
    ident: String,
    /// Secondary searchable text (namespace name), else empty.
    alt: String,
    /// What it is, for the subtitle.
    what: String,
    /// Status-like value: subscription status, namespace trial end, license expiry.
    state: Option<String>,
}

const CUSTOMER_SQL: &str = "SELECT c.id, c.name, c.email, c.company, c.crm_account_id, \
    EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id AND i.status = 'overdue') AS overdue, \
    EXISTS (SELECT 1 FROM customer_notes n WHERE n.customer_id = c.id AND n.pinned AND n.resolved_at IS NULL) AS pinned_note \
    FROM customers c WHERE c.id";

/// Each kind's record, as one row shape (every branch names its columns: whichever
/// comes first names the union's).
const RECORD_SQL: [(HitKind, &str); 4] = [
    (HitKind::BillingAccount, "SELECT 'billing_account' AS kind, id, number AS ident, '' AS alt, currency || ' · ' || payment_terms AS what, CAST(NULL AS TEXT) AS state FROM billing_accounts WHERE id"),
    (HitKind::Subscription, "SELECT 'subscription' AS kind, id, number AS ident, '' AS alt, product || ' ' || deployment || ' · ' || seats || ' seats' AS what, status AS state FROM subscriptions WHERE id"),
    (HitKind::Namespace, "SELECT 'namespace' AS kind, id, path AS ident, name AS alt, plan AS what, CASE WHEN trial_plan IS NOT NULL THEN CAST(trial_ends_on AS TEXT) END AS state FROM namespaces WHERE id"),
    (HitKind::License, "SELECT 'license' AS kind, id, key AS ident, '' AS alt, kind AS what, CAST(expires_on AS TEXT) AS state FROM licenses WHERE id"),
];

/// Describes each candidate (one per record); drops those whose record is gone. Two
/// statements: the owners (with their overdue and note flags), and the records of
/// every kind.
pub async fn describe(
    tx: &mut Tx,
    candidates: Vec<Candidate>,
    today: NaiveDate,
) -> Result<Vec<Described>, AppError> {
    let customer_ids: Vec<i64> =
        candidates.iter().map(|c| c.customer_id).collect::<HashSet<_>>().into_iter().collect();
    let customers: HashMap<i64, CustomerRow> =
        by_ids::<CustomerRow>(tx, &[(CUSTOMER_SQL, customer_ids)])
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
    let parts: Vec<(&str, Vec<i64>)> = RECORD_SQL
        .iter()
        .map(|(kind, head)| {
            (*head, candidates.iter().filter(|c| c.kind == *kind).map(|c| c.id).collect())
        })
        .collect();
    let records: HashMap<(HitKind, i64), RecordRow> = by_ids::<RecordRow>(tx, &parts)
        .await?
        .into_iter()
        .filter_map(|r| Some(((HitKind::parse(&r.kind)?, r.id), r)))
        .collect();

    let mut out = Vec::new();
    for c in candidates {
        let Some(owner) = customers.get(&c.customer_id) else { continue };
        let mut badges = Vec::new();
        let (title, subtitle, fields): (String, String, Vec<(&'static str, String)>) =
            if c.kind == HitKind::Customer {
                let fields = vec![
                    ("name", owner.name.clone()),
                    ("email", owner.email.clone()),
                    ("company", owner.company.clone()),
                    ("crm_account_id", owner.crm_account_id.clone().unwrap_or_default()),
                    ("id", owner.id.to_string()),
                ];
                (owner.name.clone(), format!("{} · {}", owner.email, owner.company), fields)
            } else {
                let Some(r) = records.get(&(c.kind, c.id)) else { continue };
                badges.extend(record_badges(c.kind, r.state.as_deref(), today));
                let mut fields = vec![(ident_field(c.kind), r.ident.clone())];
                if c.kind == HitKind::Namespace {
                    fields.push(("name", r.alt.clone()));
                    fields.push(("id", r.id.to_string()));
                }
                (r.ident.clone(), format!("{} · {}", r.what.replace('_', " "), owner.name), fields)
            };
        if owner.overdue {
            badges.push("overdue".into());
        }
        if owner.pinned_note {
            badges.push("note".into());
        }
        // People's emails and usernames are stored lower-case, as the candidate holds
        // them; the record's own fields are shown as the record has them now.
        let text = match c.field {
            "contact_email" | "namespace_owner" => c.text,
            f => match fields.into_iter().find(|(name, _)| *name == f) {
                Some((_, value)) => value,
                None => continue,
            },
        };
        out.push(Described {
            kind: c.kind,
            id: c.id,
            customer_id: c.customer_id,
            title,
            subtitle,
            field: c.field,
            text,
            badges,
        });
    }
    Ok(out)
}

fn ident_field(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Namespace => "path",
        HitKind::License => "key",
        _ => "number",
    }
}

/// Flags from a record's state: subscription status, trial end, license expiry.
fn record_badges(kind: HitKind, state: Option<&str>, today: NaiveDate) -> Vec<String> {
    let date =
        || state.and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok());
    match kind {
        HitKind::Subscription => match state {
            Some(s @ ("expired" | "cancelled")) => vec![s.to_string()],
            _ => vec![],
        },
        HitKind::Namespace => match date() {
            Some(end) if end >= today => vec!["trial".into()],
            Some(_) => vec!["trial ended".into()],
            None => vec![],
        },
        HitKind::License => match date() {
            Some(end) if end < today => vec!["expired".into()],
            _ => vec![],
        },
        _ => vec![],
    }
}
