//! `server seed`: deterministic, realistic demo data with a known number of each
//! integrity anomaly planted (see `plan.rs`), generated on one thread and written in
//! bulk on another, with a progress bar.
mod bulk;
mod customers;
mod events;
mod people;
pub mod plan;
mod rng;
mod staff;
mod tables;
mod words;

pub use plan::Plan;
pub use staff::{StaffIds, DEMO_PASSWORD};

use std::time::Instant;

use app::store::{self, Db};
use app::{on_db, AppError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::mpsc;

use crate::settings::SeedArgs;
use crate::startup::CmdResult;
use bulk::Rows;
use tables::Chunk;

/// Customers per generated batch (and per transaction).
const CUSTOMER_BATCH: u64 = 5_000;
/// Events per generated batch (and per transaction).
const EVENT_BATCH: u64 = 25_000;

/// Tables the generator fills with explicit ids, parents first.
const LOADED_TABLES: [&str; 11] = [
    "customers",
    "billing_accounts",
    "subscriptions",
    "namespaces",
    "licenses",
    "invoices",
    "add_on_grants",
    "contacts",
    "namespace_owners",
    "search_documents",
    "activity_events",
];

/// What generation is built around.
pub struct Ctx {
    pub seed: u64,
    pub today: NaiveDate,
    pub plan: Plan,
}

impl Ctx {
    /// The date `offset` days from today.
    pub fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    /// A moment `offset` days from today's midnight, plus `seconds`.
    pub fn at(&self, offset: i64, seconds: i64) -> DateTime<Utc> {
        self.day(offset).and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default()
            + Duration::seconds(seconds)
    }
}

enum Batch {
    Customers(Box<Chunk>),
    Events(Rows),
}

/// Whether the database holds no customers yet.
pub async fn is_empty(db: &Db) -> Result<bool, AppError> {
    let any: Option<i64> = on_db!(db, |p| sqlx::query_scalar("SELECT id FROM customers LIMIT 1")
        .fetch_optional(p)
        .await)?;
    Ok(any.is_none())
}

/// Generates and writes the data set described by `args`.
pub async fn run(db: &Db, args: &SeedArgs) -> CmdResult {
    let started = Instant::now();
    if !is_empty(db).await? {
        if !args.force {
            return Err(
                "the database already holds customers; pass --force to replace all data".into()
            );
        }
        wipe(db).await?;
    }
    let plan = Plan::for_size(args.size);
    let ctx =
        Ctx { seed: args.seed, today: args.today.unwrap_or_else(|| Utc::now().date_naive()), plan };
    let staff = staff::ensure(db).await?;

    store::indexes::defer(db, &LOADED_TABLES).await?;
    if let Db::Sqlite(_) = db {
        // The search index's triggers are parked too; one rebuild after the load
        // replaces millions of per-row trigger runs.
        let rebuild = "INSERT INTO search_trigrams (search_trigrams) VALUES ('rebuild')";
        store::indexes::park(db, "search_trigrams_rebuild", rebuild, None).await?;
    }

    let progress = progress_bar(plan.customers + plan.events, args.quiet);
    let (sender, mut receiver) = mpsc::channel::<Batch>(2);
    let generator = std::thread::spawn(move || generate_all(ctx, staff, sender));

    let mut rows = 0usize;
    while let Some(batch) = receiver.recv().await {
        let mut tx = db.begin().await?;
        bulk::tune_for_loading(&mut tx).await?;
        match &batch {
            Batch::Customers(chunk) => {
                for table in chunk.tables() {
                    bulk::write(&mut tx, table).await?;
                }
                rows += chunk.row_count();
                progress.inc(chunk.customers.len() as u64);
            }
            Batch::Events(events) => {
                bulk::write(&mut tx, events).await?;
                rows += events.len();
                progress.inc(events.len() as u64);
            }
        }
        tx.commit().await?;
    }
    generator.join().map_err(|_| "the data generator panicked")?;
    progress.set_message("building indexes");
    store::indexes::restore(db).await?;
    finish(db).await?;
    progress.set_message("scanning for integrity findings");
    let today = args.today.unwrap_or_else(app::store::today);
    let scan = app::checks::scan::run(db, today, "seed").await.map_err(|e| e.to_string())?;
    // The findings the scan stored get statistics too: without them SQLite pages
    // through the integrity list by a customer index and sorts every open finding.
    db.execute("ANALYZE integrity_findings").await?;
    progress.finish_and_clear();

    let secs = started.elapsed().as_secs_f64();
    println!(
        "seeded {:?} data: {} customers, {} events, {} rows in {:.1} s ({:.0} rows/s)",
        args.size,
        plan.customers,
        plan.events,
        rows,
        secs,
        rows as f64 / secs
    );
    let planted: Vec<String> =
        plan.planted().iter().map(|(rule, n)| format!("{rule}={n}")).collect();
    println!("planted anomalies: {}", planted.join(" "));
    if let Some(scan) = scan {
        println!("integrity scan: {} findings stored in {} ms", scan.found, scan.duration_ms);
    }
    println!("demo staff: support@, sales@, billing@, lead@, admin@example.com, password \"{DEMO_PASSWORD}\"");
    Ok(())
}

/// Runs on a plain thread: generates every batch in order and hands it to the writer.
fn generate_all(ctx: Ctx, staff: StaffIds, sender: mpsc::Sender<Batch>) {
    let mut summaries = Vec::with_capacity(ctx.plan.customers as usize);
    let mut c = 1;
    while c <= ctx.plan.customers {
        let end = (c + CUSTOMER_BATCH).min(ctx.plan.customers + 1);
        let mut chunk = Chunk::new();
        for id in c..end {
            summaries.push(customers::generate(&ctx, id, &mut chunk));
        }
        if sender.blocking_send(Batch::Customers(Box::new(chunk))).is_err() {
            return;
        }
        c = end;
    }
    let mut prev = events::genesis();
    let mut k = 0;
    while k < ctx.plan.events {
        let end = (k + EVENT_BATCH).min(ctx.plan.events);
        let mut rows = tables::event_rows();
        prev = events::generate(&ctx, &staff, &summaries, k, end, prev, &mut rows);
        if sender.blocking_send(Batch::Events(rows)).is_err() {
            return;
        }
        k = end;
    }
}

pub fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() },
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} records ({per_sec}, eta {eta}) {msg}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Removes all data, children first. The activity log is append-only: the wipe lifts
/// that guard for its own transaction and puts it back before committing.
async fn wipe(db: &Db) -> Result<(), AppError> {
    const TABLES: [&str; 19] = [
        "customer_notes",
        "integrity_findings",
        "integrity_scans",
        "temporary_extensions",
        "activity_events",
        "approval_requests",
        "search_documents",
        "namespace_owners",
        "contacts",
        "add_on_grants",
        "invoices",
        "licenses",
        "namespaces",
        "subscriptions",
        "billing_accounts",
        "customers",
        "api_tokens",
        "sessions",
        "staff_users",
    ];
    let mut tx = db.begin().await?;
    let append_only = app::audit::append_only::lift(&mut tx).await?;
    for table in TABLES {
        let sql = format!("DELETE FROM {table}");
        app::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    append_only.restore(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// After a bulk load: move PostgreSQL's id sequences past the explicit ids, refresh
/// planner statistics on both backends.
async fn finish(db: &Db) -> Result<(), AppError> {
    if let Db::Postgres(p) = db {
        for table in LOADED_TABLES.into_iter().filter(|t| *t != "search_documents") {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            );
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await?;
        }
    }
    db.execute("ANALYZE").await?;
    Ok(())
}
