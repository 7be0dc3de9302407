//! Rows by id lists: several `head IN (…)` statements joined into one round trip.
use crate::store::{Db, Tx};
use crate::{on_db, on_tx, AppError};

/// What both doors accept as a row.
pub trait IdRow:
    for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
    + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
    + Send
    + Unpin
{
}

impl<T> IdRow for T where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin
{
}

/// Rows of one statement that joins, with `UNION ALL`, each `head IN (…ids)` whose
/// ids are not empty: one round trip, whatever the number of kinds and ids. Inside
/// `tx`, for a reader that needs one snapshot (search).
pub async fn by_ids<T: IdRow>(tx: &mut Tx, parts: &[(&str, Vec<i64>)]) -> Result<Vec<T>, AppError> {
    let Some((sql, ids)) = statement(parts) else { return Ok(Vec::new()) };
    Ok(on_tx!(tx, |c| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(c).await
    })?)
}

/// [`by_ids`] as one statement on its own (no transaction to open and close).
pub async fn by_ids_now<T: IdRow>(db: &Db, parts: &[(&str, Vec<i64>)]) -> Result<Vec<T>, AppError> {
    let Some((sql, ids)) = statement(parts) else { return Ok(Vec::new()) };
    Ok(on_db!(db, |p| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for id in &ids {
            query = query.bind(*id);
        }
        query.fetch_all(p).await
    })?)
}

/// The statement and its arguments; `None` when every id list is empty.
fn statement(parts: &[(&str, Vec<i64>)]) -> Option<(String, Vec<i64>)> {
    let parts: Vec<&(&str, Vec<i64>)> = parts.iter().filter(|(_, ids)| !ids.is_empty()).collect();
    if parts.is_empty() {
        return None;
    }
    let mut from = 1;
    let sql = parts
        .iter()
        .map(|(head, ids)| {
            let list = super::dialect::placeholders(from, ids.len());
            from += ids.len();
            format!("{head} IN ({list})")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    Some((sql, parts.iter().flat_map(|(_, ids)| ids.iter().copied()).collect()))
}
