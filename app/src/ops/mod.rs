//! Operations on a customer's commercial state (DESIGN.md "Operations" 1–7, 10): the
//! request types and their validation, shared by the browser and the server; the
//! server plans each one against the current records, previews it, and applies it in
//! one transaction with its activity event — or turns it into an approval request.

pub mod policy;
#[cfg(feature = "ssr")]
pub mod server;
mod types;
pub mod ui;

pub use types::*;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::client::CsrfClient;
use crate::AppError;

/// The exact changes `request` would make now, and whether it needs an approval.
#[server(client = CsrfClient, endpoint = "ops/preview", input = Json)]
pub async fn preview_operation(request: OpRequest) -> Result<Preview, AppError> {
    crate::error::with_status(server::preview_for_caller(request).await)
}

/// Applies `request` (or files it for approval when policy says so).
#[server(client = CsrfClient, endpoint = "ops/run", input = Json)]
pub async fn run_operation(request: OpRequest) -> Result<Outcome, AppError> {
    crate::error::with_status(server::run_for_caller(request).await)
}
