//! Internal notes on a customer: what the next person to open the account should know
//! ("don't extend again without sales", "billing contact is on leave"). Anyone who can
//! see the customer adds one; a note is pinned to the customer's header (and badged in
//! search) until unpinned or resolved. Notes are never deleted, and each change is an
//! activity event.

mod section;
#[cfg(feature = "ssr")]
pub mod server;

pub use section::{NotesSection, PinnedNotes};

use leptos::prelude::*;

use crate::client::CsrfClient;
use crate::domain::{Note, NoteAction};
use crate::AppError;

/// Adds a note to customer `customer_id`.
#[server(client = CsrfClient, endpoint = "notes/add")]
pub async fn add_note(customer_id: i64, body: String) -> Result<Note, AppError> {
    server::add_for_caller(customer_id, &body).await
}

/// Pins, unpins or resolves note `id`.
#[server(client = CsrfClient, endpoint = "notes/change")]
pub async fn change_note(id: i64, action: NoteAction) -> Result<Note, AppError> {
    server::change_for_caller(id, action).await
}
