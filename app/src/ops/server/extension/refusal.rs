//! A temporary extension refused by policy (a failing rule, too many days) is an event
//! on the timeline, whichever door it was asked through: sales and leads see what was
//! refused and why.
use serde_json::{json, Value};

use crate::audit::{record, EventBody, FieldChanges};
use crate::domain::extension_policy as policy;
use crate::domain::{Action, OpRequest, Operation, TargetType};
use crate::error::FieldErrors;
use crate::ops::server::{rows, Actor};
use crate::store::Db;
use crate::{validate, AppError};

/// Records the refusal of `request` when `fields` hold policy refusals of an extension.
pub async fn record_if_refused(
    db: &Db,
    actor: &Actor,
    request: &OpRequest,
    fields: &FieldErrors,
) -> Result<(), AppError> {
    let Operation::TemporaryExtension { subscription_id, days, .. } = &request.op else {
        return Ok(());
    };
    let refused: FieldChanges = fields
        .iter()
        .filter(|(field, _)| {
            field.starts_with("rules.") || (field.as_str() == "days" && *days > policy::MAX_DAYS)
        })
        .map(|(field, detail)| (field.clone(), [Value::Null, json!(detail)]))
        .collect();
    if refused.is_empty() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    let sub = rows::subscription(&mut tx, *subscription_id).await?;
    let reason =
        validate::reason(&request.reason).unwrap_or_else(|_| "(no valid reason given)".into());
    record(
        &mut tx,
        EventBody {
            actor_id: actor.staff_id(),
            actor_email: actor.user.email.clone(),
            action: Action::RefuseExtension,
            target_type: TargetType::Subscription,
            target_id: sub.id,
            customer_id: Some(sub.customer_id),
            reason,
            ticket_url: None,
            changes: refused,
            source: actor.source,
            approval_id: None,
            requester: None,
            requester_verdict: None,
        },
    )
    .await?;
    Ok(tx.commit().await?)
}
