//! Deferred secondary indexes (and, on SQLite, the triggers that feed the search
//! index) for bulk loads: building an index once after loading is far cheaper than
//! updating it row by row. Definitions are parked in the `deferred_indexes` table, so
//! an interrupted load gets them back at the next start.
use super::Db;
use crate::on_db;

#[derive(sqlx::FromRow)]
struct IndexDef {
    name: String,
    sql: String,
}

/// Drops the secondary (non-constraint) indexes and the triggers of `tables`,
/// remembering them.
pub async fn defer(db: &Db, tables: &[&str]) -> Result<usize, sqlx::Error> {
    let mut count = 0;
    for table in tables {
        let defs: Vec<IndexDef> = match db {
            Db::Sqlite(p) => {
                sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name = $1")
                    .bind(table)
                    .fetch_all(p)
                    .await?
            }
            Db::Postgres(p) => {
                sqlx::query_as(
                    "SELECT indexname AS name, indexdef AS sql FROM pg_indexes
                     WHERE schemaname = current_schema() AND tablename = $1
                       AND indexname NOT IN (SELECT conname FROM pg_constraint)",
                )
                .bind(table)
                .fetch_all(p)
                .await?
            }
        };
        for mut def in defs {
            // A partitioned table's index is listed `ON ONLY` the parent; rebuilt as it
            // is listed, it would cover no partition.
            def.sql = def.sql.replacen(" ON ONLY ", " ON ", 1);
            let object = if def.sql.starts_with("CREATE TRIGGER") { "TRIGGER" } else { "INDEX" };
            park(db, &def.name, &def.sql, Some(&format!("DROP {object} {}", def.name))).await?;
            count += 1;
        }
    }
    Ok(count)
}

/// Records `sql` to run at restore time and runs `drop` (if any), in one transaction.
pub async fn park(db: &Db, name: &str, sql: &str, drop: Option<&str>) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    crate::on_tx!(&mut tx, |c| sqlx::query(
        "INSERT INTO deferred_indexes (name, sql) VALUES ($1, $2)"
    )
    .bind(name)
    .bind(sql)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    if let Some(drop) = drop {
        let drop = sqlx::AssertSqlSafe(drop.to_string());
        crate::on_tx!(&mut tx, |c| sqlx::query(drop)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(())
}

/// Rebuilds every parked index; returns how many.
pub async fn restore(db: &Db) -> Result<usize, sqlx::Error> {
    let defs: Vec<IndexDef> =
        on_db!(db, |p| sqlx::query_as("SELECT name, sql FROM deferred_indexes ORDER BY name")
            .fetch_all(p)
            .await)?;
    for def in &defs {
        tracing::debug!(index = %def.name, "building index");
        // Idempotent, so a rebuild interrupted after its CREATE can simply run again.
        let sql = def
            .sql
            .replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            .replacen("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1)
            .replacen("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS ", 1);
        let mut tx = db.begin().await?;
        crate::on_tx!(&mut tx, |c| sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
        crate::on_tx!(&mut tx, |c| sqlx::query("DELETE FROM deferred_indexes WHERE name = $1")
            .bind(&def.name)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
        tx.commit().await?;
    }
    Ok(defs.len())
}
