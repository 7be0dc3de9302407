//! The full scan: every rule over the whole database, stored. On PostgreSQL a scan
//! holds a transaction-scoped advisory lock, so of several instances sharing one
//! database only one scans at a time (the others skip their turn).
use std::time::Instant;

use chrono::NaiveDate;

use super::{rules, store};
use crate::domain::ScanSummary;
use crate::store::dialect::Lock;
use crate::store::{now, Db, Tx};
use crate::{on_tx, AppError};

/// Scans everything on `today` and stores the findings. `None` when another instance
/// is scanning right now.
pub async fn run(
    db: &Db,
    today: NaiveDate,
    instance: &str,
) -> Result<Option<ScanSummary>, AppError> {
    let started = now();
    let clock = Instant::now();
    let (mut tx, found) = match db {
        Db::Postgres(_) => {
            let mut tx = db.begin().await?;
            if !tx.try_lock(Lock::IntegrityScan).await? {
                tx.rollback().await?;
                return Ok(None);
            }
            let found = rules::find(&mut tx, None, today).await?;
            (tx, found)
        }
        // One writer at a time already: read in a snapshot without blocking writers,
        // then write the outcome in one short transaction.
        Db::Sqlite(_) => {
            let mut read = db.begin_read().await?;
            let found = rules::find(&mut read, None, today).await?;
            read.rollback().await?;
            (db.begin().await?, found)
        }
    };
    let done = store::reconcile(&mut tx, &found, None, None, started, now()).await?;
    let summary = ScanSummary {
        finished_at: now(),
        duration_ms: clock.elapsed().as_millis() as i64,
        found: found.len() as i64,
        opened: done.opened,
        resolved: done.resolved,
    };
    save(&mut tx, started, &summary, instance).await?;
    tx.commit().await?;
    Ok(Some(summary))
}

async fn save(
    tx: &mut Tx,
    started: chrono::DateTime<chrono::Utc>,
    s: &ScanSummary,
    instance: &str,
) -> Result<(), AppError> {
    on_tx!(tx, |c| {
        sqlx::query(
        "INSERT INTO integrity_scans (started_at, finished_at, duration_ms, found, opened, resolved, instance)
         VALUES ($1, $2, $3, $4, $5, $6, $7)"
    )
    .bind(started)
    .bind(s.finished_at)
    .bind(s.duration_ms)
    .bind(s.found)
    .bind(s.opened)
    .bind(s.resolved)
    .bind(instance)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    Ok(())
}
