//! `/scim/v2/Users` and `/scim/v2/Users/{id}`: list (with a filter and paging), get,
//! create, replace, patch and delete, for the bearer of `FC_SCIM_TOKEN` only. Without
//! that setting every path answers 404.
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::json;

use super::error::{scim_json, ScimError};
use super::filter::Filter;
use super::patch::PatchRequest;
use super::store;
use super::user::UserInput;
use crate::auth::server::middleware::{bearer, constant_time_eq};
use crate::auth::server::secret::digest;
use crate::state::AppState;

const LIST_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
/// The most records one page holds.
const MAX_PAGE: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/scim/v2/Users", get(list).post(create))
        .route("/scim/v2/Users/{id}", get(one).put(replace).patch(patch).delete(delete))
}

/// Lets the request through when it carries the provisioning token.
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), ScimError> {
    let Some(expected) = state.config.scim_token.as_deref() else {
        return Err(ScimError::new(StatusCode::NOT_FOUND, None, "Provisioning is not enabled"));
    };
    let given = bearer(headers).unwrap_or_default();
    // Digests first: the comparison takes the same time whatever the lengths.
    if constant_time_eq(digest(given).as_bytes(), digest(expected).as_bytes()) {
        Ok(())
    } else {
        Err(ScimError::new(
            StatusCode::UNAUTHORIZED,
            None,
            "A valid provisioning bearer token is required",
        ))
    }
}

fn id_of(raw: &str) -> Result<i64, ScimError> {
    raw.parse().map_err(|_| ScimError::not_found(raw))
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ScimError> {
    serde_json::from_slice(bytes)
        .map_err(|e| ScimError::syntax(format!("The body is not a valid request: {e}")))
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    filter: Option<String>,
    start_index: Option<i64>,
    count: Option<i64>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    let filter =
        q.filter.as_deref().filter(|f| !f.trim().is_empty()).map(Filter::parse).transpose()?;
    let start = q.start_index.unwrap_or(1).max(1);
    let count = q.count.unwrap_or(100).clamp(0, MAX_PAGE);
    let (total, rows) = store::list(&state.db, filter.as_ref(), start, count).await?;
    let resources: Vec<_> = rows.iter().map(|r| r.resource()).collect();
    Ok(scim_json(
        StatusCode::OK,
        &json!({
            "schemas": [LIST_SCHEMA],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": resources.len(),
            "Resources": resources,
        }),
    ))
}

async fn one(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    let found = store::get(&state.db, id_of(&id)?).await?;
    Ok(scim_json(StatusCode::OK, &found.resource()))
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    bytes: Bytes,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    let person = body::<UserInput>(&bytes)?.person()?;
    let made = store::create(&state.db, &person).await?;
    tracing::info!(staff_user_id = made.id, "scim: provisioned");
    Ok(scim_json(StatusCode::CREATED, &made.resource()))
}

/// A PUT: the record replaced by the body.
async fn replace(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    let id = id_of(&id)?;
    let person = body::<UserInput>(&bytes)?.person()?;
    let after = store::update(&state.db, id, |_| Ok(person)).await?;
    Ok(scim_json(StatusCode::OK, &after.resource()))
}

/// A PATCH: the body's operations applied to the record.
async fn patch(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    bytes: Bytes,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    let id = id_of(&id)?;
    let request = body::<PatchRequest>(&bytes)?;
    let after = store::update(&state.db, id, |person| request.apply(person)).await?;
    Ok(scim_json(StatusCode::OK, &after.resource()))
}

async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ScimError> {
    authorize(&state, &headers)?;
    store::delete(&state.db, id_of(&id)?).await?;
    tracing::info!(staff_user_id = %id, "scim: deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}
