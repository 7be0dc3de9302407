//! The customer page: everything about one customer in one place, loaded with a
//! fixed number of queries (one per kind of record).

mod format;
mod page;
mod sections;
#[cfg(feature = "ssr")]
pub mod server;
mod types;

pub use format::{days_between, money};
pub use page::CustomerPage;
pub use types::*;

use leptos::prelude::*;

use crate::client::CsrfClient;
use crate::AppError;

/// Everything the customer page shows.
#[server(client = CsrfClient, endpoint = "customer")]
pub async fn get_customer(id: i64) -> Result<CustomerView, AppError> {
    server::load_for_caller(id).await
}
