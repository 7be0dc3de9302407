//! A customer's linked records side by side: each field the console and the provider
//! share, the provider's as last seen, and the drift open on it.
use std::collections::HashMap;

use crate::billing::server::drift as records;
use crate::billing::server::link::plan_id;
use crate::billing::server::{links, outbox};
use crate::domain::billing::LinkedRecord;
use crate::domain::drift::{BillingField, LinkedSide, SideBySide};
use crate::domain::Subscription;
use crate::store::Db;
use crate::AppError;

/// The customer's linked subscriptions (`subscriptions`, their links read), each field
/// on both sides. Nothing to read when none is linked.
pub async fn for_customer(
    db: &Db,
    customer_id: i64,
    subscriptions: &[Subscription],
) -> Result<Vec<LinkedSide>, AppError> {
    if subscriptions.iter().all(|s| s.billing.is_none()) {
        return Ok(Vec::new());
    }
    let seen: HashMap<i64, _> = links::seen_for_customer(db, customer_id)
        .await?
        .into_iter()
        .map(|(id, state, at)| (id, (state, at)))
        .collect();
    let drift = records::for_customer(db, customer_id).await?;
    let mut out = Vec::new();
    for s in subscriptions {
        let Some(link) = s.billing.clone() else { continue };
        let record_id = s.id;
        let theirs: HashMap<BillingField, String> = seen
            .get(&record_id)
            .map(|(state, _)| state.values().into_iter().collect())
            .unwrap_or_default();
        let terms = outbox::terms(s);
        let ours = [
            BillingField::Status,
            BillingField::Seats,
            BillingField::EndDate,
            BillingField::AutoRenew,
        ]
        .into_iter()
        .filter_map(|f| terms.value(f).map(|v| (f, v)))
        .chain([(BillingField::Product, plan_id(s.product, s.deployment))]);
        let fields = ours
            .into_iter()
            .map(|(field, console)| SideBySide {
                field,
                console,
                provider: theirs.get(&field).cloned(),
                drift: drift
                    .iter()
                    .find(|d| d.record_id == Some(record_id) && d.field == field)
                    .map(|d| (d.kind, d.first_seen)),
            })
            .collect();
        out.push(LinkedSide {
            link,
            record_type: LinkedRecord::Subscription,
            record_id,
            label: s.number.clone(),
            provider_seen_at: seen.get(&record_id).map(|(_, at)| *at),
            fields,
        });
    }
    Ok(out)
}
