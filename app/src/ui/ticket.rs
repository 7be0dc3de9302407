//! A ticket named on a change: the console's view of everything done under it, and
//! the ticket itself in the tracker.
use leptos::prelude::*;

use crate::url::ticket_href;

#[component]
pub fn TicketLink(url: String) -> impl IntoView {
    view! {
        <span class="ticket-link">
            <a href=ticket_href(&url) data-testid="ticket-link" title="Everything done under this ticket">"ticket"</a>
            <a href=url target="_blank" rel="noopener noreferrer" class="muted" title="Open the ticket in the tracker"
                aria-label="Open the ticket in the tracker">"↗"</a>
        </span>
    }
}
