//! The activity timeline: the events `crate::audit` records, filtered, paged, exported
//! as CSV, a record's state at a past moment, and undo from the timeline.

#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use ui::{timeline_href, Timeline, TimelinePage};

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::audit::{ActivityEvent, ActivityFilter, ActivityPage, ChainReport};
use crate::client::CsrfClient;
use crate::AppError;

/// A record's fields at a past moment, next to today's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StateAsOf {
    pub target_type: String,
    pub target_id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub fields: Vec<FieldThen>,
    /// Events after `at` that were walked back.
    pub events_after: u64,
}

/// One field then and now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldThen {
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::domain::any_value))]
    pub then: serde_json::Value,
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::domain::any_value))]
    pub now: serde_json::Value,
}

#[cfg(feature = "ssr")]
fn viewer() -> Result<crate::state::AppState, AppError> {
    crate::auth::server::caller::require(
        crate::domain::Permission::ViewAll,
        "view the activity timeline",
    )?;
    crate::state::from_context()
}

/// A page of the timeline.
#[server(client = CsrfClient, endpoint = "activity/page", input = Json)]
pub async fn load_activity(
    filter: ActivityFilter,
    cursor: Option<String>,
) -> Result<ActivityPage, AppError> {
    let state = viewer()?;
    let mut page = crate::audit::query::page(&state.db, &filter, cursor.as_deref(), None).await?;
    crate::billing::server::outbox::annotate(&state.db, &mut page.events).await?;
    Ok(page)
}

/// Events newer than `after` that match the filter (the live part of the timeline).
#[server(client = CsrfClient, endpoint = "activity/since", input = Json)]
pub async fn activity_since(
    filter: ActivityFilter,
    after: i64,
) -> Result<Vec<ActivityEvent>, AppError> {
    let state = viewer()?;
    let mut events = crate::audit::query::since(&state.db, &filter, after).await?;
    crate::billing::server::outbox::annotate(&state.db, &mut events).await?;
    Ok(events)
}

/// Whether the chain holds, from a verification at most a minute old.
#[server(client = CsrfClient, endpoint = "activity/chain")]
pub async fn chain_status() -> Result<ChainReport, AppError> {
    let state = viewer()?;
    state.chain_report(chrono::Duration::minutes(1)).await
}

/// E-mail addresses of staff, to pick an actor from.
#[server(client = CsrfClient, endpoint = "activity/actors")]
pub async fn activity_actors() -> Result<Vec<String>, AppError> {
    let state = viewer()?;
    let staff = crate::auth::server::staff::list(&state.db).await?;
    Ok(staff.into_iter().map(|member| member.email).collect())
}

/// A subscription or namespace as it was at `at` (RFC 3339, or `2026-11-27T10:30`
/// UTC); empty means 30 days ago.
#[server(client = CsrfClient, endpoint = "activity/as_of")]
pub async fn record_as_of(
    target_type: String,
    target_id: i64,
    at: String,
) -> Result<StateAsOf, AppError> {
    let state = viewer()?;
    let at = if at.trim().is_empty() {
        crate::store::now() - chrono::Duration::days(30)
    } else {
        parse_moment(&at)?
    };
    server::as_of::state_as_of(&state.db, &target_type, target_id, at).await
}

/// A moment from `2026-11-27T10:30` (UTC) or full RFC 3339.
pub fn parse_moment(text: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    let text = text.trim();
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .or_else(|_| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M").map(|t| t.and_utc())
        })
        .map_err(|_| AppError::field("at", "Give a moment like 2026-11-27T10:30 (UTC)."))
}
