//! Reconciling one subscription: the provider's current state (fetched, never taken from
//! a webhook's body) against the console's. The provider's values for the fields it
//! owns are applied as a change by `billing:<provider>` through the operations engine,
//! so the same permission, validation, integrity guard and event as any change; what
//! cannot be applied, or is not the provider's to set, is noted as drift.
use chrono::NaiveDate;

use crate::billing::server::drift::{self as records, Observed, OneSide};
use crate::billing::server::link::plan_id;
use crate::billing::server::stripe::{self, StripeError};
use crate::billing::server::{links, outbox, Connection};
use crate::domain::billing::LinkedRecord;
use crate::domain::drift::{differences, BillingField, Difference, DriftKind};
use crate::domain::{OpRequest, Operation, Outcome, Subscription};
use crate::ops::server::{execute, Actor};
use crate::state::LicenseKey;
use crate::store::Db;
use crate::AppError;

/// Attempts after which a console change that keeps failing is drift (one the provider
/// refuses is drift at once; the outbox goes on retrying both).
pub const FAILING_AFTER_ATTEMPTS: i32 = 3;

/// What reconciling a record came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    /// Both sides agree.
    Agreed,
    /// The provider's values were applied by this event.
    Applied(i64),
    /// A record only the provider had was recorded (and linked) by this event.
    Recorded(i64),
    /// A console change to the record is on its way: the provider's values are older.
    Waiting,
    /// Disagreements that stay open as drift, by field.
    Drift(Vec<BillingField>),
}

/// What reconciliation needs: the database, the key changes are signed with (the
/// engine's), the provider.
#[derive(Clone, Copy)]
pub struct Reconciler<'a> {
    pub db: &'a Db,
    pub key: &'a LicenseKey,
    pub billing: &'a Connection,
}

