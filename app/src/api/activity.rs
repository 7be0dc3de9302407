//! The activity timeline for automation: filtered pages, the CSV export, the chain's
//! verification, and a record's state at a past moment.
use axum::body::Body;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::QueryParams;
use crate::activity::server::{as_of, csv};
use crate::activity::{parse_moment, StateAsOf};
use crate::audit::{query, ActivityFilter, ActivityPage, ChainReport};
use crate::auth::server::Caller;
use crate::domain::Permission;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// Filters shared by the timeline and its export; every one optional.
#[derive(Deserialize, IntoParams, Default)]
pub struct ActivityQuery {
    /// Staff e-mail address or id.
    pub actor: Option<String>,
    /// Exact action, e.g. `subscription.edit`.
    pub action: Option<String>,
    pub customer_id: Option<String>,
    /// `subscription`, `namespace`, `license`, `billing_account`, `staff_user`, `approval_request`.
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC), inclusive.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC), inclusive.
    pub to: Option<String>,
    /// Text the reason contains.
    pub q: Option<String>,
    /// Email of the person at the customer who asked for the changes.
    pub requester: Option<String>,
    /// The ticket's exact URL: the changes made under it.
    pub ticket: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Events per page (default 50, at most 1000).
    pub limit: Option<String>,
}

impl ActivityQuery {
    fn filter(&self) -> Result<ActivityFilter, AppError> {
        ActivityFilter::from_query(|key| match key {
            "actor" => self.actor.clone(),
            "action" => self.action.clone(),
            "customer_id" => self.customer_id.clone(),
            "target_type" => self.target_type.clone(),
            "target_id" => self.target_id.clone(),
            "from" => self.from.clone(),
            "to" => self.to.clone(),
            "q" => self.q.clone(),
            "requester" => self.requester.clone(),
            "ticket" => self.ticket.clone(),
            _ => None,
        })
    }

    fn limit(&self) -> Result<Option<i64>, AppError> {
        self.limit
            .as_deref()
            .map(|l| {
                l.trim()
                    .parse::<i64>()
                    .map_err(|_| AppError::field("limit", "Limit must be a whole number."))
            })
            .transpose()
    }
}

/// The timeline, newest first, a page at a time.
#[utoipa::path(
    get, path = "/api/v1/activity", tag = "activity", params(ActivityQuery),
    responses(
        (status = 200, description = "A page; follow `next_cursor` for the events below it", body = ActivityPage),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 422, description = "A malformed filter, cursor or limit, named in `fields`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<ActivityQuery>,
) -> Result<Json<ActivityPage>, ErrorResponse> {
    caller.require(Permission::ViewAll, "view the activity timeline")?;
    let filter = q.filter()?;
    let mut page = query::page(&state.db, &filter, q.cursor.as_deref(), q.limit()?).await?;
    crate::billing::server::outbox::annotate(&state.db, &mut page.events).await?;
    Ok(Json(page))
}

/// Exactly the filtered timeline as CSV, newest first, streamed.
#[utoipa::path(
    get, path = "/api/v1/activity.csv", tag = "activity", params(ActivityQuery),
    responses(
        (status = 200, description = "`text/csv`: id, occurred_at, actor, action, target_type, target_id, customer_id, reason, ticket_url, approval_id, source, changes (JSON)", content_type = "text/csv", body = String),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
        (status = 422, description = "A malformed filter", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn export(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<ActivityQuery>,
) -> Result<Response, ErrorResponse> {
    caller.require(Permission::ViewAll, "export the activity timeline")?;
    let filter = q.filter()?;
    let (sender, receiver) = tokio::sync::mpsc::channel(4);
    tokio::spawn(csv::export(state.db.clone(), filter, sender));
    // Fused: the compression layer may poll once more after the end.
    let stream = futures::StreamExt::fuse(futures::stream::unfold(receiver, |mut r| async move {
        r.recv().await.map(|chunk| (chunk, r))
    }));
    let name = format!("activity-{}.csv", crate::store::today());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

/// Whether the chain holds now: the events appended since the last check are walked (the
/// whole chain at most hourly), one walk shared by every caller, and the newest signed
/// checkpoint is compared with the database.
#[utoipa::path(
    get, path = "/api/v1/activity/verify", tag = "activity",
    responses(
        (status = 200, description = "`holds`, events `checked`, and `first_broken` when it does not hold", body = ChainReport),
        (status = 401, description = "No valid session or token", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn verify(
    caller: Caller,
    State(state): State<AppState>,
) -> Result<Json<ChainReport>, ErrorResponse> {
    caller.require(Permission::ViewAll, "verify the activity chain")?;
    Ok(Json(state.chain_report(chrono::Duration::zero()).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct StateQuery {
    /// `subscription` or `namespace`.
    pub target_type: String,
    pub target_id: i64,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` (UTC).
    pub at: String,
}

/// A subscription's or namespace's fields at a past moment, rebuilt from its events.
#[utoipa::path(
    get, path = "/api/v1/activity/state", tag = "activity", params(StateQuery),
    responses(
        (status = 200, description = "Each field then and now", body = StateAsOf),
        (status = 404, description = "No such record", body = crate::status::ErrorBody),
        (status = 422, description = "Bad `target_type` or `at`", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn state_as_of(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<StateQuery>,
) -> Result<Json<StateAsOf>, ErrorResponse> {
    caller.require(Permission::ViewAll, "view past states")?;
    let at = parse_moment(&q.at)?;
    Ok(Json(as_of::state_as_of(&state.db, &q.target_type, q.target_id, at).await?))
}
