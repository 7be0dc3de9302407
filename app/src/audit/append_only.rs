//! The database refuses to change or delete activity events (migration 0014's
//! triggers). Only a whole-database reset (`server seed --force`) lifts that guard,
//! inside its own transaction, and puts the same triggers back before it commits.
use crate::store::Tx;
use crate::{on_tx, AppError};

/// The guard, lifted inside one transaction: [`Lifted::restore`] puts it back.
#[must_use = "restore the append-only guard before committing"]
pub enum Lifted {
    /// SQLite: the dropped triggers' own definitions, to create again.
    Sqlite(Vec<String>),
    /// PostgreSQL: the table's triggers are disabled until re-enabled.
    Postgres,
}

/// Lifts the append-only guard for the rest of `tx`.
pub async fn lift(tx: &mut Tx) -> Result<Lifted, AppError> {
    match tx {
        Tx::Sqlite(t) => {
            let triggers: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'activity_events'",
            )
            .fetch_all(&mut **t)
            .await?;
            for (name, _) in &triggers {
                let sql = format!("DROP TRIGGER \"{}\"", name.replace('"', "\"\""));
                sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut **t).await?;
            }
            Ok(Lifted::Sqlite(triggers.into_iter().map(|(_, sql)| sql).collect()))
        }
        Tx::Postgres(t) => {
            sqlx::query("ALTER TABLE activity_events DISABLE TRIGGER USER")
                .execute(&mut **t)
                .await?;
            Ok(Lifted::Postgres)
        }
    }
}

impl Lifted {
    /// Puts the guard back inside `tx`.
    pub async fn restore(self, tx: &mut Tx) -> Result<(), AppError> {
        match self {
            Lifted::Sqlite(definitions) => {
                for sql in definitions {
                    on_tx!(tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(c)
                        .await
                        .map(|r| r.rows_affected()))?;
                }
            }
            Lifted::Postgres => {
                on_tx!(tx, |c| sqlx::query("ALTER TABLE activity_events ENABLE TRIGGER USER")
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
        }
        Ok(())
    }
}