impl Reconciler<'_> {
    /// Fetches the provider's subscription `provider_id` and reconciles it; `why` says
    /// what prompted it (a webhook event, the sweep).
    pub async fn subscription_by_id(
        &self,
        provider_id: &str,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        match self
            .fetch::<stripe::Subscription>(&format!("/v1/subscriptions/{provider_id}"))
            .await?
        {
            Some(sub) => self.subscription(&sub, why, today).await,
            None => self.missing(provider_id).await,
        }
    }

    /// Runs `op` through the operations engine as the provider (`billing:<provider>`),
    /// with `reason`.
    pub(super) async fn as_provider(
        &self,
        op: Operation,
        reason: String,
        today: NaiveDate,
    ) -> Result<Outcome, AppError> {
        let request = OpRequest::asked(op, reason, None, None);
        execute(self.db, self.key, &Actor::billing(self.billing.provider), &request, today).await
    }

    /// The provider's object at `path`, as it is now (`None`: the provider has none).
    pub async fn fetch<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<Option<T>, AppError> {
        match self.billing.stripe.get::<T>(path, &Vec::new()).await {
            Ok(object) => Ok(Some(object)),
            Err(StripeError::NotFound) => Ok(None),
            Err(e) => Err(unavailable(self.billing, &e)),
        }
    }

    /// Reconciles the provider's subscription `sub` with ours. A console change landing
    /// between our read and the provider's values' write is read again (twice at most).
    pub async fn subscription(
        &self,
        sub: &stripe::Subscription,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        let mut tries = 0;
        loop {
            match self.attempt(sub, why, today).await {
                Err(AppError::Conflict(_)) if tries < 2 => tries += 1,
                settled => return settled,
            }
        }
    }

    async fn attempt(
        &self,
        sub: &stripe::Subscription,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        let provider = self.billing.provider;
        let Some((LinkedRecord::Subscription, id)) =
            links::record_of(self.db, provider, &sub.id).await?
        else {
            return self.only_at_provider(sub).await;
        };
        links::remember(self.db, provider, &sub.id, &sub.terms()).await?;
        let ours = load(self.db, id).await?;
        let diffs = differences(
            &outbox::terms(&ours),
            &plan_id(ours.product, ours.deployment),
            &sub.terms(),
        );
        let observed = |d: &Difference, kind: DriftKind, detail: String| Observed {
            provider,
            record_type: LinkedRecord::Subscription,
            record_id: Some(ours.id),
            provider_id: sub.id.clone(),
            customer_id: Some(ours.customer_id),
            field: d.field,
            kind,
            console_value: Some(d.console.clone()),
            provider_value: Some(d.provider.clone()),
            detail,
        };
        if let Some(waiting) = outbox::waiting_for(self.db, LinkedRecord::Subscription, id).await? {
            let differing: Vec<BillingField> = diffs.iter().map(|d| d.field).collect();
            records::clear_except(self.db, &sub.id, &differing, None).await?;
            if waiting.refused || waiting.attempts >= FAILING_AFTER_ATTEMPTS {
                let detail = waiting.last_error.unwrap_or_default();
                for d in &diffs {
                    records::note(
                        self.db,
                        &observed(d, DriftKind::DeliveryFailing, detail.clone()),
                    )
                    .await?;
                }
            }
            return Ok(Settled::Waiting);
        }
        let (owned, theirs): (Vec<_>, Vec<_>) =
            diffs.iter().partition(|d| d.field.provider_owned());
        for d in &theirs {
            let detail = "The console owns this field: the provider's change is not applied.";
            records::note(self.db, &observed(d, DriftKind::ConsoleOwned, detail.into())).await?;
        }
        let still: Vec<BillingField> = theirs.iter().map(|d| d.field).collect();
        if owned.is_empty() {
            records::clear_except(self.db, &sub.id, &still, None).await?;
            return Ok(if still.is_empty() { Settled::Agreed } else { Settled::Drift(still) });
        }
        let reason = format!("{} holds these values ({why}).", provider.label());
        match self.as_provider(provider_values(&ours, &owned, sub), reason, today).await {
            Ok(Outcome::Applied { event_id, .. }) => {
                records::clear_except(self.db, &sub.id, &still, Some(event_id)).await?;
                Ok(if still.is_empty() {
                    Settled::Applied(event_id)
                } else {
                    Settled::Drift(still)
                })
            }
            Ok(Outcome::PendingApproval { .. }) => Ok(Settled::Waiting),
            Err(AppError::Validation { message, fields }) => {
                let mut noted = still;
                for d in &owned {
                    let detail = fields.get(d.field.as_str()).cloned().unwrap_or(message.clone());
                    records::note(self.db, &observed(d, DriftKind::RulesRefuse, detail)).await?;
                    noted.push(d.field);
                }
                Ok(Settled::Drift(noted))
            }
            Err(e) => Err(e),
        }
    }

    /// A subscription the provider has and the console does not know.
    async fn only_at_provider(&self, sub: &stripe::Subscription) -> Result<Settled, AppError> {
        let customer = match links::record_of(self.db, self.billing.provider, &sub.customer).await?
        {
            Some((LinkedRecord::Customer, id)) => Some(id),
            _ => None,
        };
        let theirs = format!("{} × {}", sub.terms().plan, sub.seats().unwrap_or(0));
        let o = Observed::one_sided(
            self.billing.provider,
            LinkedRecord::Subscription,
            &sub.id,
            customer,
            OneSide::Theirs(theirs),
            "The console has no subscription linked to it.",
        );
        self.one_sided(&o).await
    }

    /// Notes `o`, a record only one side has, as drift.
    pub(super) async fn one_sided(&self, o: &Observed) -> Result<Settled, AppError> {
        records::note(self.db, o).await?;
        Ok(Settled::Drift(vec![BillingField::Record]))
    }

    /// A linked subscription the provider no longer has.
    pub async fn missing(&self, provider_id: &str) -> Result<Settled, AppError> {
        let Some((LinkedRecord::Subscription, id)) =
            links::record_of(self.db, self.billing.provider, provider_id).await?
        else {
            return Ok(Settled::Agreed);
        };
        let ours = load(self.db, id).await?;
        let o = Observed::one_sided(
            self.billing.provider,
            LinkedRecord::Subscription,
            provider_id,
            Some(ours.customer_id),
            OneSide::Ours(id, format!("{} × {}", ours.number, ours.seats)),
            "The provider has no subscription under this id.",
        );
        self.one_sided(&o).await
    }
}

/// The provider did not answer: logged in full, told without its address.
pub fn unavailable(billing: &Connection, e: &StripeError) -> AppError {
    tracing::warn!(error = %e, "billing provider call failed");
    AppError::Unavailable(format!(
        "{} did not answer; try again shortly.",
        billing.provider.label()
    ))
}

/// The edit that gives our subscription the provider's values for the fields in `diffs`.
fn provider_values(
    ours: &Subscription,
    diffs: &[&Difference],
    sub: &stripe::Subscription,
) -> Operation {
    let theirs = sub.terms();
    let has = |f: BillingField| diffs.iter().any(|d| d.field == f);
    Operation::EditSubscription {
        subscription_id: ours.id,
        version: ours.version,
        seats: has(BillingField::Seats).then_some(theirs.seats),
        end_date: has(BillingField::EndDate).then_some(theirs.end_date),
        auto_renew: has(BillingField::AutoRenew).then_some(theirs.auto_renew),
        status: has(BillingField::Status).then(|| theirs.status().to_string()),
    }
}

/// Our subscription `id`, read as the operations engine reads it.
pub async fn load(db: &Db, id: i64) -> Result<Subscription, AppError> {
    let mut tx = db.begin_read().await?;
    let sub = crate::ops::server::rows::subscription(&mut tx, id).await?;
    tx.rollback().await?;
    Ok(sub)
}
