//! Reconciling one invoice. The billing system owns its invoices: one the console does
//! not know yet is recorded (linked to the provider's) on its customer's billing
//! account, and a linked one's status and amount follow the provider's, each as a
//! change by `billing:<provider>` through the operations engine. What the console's
//! rules refuse, and a linked invoice the provider no longer has, are drift.
use chrono::NaiveDate;

use super::reconcile::{Reconciler, Settled};
use crate::billing::server::drift::{self as records, Observed, OneSide};
use crate::billing::server::links;
use crate::billing::server::stripe;
use crate::domain::billing::LinkedRecord;
use crate::domain::drift::invoice::{amount, differences};
use crate::domain::drift::{BillingField, DriftKind};
use crate::domain::{Invoice, InvoiceStatus, Operation, Outcome};
use crate::store::Db;
use crate::{on_db, AppError};

impl Reconciler<'_> {
    /// Fetches the provider's invoice `provider_id` and reconciles it.
    pub async fn invoice_by_id(
        &self,
        provider_id: &str,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        match self.fetch::<stripe::Invoice>(&format!("/v1/invoices/{provider_id}")).await? {
            Some(invoice) => self.invoice(&invoice, why, today).await,
            None => self.invoice_missing(provider_id).await,
        }
    }

    /// Reconciles the provider's invoice `theirs` with ours, recording it first when
    /// the console does not know it.
    pub async fn invoice(
        &self,
        theirs: &stripe::Invoice,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        let provider = self.billing.provider;
        let Some(terms) = theirs.terms() else { return Ok(Settled::Agreed) };
        let Some((LinkedRecord::Invoice, id)) =
            links::record_of(self.db, provider, &theirs.id).await?
        else {
            return self.record(theirs, terms.status, why, today).await;
        };
        links::remember(self.db, provider, &theirs.id, &terms).await?;
        let ours = load(self.db, id).await?;
        let diffs = differences(&ours, &terms);
        if diffs.is_empty() {
            records::clear_except(self.db, &theirs.id, &[], None).await?;
            return Ok(Settled::Agreed);
        }
        let has = |f: BillingField| diffs.iter().any(|d| d.field == f);
        let op = Operation::EditInvoice {
            invoice_id: id,
            status: has(BillingField::Status).then(|| terms.status.to_string()),
            amount_cents: has(BillingField::Amount).then_some(terms.amount_cents),
        };
        match self.run(op, why, today).await {
            Ok(event_id) => {
                records::clear_except(self.db, &theirs.id, &[], event_id).await?;
                Ok(event_id.map_or(Settled::Waiting, Settled::Applied))
            }
            Err(AppError::Validation { message, fields }) => {
                for d in &diffs {
                    let o = Observed {
                        provider,
                        record_type: LinkedRecord::Invoice,
                        record_id: Some(id),
                        provider_id: theirs.id.clone(),
                        customer_id: Some(ours.customer_id),
                        field: d.field,
                        kind: DriftKind::RulesRefuse,
                        console_value: Some(d.console.clone()),
                        provider_value: Some(d.provider.clone()),
                        detail: fields.values().next().cloned().unwrap_or(message.clone()),
                    };
                    records::note(self.db, &o).await?;
                }
                Ok(Settled::Drift(diffs.iter().map(|d| d.field).collect()))
            }
            Err(e) => Err(e),
        }
    }

    /// Records an invoice the console does not know on its customer's first billing
    /// account; one of a customer the console does not know is drift.
    async fn record(
        &self,
        theirs: &stripe::Invoice,
        status: InvoiceStatus,
        why: &str,
        today: NaiveDate,
    ) -> Result<Settled, AppError> {
        let provider = self.billing.provider;
        let customer = match links::record_of(self.db, provider, &theirs.customer).await? {
            Some((LinkedRecord::Customer, id)) => Some(id),
            _ => None,
        };
        let account = match customer {
            Some(id) => first_account(self.db, id).await?,
            None => None,
        };
        let Some(account) = account else {
            let label = format!("{} {}", amount(theirs.total), theirs.currency);
            let o = Observed::one_sided(
                provider,
                LinkedRecord::Invoice,
                &theirs.id,
                customer,
                OneSide::Theirs(label),
                "The console knows no billing account of this invoice's customer.",
            );
            return self.one_sided(&o).await;
        };
        let op = Operation::RecordInvoice {
            billing_account_id: account,
            number: theirs.console_number(),
            amount_cents: theirs.total,
            currency: theirs.currency.to_uppercase(),
            status: status.to_string(),
            issued_on: theirs.issued_on(),
            due_on: theirs.due_on(),
            provider_id: Some(theirs.id.clone()),
        };
        match self.run(op, why, today).await? {
            Some(event_id) => Ok(Settled::Recorded(event_id)),
            None => Ok(Settled::Waiting),
        }
    }

    /// A linked invoice the provider no longer has.
    pub async fn invoice_missing(&self, provider_id: &str) -> Result<Settled, AppError> {
        let Some((LinkedRecord::Invoice, id)) =
            links::record_of(self.db, self.billing.provider, provider_id).await?
        else {
            return Ok(Settled::Agreed);
        };
        let ours = load(self.db, id).await?;
        let o = Observed::one_sided(
            self.billing.provider,
            LinkedRecord::Invoice,
            provider_id,
            Some(ours.customer_id),
            OneSide::Ours(
                id,
                format!("{} {} {}", ours.number, amount(ours.amount_cents), ours.currency),
            ),
            "The provider has no invoice under this id.",
        );
        self.one_sided(&o).await
    }

    /// Runs `op` as the provider; the event, or `None` when it waits for an approval.
    async fn run(
        &self,
        op: Operation,
        why: &str,
        today: NaiveDate,
    ) -> Result<Option<i64>, AppError> {
        let reason = format!("{} holds this invoice ({why}).", self.billing.provider.label());
        match self.as_provider(op, reason, today).await? {
            Outcome::Applied { event_id, .. } => Ok(Some(event_id)),
            Outcome::PendingApproval { .. } => Ok(None),
        }
    }
}

/// Our invoice `id`, read as the operations engine reads it.
async fn load(db: &Db, id: i64) -> Result<Invoice, AppError> {
    let mut tx = db.begin_read().await?;
    let invoice = crate::ops::server::rows::invoice(&mut tx, id).await?;
    tx.rollback().await?;
    Ok(invoice)
}

/// The customer's first billing account, if it has one.
async fn first_account(db: &Db, customer_id: i64) -> Result<Option<i64>, AppError> {
    Ok(on_db!(db, |p| {
        sqlx::query_scalar("SELECT MIN(id) FROM billing_accounts WHERE customer_id = $1")
            .bind(customer_id)
            .fetch_one(p)
            .await
    })?)
}
