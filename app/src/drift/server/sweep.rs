//! The scheduled sweep: every subscription at the provider, page by page, reconciled
//! with the console's, then every linked subscription the pages did not hold (deleted
//! at the provider); then the same for invoices. It applies what a lost webhook would have, notes the rest as
//! drift, and re-checks the integrity rules (billing drift is one of them). One sweep
//! runs at a time: the scheduled sweeps of a server follow each other, and the servers
//! on one PostgreSQL database take turns by an advisory lock. (Two sweeps at once would
//! only repeat work: each change is version-checked.)
use std::collections::HashSet;
use std::time::Instant;

use chrono::NaiveDate;

use super::reconcile::{unavailable, Reconciler, Settled};
use crate::billing::server::links;
use crate::billing::server::stripe::{self, Page};
use crate::domain::billing::LinkedRecord;
use crate::store::dialect::Lock;
use crate::AppError;

/// Objects asked for per page.
const PAGE: usize = 100;

/// What one sweep did: the subscriptions' counts, and the invoices'.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Swept {
    /// Subscriptions compared (the provider's, and linked ones it no longer has).
    pub compared: usize,
    pub agreed: usize,
    /// Provider values applied as changes.
    pub applied: usize,
    /// Records left with open drift.
    pub drift: usize,
    /// Records with a console change still on its way.
    pub waiting: usize,
    pub invoices: InvoicesSwept,
    pub seconds: f64,
}

/// What one sweep did with invoices.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct InvoicesSwept {
    /// Invoices compared (the provider's, and linked ones it no longer has).
    pub compared: usize,
    pub agreed: usize,
    /// Invoices the console did not know, recorded.
    pub recorded: usize,
    /// Provider values applied as changes.
    pub applied: usize,
    pub drift: usize,
}

impl InvoicesSwept {
    fn count(&mut self, s: &Settled) {
        self.compared += 1;
        match s {
            Settled::Agreed | Settled::Waiting => self.agreed += 1,
            Settled::Applied(_) => self.applied += 1,
            Settled::Recorded(_) => self.recorded += 1,
            Settled::Drift(_) => self.drift += 1,
        }
    }
}

impl Swept {
    fn count(&mut self, s: &Settled) {
        self.compared += 1;
        match s {
            Settled::Agreed => self.agreed += 1,
            Settled::Applied(_) | Settled::Recorded(_) => self.applied += 1,
            Settled::Drift(_) => self.drift += 1,
            Settled::Waiting => self.waiting += 1,
        }
    }
}

/// One page of a provider list: the objects after `after` (from the first).
async fn page<T: serde::de::DeserializeOwned>(
    r: &Reconciler<'_>,
    path: &str,
    filters: &[(&str, &str)],
    after: Option<&str>,
) -> Result<Page<T>, AppError> {
    let mut query: Vec<(String, String)> =
        filters.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    query.push(("limit".into(), PAGE.to_string()));
    if let Some(id) = after {
        query.push(("starting_after".into(), id.to_string()));
    }
    r.billing.stripe.get(path, &query).await.map_err(|e| unavailable(r.billing, &e))
}

/// Runs one sweep, or returns `None` when another is running.
pub async fn run(r: &Reconciler<'_>, today: NaiveDate) -> Result<Option<Swept>, AppError> {
    let Some(held) = r.db.try_hold(Lock::BillingSweep).await? else { return Ok(None) };
    let result = sweep(r, today).await;
    held.release().await?;
    result.map(Some)
}

const WHY: &str = "reconciliation sweep";

async fn sweep(r: &Reconciler<'_>, today: NaiveDate) -> Result<Swept, AppError> {
    let started = Instant::now();
    let mut done = Swept::default();
    let mut seen = HashSet::new();
    let mut after: Option<String> = None;
    loop {
        let subs: Page<stripe::Subscription> =
            page(r, "/v1/subscriptions", &[("status", "all")], after.as_deref()).await?;
        for sub in &subs.data {
            seen.insert(sub.id.clone());
            done.count(&r.subscription(sub, WHY, today).await?);
        }
        after = subs.data.last().map(|s| s.id.clone());
        if !subs.has_more || after.is_none() {
            break;
        }
    }
    for (_, provider_id) in links::all(r.db, LinkedRecord::Subscription).await? {
        if !seen.contains(&provider_id) {
            done.count(&r.subscription_by_id(&provider_id, WHY, today).await?);
        }
    }
    seen.clear();
    after = None;
    loop {
        let invoices: Page<stripe::Invoice> =
            page(r, "/v1/invoices", &[], after.as_deref()).await?;
        for invoice in &invoices.data {
            seen.insert(invoice.id.clone());
            done.invoices.count(&r.invoice(invoice, WHY, today).await?);
        }
        after = invoices.data.last().map(|i| i.id.clone());
        if !invoices.has_more || after.is_none() {
            break;
        }
    }
    for (_, provider_id) in links::all(r.db, LinkedRecord::Invoice).await? {
        if !seen.contains(&provider_id) {
            done.invoices.count(&r.invoice_by_id(&provider_id, WHY, today).await?);
        }
    }
    // Drift is an integrity rule: what the sweep found or cleared is re-checked now.
    crate::checks::scan::run(r.db, today, "billing-sweep").await?;
    done.seconds = started.elapsed().as_secs_f64();
    Ok(done)
}
