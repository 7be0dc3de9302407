//! Server side of search: gather candidates (exact identifiers, identifier prefixes,
//! trigram substrings) and keep the best, describe those, rank them in Rust so both
//! backends order alike.
mod candidates;
mod describe;
mod rank;

use chrono::NaiveDate;

use super::{normalize_query, SearchHit, DEFAULT_LIMIT, MAX_LIMIT};
use crate::auth::server::caller;
use crate::domain::Permission;
use crate::store::Db;
use crate::{state, AppError};

/// The search server function and API handler body: any signed-in staff member.
pub async fn search_for_caller(q: &str, limit: Option<u32>) -> Result<Vec<SearchHit>, AppError> {
    caller::require(Permission::ViewAll, "search customers")?;
    let state = state::from_context()?;
    search(&state.db, q, limit, crate::store::today()).await
}

/// Finds the records matching `raw`, best first, at most `limit` (capped at 50).
pub async fn search(
    db: &Db,
    raw: &str,
    limit: Option<u32>,
    today: NaiveDate,
) -> Result<Vec<SearchHit>, AppError> {
    let Some(q) = normalize_query(raw) else { return Ok(Vec::new()) };
    let limit = limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT) as usize;
    // One read snapshot: fewer round trips than a connection per statement, and the
    // records described are the ones the candidates were found in.
    let mut tx = db.begin_read().await?;
    let found = candidates::gather(&mut tx, &q, limit).await?;
    let described = describe::describe(&mut tx, found, today).await?;
    tx.commit().await?;
    Ok(rank::rank(&q, described, limit))
}
