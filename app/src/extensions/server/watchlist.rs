//! The renewal watchlist: active subscriptions ending soon, and temporary extensions
//! about to run out, most urgent first (or in the order the caller asks).
use chrono::{Duration, NaiveDate};

use crate::auth::server::caller;
use crate::auth::CurrentUser;
use crate::domain::{Deployment, Permission, Product, Renewal, RenewalKind, Watchlist};
use crate::store::Db;
use crate::{on_db, AppError};

/// How far ahead the watchlist looks by default, and at most.
pub const DEFAULT_WITHIN_DAYS: i64 = 15;
pub const MAX_WITHIN_DAYS: i64 = 90;
/// Temporary extensions show this many days before they run out.
pub const EXTENSION_WARNING_DAYS: i64 = 7;
/// Rows in one answer.
pub const PAGE: i64 = 200;

/// The orders the list can be shown in (`-` before one sorts descending): the column
/// of the merged page, and how each side picks its first page from its own rows.
const SORTS: &[(&str, &str, &str)] = &[
    ("ends_on", "ends_on", "s.end_date"),
    ("customer", "customer_name", "c.name"),
    ("seats", "seats", "s.seats"),
    ("kind", "kind", "s.end_date"),
];

/// `(merged order, ending side's order)` for a sort parameter.
fn order_by(sort: &str) -> Result<(String, String), AppError> {
    let (desc, key) = match sort.strip_prefix('-') {
        Some(k) => (true, k),
        None => (false, sort),
    };
    let (_, merged, side) = SORTS.iter().find(|(name, _, _)| *name == key).ok_or_else(|| {
        AppError::field(
            "sort",
            "Sort by ends_on, customer, seats or kind (prefix - for descending).",
        )
    })?;
    let dir = if desc { "DESC" } else { "ASC" };
    Ok((format!("{merged} {dir}, subscription_id {dir}"), format!("{side} {dir}, s.id {dir}")))
}

/// The watchlist on `on`: subscriptions ending within `within_days`, extensions
/// running out within [`EXTENSION_WARNING_DAYS`].
pub async fn watchlist(
    db: &Db,
    user: &CurrentUser,
    within_days: Option<i64>,
    sort: Option<&str>,
    on: NaiveDate,
) -> Result<Watchlist, AppError> {
    caller::check(user, Permission::ExtensionWizard, "see the renewal watchlist")?;
    let within_days = within_days.unwrap_or(DEFAULT_WITHIN_DAYS);
    if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(AppError::field(
            "within_days",
            format!("Within days must be between 0 and {MAX_WITHIN_DAYS}."),
        ));
    }
    let (order, side_order) =
        order_by(sort.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("ends_on"))?;
    let until = on + Duration::days(within_days);
    let extensions_until = on + Duration::days(EXTENSION_WARNING_DAYS);
    // Each side picks its first page by id before reading whole rows: ending
    // subscriptions from the (status, end_date, seats, customer_id) index alone, except
    // in customer order; the merged page is then cut again.
    let customer_join =
        if side_order.starts_with("c.") { "JOIN customers c ON c.id = s.customer_id" } else { "" };
    let rows_sql = format!(
        "SELECT kind, subscription_id, number, customer_id, customer_name, product, deployment, seats, ends_on, auto_renew
         FROM (
            SELECT 'subscription_ending' AS kind, s.id AS subscription_id, s.number, s.customer_id, c.name AS customer_name,
                   s.product, s.deployment, s.seats, s.end_date AS ends_on, s.auto_renew
            FROM (
                SELECT s.id FROM subscriptions s {customer_join}
                WHERE s.status = 'active' AND s.end_date >= $1 AND s.end_date <= $2
                ORDER BY {side_order} LIMIT {PAGE}
            ) page
            JOIN subscriptions s ON s.id = page.id JOIN customers c ON c.id = s.customer_id
            UNION ALL
            SELECT * FROM (
                SELECT 'extension_expiring' AS kind, s.id AS subscription_id, s.number, s.customer_id, c.name AS customer_name,
                       s.product, s.deployment, s.seats, x.new_end AS ends_on, s.auto_renew
                FROM temporary_extensions x JOIN subscriptions s ON s.id = x.subscription_id JOIN customers c ON c.id = s.customer_id
                WHERE x.new_end >= $1 AND x.new_end <= $3
                ORDER BY {side_order} LIMIT {PAGE}
            ) expiring
         ) w ORDER BY {order} LIMIT {PAGE}"
    );
    type Row = (RenewalKind, i64, String, i64, String, Product, Deployment, i64, NaiveDate, bool);
    let rows: Vec<Row> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
        .bind(on)
        .bind(until)
        .bind(extensions_until)
        .fetch_all(p)
        .await)?;
    let total: i64 = on_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM subscriptions WHERE status = 'active' AND end_date >= $1 AND end_date <= $2)
              + (SELECT COUNT(*) FROM temporary_extensions WHERE new_end >= $1 AND new_end <= $3)"
    )
    .bind(on)
    .bind(until)
    .bind(extensions_until)
    .fetch_one(p)
    .await
    })?;
    let renewals: Vec<Renewal> = rows
        .into_iter()
        .map(
            |(
                kind,
                subscription_id,
                number,
                customer_id,
                customer_name,
                product,
                deployment,
                seats,
                ends_on,
                auto_renew,
            )| Renewal {
                kind,
                subscription_id,
                number,
                customer_id,
                customer_name,
                product,
                deployment,
                seats,
                ends_on,
                days_left: (ends_on - on).num_days(),
                auto_renew,
            },
        )
        .collect();
    let more = (total - renewals.len() as i64).max(0);
    Ok(Watchlist { on, within_days, renewals, more })
}
