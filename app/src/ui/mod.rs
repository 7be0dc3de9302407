//! The UI kit: widgets every page uses (page header, error note, form field, permission
//! gate, count table, the not-found page), code fetched on demand, and who is signed
//! in. Below the pages; knows none of them.

mod components;
mod count_table;
mod on_demand;
mod ticket;
mod verdict;

pub use components::{ErrorNote, Field, NotFound, PageHeader, RequirePermission};
pub use count_table::CountTable;
pub use on_demand::{on_demand, opening};
pub use ticket::TicketLink;
pub use verdict::VerdictBadge;

use leptos::prelude::expect_context;

use crate::auth::CurrentUser;

/// The signed-in user. The layout awaits the session once per page load and renders
/// the pages only then, inside a context holding this value: every component below it
/// reads who is signed in synchronously, with no resource and no `Suspense` of its own
/// (a user read with `get` inside nested boundaries could hydrate differently from how
/// it was rendered, and stall a streamed page: leptos #4578, #4851).
pub fn use_current_user() -> CurrentUser {
    expect_context::<CurrentUser>()
}
