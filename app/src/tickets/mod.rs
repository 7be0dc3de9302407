//! One view per ticket (`/tickets?url=`): everything done under a ticket URL, across
//! customers, the approvals filed under it and where they stand, and a reply draft in
//! the customer's words (`domain::reply`), to copy into the ticket.

mod page;
#[cfg(feature = "ssr")]
pub mod server;

pub use page::TicketPage;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::audit::ActivityEvent;
use crate::client::CsrfClient;
use crate::domain::Approval;
use crate::AppError;

/// Everything about one ticket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketView {
    pub ticket_url: String,
    /// The changes made under the ticket, newest first (as on the timeline).
    pub events: Vec<ActivityEvent>,
    /// Approval requests filed under it, oldest first, with their state.
    pub approvals: Vec<Approval>,
    /// The customers these touch, in the order they first appear.
    pub customers: Vec<TicketCustomer>,
    /// The reply draft: one plain sentence per change, oldest first, one per line.
    pub reply: String,
}

/// A customer a ticket touched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TicketCustomer {
    pub id: i64,
    pub name: String,
}

/// The view of the ticket at `url`.
#[server(client = CsrfClient, endpoint = "tickets/show")]
pub async fn load_ticket(url: String) -> Result<TicketView, AppError> {
    server::for_caller(&url).await
}
