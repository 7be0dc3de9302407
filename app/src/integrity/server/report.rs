use crate::checks::store;
use crate::integrity::{IntegrityFilter, IntegrityReport};
use crate::store::Db;
use crate::AppError;

/// Counts per rule (every rule, zeros included) and one page of open findings, newest first.
pub async fn report(
    db: &Db,
    filter: &IntegrityFilter,
    cursor: Option<i64>,
) -> Result<IntegrityReport, AppError> {
    if let Some(e) = AppError::from_fields(filter.field_errors()) {
        return Err(e);
    }
    let counts = store::counts(db, filter.customer_id).await?;
    let (findings, next_cursor) =
        store::page(db, filter.rule.as_deref(), filter.customer_id, cursor).await?;
    Ok(IntegrityReport { counts, findings, next_cursor, last_scan: store::last_scan(db).await? })
}
