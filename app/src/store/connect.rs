use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::Db;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// The database family behind a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Tells the backend from a database URL.
    pub fn of_url(url: &str) -> Option<Backend> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Backend::Postgres)
        } else if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else {
            None
        }
    }
}

/// Page cache of all SQLite connections together, split evenly between them, so the
/// server's memory stays within budget whatever the pool size (the operating system
/// keeps the rest of the file cached).
const SQLITE_PAGE_CACHE_KIB: u32 = 64 * 1024;

/// Opens a pool for `url` (`sqlite:PATH` or `postgres://…`). SQLite files are created
/// when missing and run in WAL mode with foreign keys enforced.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, sqlx::Error> {
    match Backend::of_url(url) {
        Some(Backend::Postgres) => {
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await?;
            Ok(Db::Postgres(pool))
        }
        Some(Backend::Sqlite) => {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma(
                    "cache_size",
                    format!("-{}", SQLITE_PAGE_CACHE_KIB / max_connections.max(1)),
                )
                .pragma("temp_store", "memory");
            // A connection to a local file cannot drop out like a network one: no ping
            // before each use (the pool still checks each one as it comes back).
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        }
        None => Err(sqlx::Error::Configuration(
            format!("DATABASE_URL must start with sqlite: or postgres:// (got {:?})", redact(url))
                .into(),
        )),
    }
}

/// Brings the schema up to date, then rebuilds any index an interrupted bulk load left
/// parked. Fails loudly with the migration that could not apply.
pub async fn migrate(db: &Db) -> Result<(), sqlx::migrate::MigrateError> {
    match db {
        Db::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
        Db::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
    }
    super::indexes::restore(db).await?;
    Ok(())
}

/// A URL with any password replaced, safe for logs and error messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
