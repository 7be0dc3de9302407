//! A change that settles billing drift (taking the provider's value, or sending the
//! console's): the drift must be open and on the record and field the change is about;
//! the change's event clears it, and the record's older changes still waiting for the
//! provider are dropped (the newest carries the whole terms; delivering the older ones
//! first would only undo it there for a while). Every door runs this: the Drift page's
//! panels, `POST /api/v1/drift/{id}/resolve`, an approval executing either.
use crate::billing::server::{drift, outbox};
use crate::domain::{Operation, TargetType};
use crate::store::Tx;
use crate::AppError;

use super::Planned;

/// Checks that drift `id` is open and that `planned` changes its record (and, for an
/// edit, its field); remembers it on the plan.
pub async fn check(
    tx: &mut Tx,
    id: i64,
    op: &Operation,
    planned: &mut Planned,
) -> Result<(), AppError> {
    let d = match drift::get(tx, id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::field("drift_id", "No drift record has this id."))
        }
        other => other?,
    };
    if d.cleared_at.is_some() {
        return Err(AppError::Conflict(format!(
            "Drift record {id} was cleared: the two sides agree again."
        )));
    }
    let field = d.field.as_str();
    let about = planned.preview.target_type == TargetType::Subscription
        && d.record_id == Some(planned.preview.target_id)
        && match op {
            Operation::SendToBilling { field: f, .. } => *f == d.field,
            Operation::EditSubscription { .. } => {
                planned.preview.changes.iter().any(|c| c.field == field)
            }
            _ => false,
        };
    if !about {
        return Err(AppError::field(
            "drift_id",
            format!("This change does not settle drift record {id} ({field} of {}).", d.record),
        ));
    }
    planned.settles = Some(id);
    Ok(())
}

/// With the change's rows, before the integrity rules are checked again: the drift is
/// cleared (so the finding it made is resolved by the change's event).
pub async fn clear(tx: &mut Tx, planned: &Planned) -> Result<(), AppError> {
    match planned.settles {
        Some(id) => drift::clear(tx, id).await,
        None => Ok(()),
    }
}

/// Once the change's `event` is recorded: the drift names it as what cleared it, and
/// the record's older waiting changes are dropped.
pub async fn stamp(tx: &mut Tx, planned: &Planned, event: i64) -> Result<(), AppError> {
    let Some(id) = planned.settles else { return Ok(()) };
    let record = planned.preview.target_id;
    outbox::supersede(tx, crate::domain::billing::LinkedRecord::Subscription, record, event)
        .await?;
    drift::cleared_by(tx, id, event).await
}
