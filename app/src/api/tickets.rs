//! A ticket's view for automation: what was done under it and the reply draft.
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use super::body::QueryParams;
use crate::auth::server::Caller;
use crate::domain::Permission;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::tickets::{server, TicketView};

#[derive(Deserialize, IntoParams)]
pub struct TicketQuery {
    /// The ticket's URL, exactly as given with the changes.
    pub url: Option<String>,
}

/// Everything done under a ticket, across customers: its events (newest first), its
/// approval requests and their state, the customers touched, and a reply draft (one
/// customer-facing sentence per change, one per line).
#[utoipa::path(
    get, path = "/api/v1/tickets", tag = "tickets", params(TicketQuery),
    responses(
        (status = 200, description = "The ticket's view (empty lists when nothing names it)", body = TicketView),
        (status = 422, description = "Missing or not a ticket URL", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn show(
    caller: Caller,
    State(state): State<AppState>,
    QueryParams(q): QueryParams<TicketQuery>,
) -> Result<Json<TicketView>, ErrorResponse> {
    caller.require(Permission::ViewAll, "view tickets")?;
    Ok(Json(server::load(&state.db, q.url.as_deref().unwrap_or_default()).await?))
}
