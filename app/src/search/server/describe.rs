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

/// Describes each distinct candidate; drops those whose record no longer matches. Two
/// statements: the owners (with their overdue flag), and the records of every kind; a
/// third for substring hits that only a contact or a namespace owner explains.
pub async fn describe(
    tx: &mut Tx,
    q: &str,
    candidates: Vec<Candidate>,
    today: NaiveDate,
) -> Result<Vec<Described>, AppError> {
    let mut seen = HashSet::new();
    let candidates: Vec<Candidate> =
        candidates.into_iter().filter(|c| seen.insert((c.kind, c.id))).collect();
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

    // Substring hits their own fields do not explain wait for their people (below).
    let mut out: Vec<(Described, Option<Candidate>)> = Vec::new();
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
        let matched = match &c.field {
            Some((f @ ("contact_email" | "namespace_owner"), text)) => Some((*f, text.clone())),
            Some((f, _)) => fields.iter().find(|(name, _)| name == f).cloned(),
            None => contains(fields.iter(), q),
        };
        let unexplained = (matched.is_none() && c.field.is_none()).then(|| c.clone());
        if matched.is_none() && unexplained.is_none() {
            continue;
        }
        let (field, text) = matched.unwrap_or(("", String::new()));
        let d = Described {
            kind: c.kind,
            id: c.id,
            customer_id: c.customer_id,
            title,
            subtitle,
            field,
            text,
            badges,
        };
        out.push((d, unexplained));
    }
    let waiting: Vec<Candidate> = out.iter().filter_map(|(_, c)| c.clone()).collect();
    let people = if waiting.is_empty() { HashMap::new() } else { people_of(tx, &waiting).await? };
    Ok(out
        .into_iter()
        .filter_map(|(mut d, unexplained)| {
            if unexplained.is_some() {
                (d.field, d.text) = contains(people.get(&(d.kind, d.id))?.iter(), q)?;
            }
            Some(d)
        })
        .collect())
}

/// The first of `fields` (ids aside) whose value holds `q`.
fn contains<'f>(
    fields: impl Iterator<Item = &'f (&'static str, String)>,
    q: &str,
) -> Option<(&'static str, String)> {
    fields.filter(|(name, _)| *name != "id").find(|(_, v)| v.to_lowercase().contains(q)).cloned()
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    kind: String,
    id: i64,
    field: String,
    text: String,
}

/// The contacts' emails of the customers, and the owners' usernames and emails of the
/// namespaces, that substring search found without saying which field matched (their
/// text is part of the record's search document). One statement, run only for those.
async fn people_of(
    tx: &mut Tx,
    candidates: &[Candidate],
) -> Result<HashMap<(HitKind, i64), Vec<(&'static str, String)>>, AppError> {
    let unexplained = |kind| {
        candidates.iter().filter(|c| c.kind == kind && c.field.is_none()).map(|c| c.id).collect()
    };
    let parts = [
        (
            "SELECT 'customer' AS kind, customer_id AS id, 'contact_email' AS field, email AS text FROM contacts WHERE customer_id",
            unexplained(HitKind::Customer),
        ),
        (
            "SELECT 'namespace' AS kind, namespace_id AS id, 'namespace_owner' AS field, username AS text FROM namespace_owners WHERE namespace_id",
            unexplained(HitKind::Namespace),
        ),
        (
            "SELECT 'namespace' AS kind, namespace_id AS id, 'namespace_owner' AS field, email AS text FROM namespace_owners WHERE namespace_id",
            unexplained(HitKind::Namespace),
        ),
    ];
    let mut out: HashMap<(HitKind, i64), Vec<(&'static str, String)>> = HashMap::new();
    for r in by_ids::<PersonRow>(tx, &parts).await? {
        let (Some(kind), Some(field)) = (
            HitKind::parse(&r.kind),
            ["contact_email", "namespace_owner"].into_iter().find(|f| *f == r.field),
        ) else {
            continue;
        };
        out.entry((kind, r.id)).or_default().push((field, r.text));
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
