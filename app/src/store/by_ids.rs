//! Rows by id lists: several `head IN (…)` statements joined into one round trip.
use crate::store::Tx;
use crate::{on_tx, AppError};

/// Rows of one statement that joins, with `UNION ALL`, each `head IN (…ids)` whose
/// ids are not empty: one round trip, whatever the number of kinds and ids.
pub async fn by_ids<T>(tx: &mut Tx, parts: &[(&str, Vec<i64>)]) -> Result<Vec<T>, AppError>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
        + Send
        + Unpin,
{
    let parts: Vec<&(&str, Vec<i64>)> = parts.iter().filter(|(_, ids)| !ids.is_empty()).collect();
    if parts.is_empty() {
        return Ok(Vec::new());
    }
    let mut next = 0;
    let sql = parts
        .iter()
        .map(|(head, ids)| {
            let list = ids
                .iter()
                .map(|_| {
                    next += 1;
                    format!("${next}")
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!("{head} IN ({list})")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let rows = on_tx!(tx, |c| {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for id in parts.iter().flat_map(|(_, ids)| ids) {
            query = query.bind(*id);
        }
        query.fetch_all(c).await
    })?;
    Ok(rows)
}
