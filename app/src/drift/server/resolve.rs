//! Fixing a drift record through the operations engine, as the staff member who asks
//! (permission, validation, approval where policy says so, one transaction with its
//! event): taking the provider's value is an edit of our record; sending the console's
//! is `subscription.send_to_billing` (a lead's approval when it changes what the
//! customer pays). The request names the drift it settles, so the engine clears it
//! with the change's event ([`crate::ops::server::settle`]), as it does for the Drift
//! page's panels.
use chrono::NaiveDate;

use super::reconcile::load;
use crate::billing::server::drift as records;
use crate::domain::drift::{DriftResolve, DriftSide};
use crate::domain::{OpRequest, Operation, Outcome};
use crate::ops::server::{execute, Actor};
use crate::state::LicenseKey;
use crate::store::Db;
use crate::AppError;

/// Resolves open drift record `id` as `actor` asks.
pub async fn resolve(
    db: &Db,
    key: &LicenseKey,
    actor: &Actor,
    id: i64,
    ask: &DriftResolve,
    today: NaiveDate,
) -> Result<Outcome, AppError> {
    let mut tx = db.begin_read().await?;
    let drift = records::get(&mut tx, id).await?;
    tx.rollback().await?;
    if drift.cleared_at.is_some() {
        return Err(AppError::Conflict(format!(
            "Drift record {id} was cleared: the two sides agree again."
        )));
    }
    let op = match ask.take {
        DriftSide::Provider => {
            let version = match drift.record_id {
                Some(record) => load(db, record).await?.version,
                None => 0,
            };
            drift.provider_edit(version).map_err(|m| AppError::field("take", m))?
        }
        DriftSide::Console => match drift.record_id {
            Some(subscription_id) if drift.field.provider_owned() => {
                Operation::SendToBilling { subscription_id, field: drift.field }
            }
            _ => {
                return Err(AppError::field(
                    "take",
                    "Only a provider-owned field of a linked subscription can be sent.",
                ))
            }
        },
    };
    let request =
        OpRequest::asked(op, ask.reason.clone(), ask.ticket_url.clone(), ask.requester.clone())
            .settling(Some(id));
    execute(db, key, actor, &request, today).await
}
