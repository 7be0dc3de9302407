//! A customer's linked records side by side: each field the console and the provider
//! share, the provider's as last seen, and the drift open on it.
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::billing::server::drift as records;
use crate::billing::server::link::plan_id;
use crate::billing::server::links::{self, Seen};
use crate::billing::server::outbox;
use crate::domain::billing::{BillingLink, LinkedRecord};
use crate::domain::drift::invoice::{amount, ProviderInvoice};
use crate::domain::drift::{BillingField, Drift, LinkedSide, ProviderSubscription, SideBySide};
use crate::domain::{Invoice, Subscription};
use crate::store::Db;
use crate::AppError;

/// The customer's linked subscriptions and invoices (`subscriptions`, `invoices`, their
/// links read), each field on both sides. Nothing to read when none is linked.
pub async fn for_customer(
    db: &Db,
    customer_id: i64,
    subscriptions: &[Subscription],
    invoices: &[Invoice],
) -> Result<Vec<LinkedSide>, AppError> {
    if subscriptions.iter().all(|s| s.billing.is_none())
        && invoices.iter().all(|i| i.billing.is_none())
    {
        return Ok(Vec::new());
    }
    let seen: HashMap<(LinkedRecord, i64), Seen> = links::seen_for_customer(db, customer_id)
        .await?
        .into_iter()
        .map(|s| ((s.record_type, s.record_id), s))
        .collect();
    let drift = records::for_customer(db, customer_id).await?;
    let side = Sides { seen: &seen, drift: &drift };
    let mut out = Vec::new();
    for s in subscriptions {
        let Some(link) = s.billing.clone() else { continue };
        let theirs: HashMap<BillingField, String> = side
            .values::<ProviderSubscription>(LinkedRecord::Subscription, s.id)
            .map(|p| p.values().into_iter().collect())
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
        out.push(side.linked(link, LinkedRecord::Subscription, s.id, &s.number, ours, &theirs));
    }
    for i in invoices {
        let Some(link) = i.billing.clone() else { continue };
        let theirs: HashMap<BillingField, String> = side
            .values::<ProviderInvoice>(LinkedRecord::Invoice, i.id)
            .map(|p| p.values().into_iter().collect())
            .unwrap_or_default();
        let ours = [
            (BillingField::Status, i.status.to_string()),
            (BillingField::Amount, amount(i.amount_cents)),
        ];
        out.push(side.linked(link, LinkedRecord::Invoice, i.id, &i.number, ours, &theirs));
    }
    Ok(out)
}

/// What the customer's sides are read from: the provider's values as last seen, and
/// the open drift.
struct Sides<'a> {
    seen: &'a HashMap<(LinkedRecord, i64), Seen>,
    drift: &'a [Drift],
}

impl Sides<'_> {
    fn values<T: serde::de::DeserializeOwned>(&self, kind: LinkedRecord, id: i64) -> Option<T> {
        self.seen.get(&(kind, id)).and_then(Seen::read)
    }

    fn seen_at(&self, kind: LinkedRecord, id: i64) -> Option<DateTime<Utc>> {
        self.seen.get(&(kind, id)).map(|s| s.at)
    }

    /// One record: `ours`, each beside `theirs` and the drift open on it.
    fn linked(
        &self,
        link: BillingLink,
        record_type: LinkedRecord,
        record_id: i64,
        label: &str,
        ours: impl IntoIterator<Item = (BillingField, String)>,
        theirs: &HashMap<BillingField, String>,
    ) -> LinkedSide {
        let fields = ours
            .into_iter()
            .map(|(field, console)| SideBySide {
                field,
                console,
                provider: theirs.get(&field).cloned(),
                drift: self
                    .drift
                    .iter()
                    .find(|d| {
                        d.record_type == record_type
                            && d.record_id == Some(record_id)
                            && d.field == field
                    })
                    .map(|d| (d.kind, d.first_seen)),
            })
            .collect();
        LinkedSide {
            link,
            record_type,
            record_id,
            label: label.to_string(),
            provider_seen_at: self.seen_at(record_type, record_id),
            fields,
        }
    }
}
