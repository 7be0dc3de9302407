//! The records operations change, read and written inside the operation's transaction.
//! Every write is conditional on the version that was read, so a concurrent change
//! turns into a conflict instead of being overwritten.
use crate::domain::{
    changed_fields, Change, Invoice, Namespace, Subscription, INVOICE_COLUMNS, NAMESPACE_COLUMNS,
    SUBSCRIPTION_COLUMNS,
};
use crate::store::Tx;
use crate::{on_tx, AppError};

/// One record before and after an operation.
#[derive(Debug, Clone)]
pub enum RowChange {
    /// Boxed, like a namespace: the records are many times the size of a pointer.
    Subscription(Box<Subscription>, Box<Subscription>),
    Namespace(Box<Namespace>, Box<Namespace>),
    Invoice(Box<Invoice>, Box<Invoice>),
}

impl RowChange {
    pub fn subscription(before: Subscription, after: Subscription) -> RowChange {
        RowChange::Subscription(Box::new(before), Box::new(after))
    }

    pub fn namespace(before: Namespace, after: Namespace) -> RowChange {
        RowChange::Namespace(Box::new(before), Box::new(after))
    }

    pub fn invoice(before: Invoice, after: Invoice) -> RowChange {
        RowChange::Invoice(Box::new(before), Box::new(after))
    }
}

pub async fn subscription(tx: &mut Tx, id: i64) -> Result<Subscription, AppError> {
    let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = $1");
    let row: Option<Subscription> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.ok_or_else(|| AppError::NotFound(format!("Subscription {id}")))
}

pub async fn namespace(tx: &mut Tx, id: i64) -> Result<Namespace, AppError> {
    let sql = format!("SELECT {NAMESPACE_COLUMNS} FROM namespaces WHERE id = $1");
    let row: Option<Namespace> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.ok_or_else(|| AppError::NotFound(format!("Namespace {id}")))
}

pub async fn invoice(tx: &mut Tx, id: i64) -> Result<Invoice, AppError> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE id = $1");
    let row: Option<Invoice> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.ok_or_else(|| AppError::NotFound(format!("Invoice {id}")))
}

pub async fn invoice_numbered(tx: &mut Tx, number: &str) -> Result<Invoice, AppError> {
    let sql = format!("SELECT {INVOICE_COLUMNS} FROM invoices WHERE number = $1");
    let row: Option<Invoice> = on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(number)
        .fetch_optional(c)
        .await)?;
    row.ok_or_else(|| AppError::NotFound(format!("Invoice {number}")))
}

/// The namespaces a subscription is linked to.
pub async fn linked_namespaces(
    tx: &mut Tx,
    subscription_id: i64,
) -> Result<Vec<Namespace>, AppError> {
    let sql = format!(
        "SELECT {NAMESPACE_COLUMNS} FROM namespaces WHERE subscription_id = $1 ORDER BY id"
    );
    Ok(on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(subscription_id)
        .fetch_all(c)
        .await)?)
}

/// Refuses a change based on a version other than the stored one.
pub fn expect_version(record: &str, stored: i64, expected: Option<i64>) -> Result<(), AppError> {
    match expected {
        Some(v) if v != stored => Err(stale(record)),
        _ => Ok(()),
    }
}

fn stale(record: &str) -> AppError {
    AppError::Conflict(format!(
        "{record} was changed by someone else since you loaded it. Nothing was saved: reload to see the current values."
    ))
}

impl RowChange {
    /// The record as people name it.
    pub fn record(&self) -> String {
        match self {
            RowChange::Subscription(b, _) => b.number.clone(),
            RowChange::Namespace(b, _) => b.path.clone(),
            RowChange::Invoice(b, _) => b.number.clone(),
        }
    }

    /// The fields that differ, before → after.
    pub fn changes(&self) -> Vec<Change> {
        const SKIP: &[&str] = &["id", "customer_id", "version"];
        let fields = match self {
            RowChange::Subscription(b, a) => changed_fields(b, a, SKIP),
            RowChange::Namespace(b, a) => changed_fields(b, a, SKIP),
            RowChange::Invoice(b, a) => changed_fields(b, a, SKIP),
        };
        let record = self.record();
        fields
            .into_iter()
            .map(|(field, before, after)| Change { record: record.clone(), field, before, after })
            .collect()
    }

    /// Writes the after-image, conditional on the version read (an invoice, which has
    /// none, on the values read).
    pub async fn save(&self, tx: &mut Tx) -> Result<(), AppError> {
        let affected = match self {
            RowChange::Subscription(b, a) => on_tx!(tx, |c| {
                sqlx::query(
                "UPDATE subscriptions SET seats = $1, end_date = $2, status = $3, auto_renew = $4, version = version + 1
                 WHERE id = $5 AND version = $6"
            )
            .bind(a.seats)
            .bind(a.end_date)
            .bind(a.status)
            .bind(a.auto_renew)
            .bind(b.id)
            .bind(b.version)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
            })?,
            RowChange::Namespace(b, a) => on_tx!(tx, |c| {
                sqlx::query(
                "UPDATE namespaces SET plan = $1, subscription_id = $2, trial_plan = $3, trial_starts_on = $4, trial_ends_on = $5,
                    trial_extensions_used = $6, max_seats_used = $7, compute_minutes_extra = $8,
                    compute_minutes_trial_extra = $9, storage_extra_mib = $10, trial_extra_days = $11,
                    trial_reactivations = $12, version = version + 1
                 WHERE id = $13 AND version = $14"
            )
            .bind(a.plan)
            .bind(a.subscription_id)
            .bind(a.trial_plan)
            .bind(a.trial_starts_on)
            .bind(a.trial_ends_on)
            .bind(a.trial_extensions_used)
            .bind(a.max_seats_used)
            .bind(a.compute_minutes_extra)
            .bind(a.compute_minutes_trial_extra)
            .bind(a.storage_extra_mib)
            .bind(a.trial_extra_days)
            .bind(a.trial_reactivations)
            .bind(b.id)
            .bind(b.version)
            .execute(c)
            .await
            .map(|r| r.rows_affected())
            })?,
            RowChange::Invoice(b, a) => on_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE invoices SET status = $1, amount_cents = $2
                     WHERE id = $3 AND status = $4 AND amount_cents = $5",
                )
                .bind(a.status)
                .bind(a.amount_cents)
                .bind(b.id)
                .bind(b.status)
                .bind(b.amount_cents)
                .execute(c)
                .await
                .map(|r| r.rows_affected())
            })?,
        };
        if affected == 1 {
            Ok(())
        } else {
            Err(stale(&self.record()))
        }
    }
}
