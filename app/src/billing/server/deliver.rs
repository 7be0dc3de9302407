//! Delivery: takes due outbox entries to the provider. A subscription's terms are
//! applied as absolute values against its current state there, so an entry delivered
//! again (after a crash between the provider's answer and our record of it) changes
//! nothing the second time; each write carries the entry's idempotency key too.
use chrono::NaiveDate;

use super::outbox::{self, Entry};
use super::stripe::{form, unix_of, Stripe, StripeError, Subscription};
use super::{drift, links};
use crate::domain::billing::{trial_end_for, Provider, SubscriptionTerms};
use crate::domain::drift::BillingField;
use crate::store::Db;
use crate::AppError;

/// What one round delivered.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub delivered: usize,
    pub failed: usize,
}

/// Delivers up to `limit` due entries. When the provider cannot be reached the round
/// stops there and hands the rest back: they would only wait for the same timeout.
pub async fn round(
    db: &Db,
    stripe: &Stripe,
    today: NaiveDate,
    limit: i64,
) -> Result<Round, AppError> {
    let mut done = Round::default();
    let mut claimed = outbox::claim(db, limit).await?.into_iter();
    while let Some(entry) = claimed.next() {
        match send(stripe, &entry, today).await {
            Ok(now) => {
                outbox::delivered(db, entry.id).await?;
                settled(db, &now, entry.event_id).await?;
                done.delivered += 1;
            }
            Err(e) => {
                let next = outbox::failed(db, &entry, &e.to_string(), !e.transient()).await?;
                tracing::warn!(entry = entry.id, record = entry.record_id, error = %e, retry_at = %next, "billing delivery failed");
                done.failed += 1;
                if e.transient() {
                    for rest in claimed {
                        outbox::release(db, rest.id).await?;
                    }
                    break;
                }
            }
        }
    }
    Ok(done)
}

/// Delivers rounds until nothing due is left (what a test or the command line waits for).
pub async fn drain(db: &Db, stripe: &Stripe, today: NaiveDate) -> Result<Round, AppError> {
    let mut total = Round::default();
    loop {
        let r = round(db, stripe, today, 100).await?;
        total.delivered += r.delivered;
        total.failed += r.failed;
        if r.delivered == 0 {
            return Ok(total);
        }
    }
}

/// The provider accepted the console's terms: its side is what it answered, and the
/// drift on the fields it owns is settled by the change delivered.
async fn settled(db: &Db, now: &Subscription, event: Option<i64>) -> Result<(), AppError> {
    links::remember(db, Provider::Stripe, &now.id, &now.terms()).await?;
    let owned: Vec<BillingField> =
        BillingField::ALL.iter().copied().filter(|f| f.provider_owned()).collect();
    drift::clear_fields(db, &now.id, &owned, event).await?;
    Ok(())
}

async fn send(
    stripe: &Stripe,
    entry: &Entry,
    today: NaiveDate,
) -> Result<Subscription, StripeError> {
    let refused = |message: String| StripeError::Refused { status: 0, message };
    let id =
        entry.provider_id.as_deref().ok_or_else(|| refused("the record is not linked".into()))?;
    let terms: SubscriptionTerms =
        serde_json::from_str(&entry.payload).map_err(|e| refused(e.to_string()))?;
    push_subscription(stripe, id, &terms, &entry.idempotency_key, today).await
}

/// Makes the provider's subscription `id` carry `terms`; the subscription as the
/// provider has it afterwards.
pub async fn push_subscription(
    stripe: &Stripe,
    id: &str,
    terms: &SubscriptionTerms,
    key: &str,
    today: NaiveDate,
) -> Result<Subscription, StripeError> {
    let path = format!("/v1/subscriptions/{id}");
    let current: Subscription = stripe.get(&path, &Vec::new()).await?;
    if !terms.billed() {
        if current.billed() {
            return stripe.delete::<Subscription>(&path, &format!("{key}-cancel")).await;
        }
        return Ok(current);
    }
    if !current.billed() {
        return Err(StripeError::Refused {
            status: 0,
            message: "the subscription is canceled at the provider".into(),
        });
    }
    if terms.end_date < current.period_end() {
        return Err(StripeError::Refused {
            status: 0,
            message: format!(
                "the provider bills this subscription until {}; an earlier end date cannot be expressed there",
                current.period_end()
            ),
        });
    }
    let item = current.item().map(|i| i.id.clone()).unwrap_or_default();
    let mut fields = form(&[
        ("items[0][id]", item),
        ("items[0][quantity]", terms.seats.to_string()),
        ("cancel_at_period_end", (!terms.auto_renew).to_string()),
    ]);
    if let Some(end) = trial_end_for(terms.end_date, current.period_end(), today) {
        fields.push(("trial_end".into(), unix_of(end).to_string()));
    }
    stripe.post::<Subscription>(&path, &fields, key).await
}
