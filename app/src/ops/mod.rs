//! The operations engine (docs/PRODUCT.md "Operations"): the server plans each
//! operation (`domain::Operation`, checked by `domain::ops_policy`) against the current
//! records, previews it, and applies it in one transaction with its activity event, or
//! turns it into an approval request; undo; and the widgets every page uses to start
//! one (dialogs, inline edits, the undo button).

#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::client::CsrfClient;
use crate::domain::{OpRequest, Outcome, Preview, Subscription};
use crate::AppError;

/// The exact changes `request` would make now, and whether it needs an approval.
#[server(client = CsrfClient, endpoint = "ops/preview", input = Json)]
pub async fn preview_operation(request: OpRequest) -> Result<Preview, AppError> {
    server::preview_for_caller(request).await
}

/// Applies `request` (or files it for approval when policy says so).
#[server(client = CsrfClient, endpoint = "ops/run", input = Json)]
pub async fn run_operation(request: OpRequest) -> Result<Outcome, AppError> {
    server::run_for_caller(request).await
}

/// A subscription as it is now.
#[server(client = CsrfClient, endpoint = "ops/subscription")]
pub async fn current_subscription(id: i64) -> Result<Subscription, AppError> {
    server::subscription_for_caller(id).await
}
