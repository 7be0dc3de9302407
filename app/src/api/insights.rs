//! What keeps coming back, for team leads' automation.
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::body::QueryParams;
use crate::audit::tally::{Counts, REPEAT_FLOOR, WINDOW_DAYS};
use crate::auth::server::Caller;
use crate::dashboard::server::repeats;
use crate::dashboard::{Repeat, MIN_REPEATS};
use crate::domain::Permission;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// Longest period asked about, in days.
const MAX_DAYS: i64 = 90;
/// Most customers listed.
const MAX_LISTED: usize = 200;

#[derive(Deserialize, IntoParams)]
pub struct RepeatsQuery {
    /// Days looked back over, today included (1–90; 30 when absent).
    pub days: Option<String>,
    /// Fewest changes to be listed (2 or more; 3 when absent).
    pub min: Option<String>,
}

/// Customers changed again and again.
#[derive(Serialize, ToSchema)]
pub struct Repeats {
    /// Most changes first (at most 200).
    pub customers: Vec<Repeat>,
}

fn number(
    raw: &Option<String>,
    field: &str,
    default: i64,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, AppError> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s.parse().ok().filter(|n| range.contains(n)).ok_or_else(|| {
            AppError::field(
                field,
                format!(
                    "{field} must be a whole number from {} to {}.",
                    range.start(),
                    range.end()
                ),
            )
        }),
    }
}

/// Repeat interventions: customers with `min` or more changes to their data in the last
/// `days` days, with the changes by action. The default period is answered from counts
/// kept up to date in memory; another is counted on request.
#[utoipa::path(
    get, path = "/api/v1/insights/repeats", tag = "insights", params(RepeatsQuery),
    responses(
        (status = 200, description = "Customers, most changes first", body = Repeats),
        (status = 403, description = "Only leads and admins", body = crate::status::ErrorBody),
        (status = 422, description = "`days` or `min` out of range", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn repeat_interventions(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<RepeatsQuery>,
) -> Result<Json<Repeats>, ErrorResponse> {
    caller.require(Permission::Dashboards, "see repeat interventions")?;
    let days = number(&q.days, "days", WINDOW_DAYS, 1..=MAX_DAYS)?;
    let min = number(&q.min, "min", MIN_REPEATS, REPEAT_FLOOR..=1_000)?;
    let today = crate::store::today();
    let counts = if days == WINDOW_DAYS {
        state.tally.current(&state.db, today).await?
    } else {
        std::sync::Arc::new(Counts::count(&state.db, today, days, None).await?)
    };
    Ok(Json(Repeats { customers: repeats(&state.db, &counts, min, MAX_LISTED).await? }))
}
