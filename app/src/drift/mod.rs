//! Billing drift: where the console and the billing provider disagree, found by
//! reconciliation (webhooks and the sweep), listed and fixed through the operations
//! engine (`docs/billing.md`); and a customer's linked records side by side.
mod filter;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use filter::DriftFilter;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::client::CsrfClient;
use crate::domain::drift::DriftPage;
use crate::AppError;

/// Rows per page of the drift list.
pub const PAGE: i64 = 50;

/// Open drift, oldest first, `PAGE` rows after `cursor`, with the counts.
#[server(client = CsrfClient, endpoint = "drift/list", input = Json)]
pub async fn load_drift(filter: DriftFilter, cursor: Option<i64>) -> Result<DriftPage, AppError> {
    crate::auth::server::caller::require(
        crate::domain::Permission::IntegrityFixes,
        "see billing drift",
    )?;
    let state = crate::state::from_context()?;
    let narrow = crate::billing::server::drift::Narrow {
        field: filter.field,
        kind: filter.kind,
        customer_id: filter.customer_id,
        after: cursor,
    };
    crate::billing::server::drift::list(&state.db, &narrow, PAGE).await
}
