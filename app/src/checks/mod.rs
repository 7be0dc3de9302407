//! Integrity checks: each [`crate::domain::Rule`] is one
//! set-based SQL query, run for the whole database by the scheduled scan, which stores
//! what it finds, and for one customer (every rule's query joined into one) by the
//! customer page and by the guard every operation passes, which refuses a change that
//! leaves a new finding behind.
pub mod guard;
pub mod rules;
pub mod scan;
pub mod store;

use chrono::NaiveDate;

use crate::domain::Finding;
use crate::store::Db;
use crate::AppError;

/// One customer's findings now, each with its stored id and first-seen time when a
/// scan or an operation has stored it.
pub async fn for_customer(
    db: &Db,
    customer: i64,
    today: NaiveDate,
) -> Result<Vec<Finding>, AppError> {
    let mut tx = db.begin_read().await?;
    let live = rules::find(&mut tx, Some(customer), today).await?;
    let stored = store::open_for_customer(&mut tx, customer).await?;
    tx.rollback().await?;
    Ok(live
        .into_iter()
        .map(|f| match stored.iter().find(|s| store::same(s, &f)) {
            Some(s) => store::with_stored(f, s),
            None => f,
        })
        .collect())
}
