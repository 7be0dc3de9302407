//! Planning and writing a temporary extension: the eligibility rules against the
//! current records, then (in the operation's transaction) the signed license or the
//! later end date, and the extension's own row that holds "one per term".
use chrono::NaiveDate;
use serde_json::{json, Value};

use super::facts;
use super::new_license::{create, NewLicense};
use crate::audit::FieldChanges;
use crate::domain::{
    extension_policy, Change, Deployment, Operation, SubscriptionStatus, TargetType,
};
use crate::ops::server::{Actor, Planned, RowChange};
use crate::state::LicenseKey;
use crate::store::{now, Tx};
use crate::{on_tx, AppError};

/// A planned extension: what [`write`] issues.
#[derive(Debug, Clone)]
pub struct Issue {
    pub subscription_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub number: String,
    pub product: String,
    pub term_start: NaiveDate,
    pub days: i64,
    pub users_count: i64,
    pub opportunity_id: String,
    pub previous_end: NaiveDate,
    pub new_end: NaiveDate,
    /// Self-managed: the temporary license's first day.
    pub license_from: Option<NaiveDate>,
}

fn change(record: &str, field: &str, before: Value, after: Value) -> Change {
    Change { record: record.into(), field: field.into(), before, after }
}

/// Works out an extension asked for `on` against the current records; the failing
/// rules as a 422.
pub async fn plan(tx: &mut Tx, op: &Operation, on: NaiveDate) -> Result<Planned, AppError> {
    let Operation::TemporaryExtension { subscription_id, days, users_count, opportunity_id } = op
    else {
        unreachable!("planned as a temporary extension")
    };
    let eligibility =
        extension_policy::eligibility(facts::load(tx, *subscription_id, on).await?, on);
    if let Some(refusal) = eligibility.refusal() {
        return Err(refusal);
    }
    let facts = eligibility.facts;
    let sub = facts.subscription.clone();
    let previous_end = extension_policy::term_end(&facts)
        .ok_or_else(|| AppError::internal("eligible without a term end"))?;
    let new_end = extension_policy::new_end(&facts, *days, on).unwrap_or(previous_end);
    let opportunity = extension_policy::opportunity_id(opportunity_id)
        .map_err(|m| AppError::field("opportunity_id", m))?;
    let mut changes = vec![
        change("extension", "days", Value::Null, json!(days)),
        change("extension", "users_count", Value::Null, json!(users_count)),
        change("extension", "opportunity_id", Value::Null, json!(opportunity)),
    ];
    let mut rows = Vec::new();
    let license_from = if sub.deployment == Deployment::Saas {
        let mut after = sub.clone();
        after.end_date = new_end;
        after.status = SubscriptionStatus::Active;
        rows.push(RowChange::subscription(sub.clone(), after));
        changes.extend(rows.iter().flat_map(RowChange::changes));
        None
    } else {
        changes.push(change("temporary license", "users", Value::Null, json!(users_count)));
        changes.push(change("temporary license", "starts_on", Value::Null, json!(on)));
        changes.push(change(
            "temporary license",
            "expires_on",
            json!(previous_end),
            json!(new_end),
        ));
        Some(on)
    };
    let issue = Issue {
        subscription_id: sub.id,
        customer_id: sub.customer_id,
        customer_name: facts.customer_name,
        number: sub.number.clone(),
        product: sub.product.as_str().to_string(),
        term_start: sub.start_date,
        days: *days,
        users_count: *users_count,
        opportunity_id: opportunity,
        previous_end,
        new_end,
        license_from,
    };
    let target = (TargetType::Subscription, sub.id, sub.customer_id);
    Ok(Planned {
        rows,
        extension: Some(issue),
        ..Planned::issuing(op, target, changes, extension_policy::approval(*days))
    })
}

/// Issues a planned extension inside `tx` (after its row changes are saved): the
/// signed license for self-managed, and the extension's row. What the event adds.
pub async fn write(
    tx: &mut Tx,
    key: &LicenseKey,
    actor: &Actor,
    issue: &Issue,
    approval_id: Option<i64>,
) -> Result<FieldChanges, AppError> {
    let at = now();
    let mut extra = FieldChanges::new();
    let mut license_id = None;
    if let Some(starts_on) = issue.license_from {
        let license = NewLicense {
            subscription_id: issue.subscription_id,
            customer_id: issue.customer_id,
            customer_name: issue.customer_name.clone(),
            number: issue.number.clone(),
            product: issue.product.clone(),
            kind: "temporary_extension",
            users: issue.users_count,
            starts_on,
            expires_on: issue.new_end,
        };
        let (id, short_key) = create(tx, key, actor, &license).await?;
        extra.insert("temporary license.key".into(), [Value::Null, json!(short_key)]);
        license_id = Some(id);
    }
    on_tx!(tx, |c| sqlx::query(
        "INSERT INTO temporary_extensions (subscription_id, customer_id, term_start, days, users_count, opportunity_id,
            previous_end, new_end, license_id, approval_id, issued_by, issued_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    )
    .bind(issue.subscription_id)
    .bind(issue.customer_id)
    .bind(issue.term_start)
    .bind(issue.days)
    .bind(issue.users_count)
    .bind(&issue.opportunity_id)
    .bind(issue.previous_end)
    .bind(issue.new_end)
    .bind(license_id)
    .bind(approval_id)
    .bind(actor.user.id)
    .bind(at)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))
    .map_err(|e| match e.as_database_error() {
        // The unique (subscription, term) index: another extension won the race.
        Some(d) if d.is_unique_violation() => AppError::Conflict("Another temporary extension was issued for this term meanwhile.".into()),
        _ => AppError::from(e),
    })?;
    Ok(extra)
}
