//! `/dashboard`: what the teams changed over the last 30 days and what waits, for
//! leads and admins. Every figure links to the timeline narrowed to it.
mod chart;
mod page;
#[cfg(feature = "ssr")]
pub mod server;

pub use page::DashboardPage;

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::client::CsrfClient;
use crate::domain::Count;
use crate::AppError;

/// Days the dashboard looks back over, today included.
pub const DAYS: i64 = 30;

/// The dashboard's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Dashboard {
    /// First and last day counted (UTC).
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Events per day, one entry for every day from `from` to `to`.
    pub per_day: Vec<DayCount>,
    /// Events per action, most first.
    pub by_action: Vec<Count>,
    /// Events per staff member, most first (the top ten).
    pub by_actor: Vec<Count>,
    pub total: i64,
    /// Approval requests waiting for a decision.
    pub pending_approvals: i64,
    /// Temporary extensions issued in the period.
    pub extensions_issued: i64,
    /// Customers with [`MIN_REPEATS`] or more changes in the period, most first.
    pub repeats: Vec<Repeat>,
    /// Open findings whose rule held on the same record before, resolved in the period.
    pub came_back: Vec<CameBack>,
}

/// Changes that make a customer a repeat intervention.
pub const MIN_REPEATS: i64 = 3;

/// A customer changed again and again: worth asking why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Repeat {
    pub customer_id: i64,
    pub customer_name: String,
    /// Changes in the period.
    pub count: i64,
    /// Those changes by action (`key`), most first.
    pub actions: Vec<Count>,
}

/// An integrity finding resolved and then found again on the same record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct CameBack {
    /// The open finding.
    pub id: i64,
    pub rule: String,
    pub customer_id: i64,
    pub customer_name: String,
    /// The record's label (namespace path, subscription number).
    pub record: String,
    /// When it was found again.
    pub first_seen_at: chrono::DateTime<chrono::Utc>,
    /// How often it was resolved before, in the period.
    pub times_resolved: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DayCount {
    pub day: NaiveDate,
    pub count: i64,
}

/// The state to read the dashboard in, for a caller whose role may see it.
#[cfg(feature = "ssr")]
fn lead() -> Result<crate::state::AppState, AppError> {
    crate::auth::server::caller::require(
        crate::domain::Permission::Dashboards,
        "see the dashboard",
    )?;
    crate::state::from_context()
}

/// Open integrity findings per rule, as the last scan and later operations left them.
#[server(client = CsrfClient, endpoint = "dashboard/findings")]
pub async fn load_findings() -> Result<Vec<Count>, AppError> {
    let state = lead()?;
    let counts = crate::checks::store::counts(&state.db, None).await?;
    Ok(counts.into_iter().map(|c| Count { key: c.rule.to_string(), count: c.count }).collect())
}

/// The dashboard as of today.
#[server(client = CsrfClient, endpoint = "dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    let state = lead()?;
    server::dashboard(&state.db, &state.tally, crate::store::today()).await
}
