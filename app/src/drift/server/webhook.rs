//! A webhook from the billing provider: its signature checked, the event stored once by
//! its id, and taken as a hint: the object it names is fetched as it is now and
//! reconciled, so duplicates, late and reordered events all come to the same state.
use chrono::NaiveDate;
use serde::Deserialize;

use super::reconcile::{Reconciler, Settled};
use crate::billing::server::{events, signature};
use crate::AppError;

/// What handling an event came to (the answer's `outcome`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Handled {
    /// Handled before: nothing done again.
    Duplicate,
    /// Not about anything the console reconciles.
    Ignored,
    /// Reconciled.
    Reconciled(Settled),
}

impl Handled {
    pub fn word(&self) -> &'static str {
        match self {
            Handled::Duplicate => "duplicate",
            Handled::Ignored => "ignored",
            Handled::Reconciled(Settled::Agreed) => "agreed",
            Handled::Reconciled(Settled::Applied(_)) => "applied",
            Handled::Reconciled(Settled::Recorded(_)) => "recorded",
            Handled::Reconciled(Settled::Waiting) => "waiting",
            Handled::Reconciled(Settled::Drift(_)) => "drift",
        }
    }
}

#[derive(Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    object: Object,
}

#[derive(Deserialize)]
struct Object {
    id: String,
    object: String,
}

/// Handles a webhook's `body` signed by `signature_header`, at Unix time `now`. A
/// refused signature is counted and logged, and changes nothing.
pub async fn receive(
    r: &Reconciler<'_>,
    signature_header: Option<&str>,
    body: &[u8],
    now: i64,
    today: NaiveDate,
) -> Result<Handled, AppError> {
    if let Err(refused) = signature::verify(signature_header, body, &r.billing.webhook_secrets, now)
    {
        let total = r.billing.reject();
        tracing::warn!(reason = %refused, refused_total = total, "billing webhook refused");
        return Err(AppError::BadRequest(format!("Webhook refused: {refused}.")));
    }
    let event: Event = serde_json::from_slice(body)
        .map_err(|_| AppError::BadRequest("Webhook refused: not an event.".into()))?;
    let provider = r.billing.provider;
    if events::store(r.db, provider, &event.id, &event.kind, &event.data.object.id).await? {
        return Ok(Handled::Duplicate);
    }
    let handled = match event.data.object.object.as_str() {
        "subscription" => {
            let why = format!("{} {}", event.kind, event.id);
            Handled::Reconciled(r.subscription_by_id(&event.data.object.id, &why, today).await?)
        }
        "invoice" => {
            let why = format!("{} {}", event.kind, event.id);
            Handled::Reconciled(r.invoice_by_id(&event.data.object.id, &why, today).await?)
        }
        _ => Handled::Ignored,
    };
    events::processed(r.db, provider, &event.id, handled.word()).await?;
    Ok(handled)
}
