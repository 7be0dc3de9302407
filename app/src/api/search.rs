use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use super::body::QueryParams;
use crate::auth::server::Caller;
use crate::domain::Permission;
use crate::search::{server, SearchHit};
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// Search results, best first.
#[derive(Serialize, ToSchema)]
pub struct SearchResults {
    pub results: Vec<SearchHit>,
}

/// Finds customers and their records by any identifier.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "search",
    params(
        ("q" = String, Query, description = "Any identifier or part of a name, email, company or path"),
        ("limit" = Option<u32>, Query, description = "Most results (1–50, default 20)"),
    ),
    responses(
        (status = 200, description = "Matches, best first", body = SearchResults),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 422, description = "A parameter is malformed", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn search(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(params): QueryParams<HashMap<String, String>>,
) -> Result<Json<SearchResults>, ErrorResponse> {
    caller.require(Permission::ViewAll, "search customers")?;
    let limit =
        match params.get("limit").map(|l| l.trim()) {
            None | Some("") => None,
            Some(l) => Some(l.parse::<u32>().map_err(|_| {
                AppError::field("limit", "limit must be a whole number from 1 to 50.")
            })?),
        };
    let q = params.get("q").map(String::as_str).unwrap_or("");
    let results = server::search(&state.db, q, limit, crate::store::today()).await?;
    Ok(Json(SearchResults { results }))
}
