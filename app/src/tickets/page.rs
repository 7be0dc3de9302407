//! `/tickets?url=`: the ticket's customers, the reply draft with a copy button, the
//! approvals filed under it, and its changes on a timeline.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::{load_ticket, TicketView};
use crate::activity::Timeline;
use crate::audit::{ActivityFilter, ActivityPage};
use crate::domain::{Approval, Verdict};
use crate::ui::{ErrorNote, Field, PageHeader, VerdictBadge};

#[component]
pub fn TicketPage() -> impl IntoView {
    let query = use_query_map();
    let url = Memo::new(move |_| query.read().get("url").unwrap_or_default());
    // Checked here with the server's own rule; the resource is read only inside the
    // Transition below (reading it from the form as well stalled the server render).
    let checked = Memo::new(move |_| crate::validate::ticket_url(&url.get()));
    let url_error = Signal::derive(move || checked.get().err());
    let ticket = crate::client::data(
        move || checked.get().ok().flatten(),
        |u| async move {
            match u {
                None => Ok(None),
                Some(u) => load_ticket(u).await.map(Some),
            }
        },
    );
    view! {
        <PageHeader title="Ticket" subtitle="Everything done under one ticket, across customers, and the reply to send."/>
        <Form method="GET" action="/tickets" attr:class="filters" attr:aria-label="Open a ticket">
            <Field label="Ticket URL" id="url" error=url_error>
                <input id="url" name="url" type="url" size="60" placeholder="https://tickets.example.com/…"
                    autocomplete="off" prop:value=move || url.get()/>
            </Field>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Open"</button>
            </div>
        </Form>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading the ticket…"</p> }>
            {move || ticket.get().map(|r| match r {
                Ok(None) if url_error.get_untracked().is_some() => ().into_any(),
                Ok(None) => view! {
                    <div class="empty-state">
                        <h2>"Which ticket?"</h2>
                        <p class="muted">"Paste a ticket's link, or follow a “ticket” link on a change."</p>
                    </div>
                }.into_any(),
                Ok(Some(t)) => view! { <TicketBody ticket=t/> }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn TicketBody(ticket: TicketView) -> impl IntoView {
    if ticket.events.is_empty() && ticket.approvals.is_empty() {
        return view! {
            <div class="empty-state" data-testid="ticket-empty">
                <h2>"Nothing under this ticket"</h2>
                <p class="muted">"No change or approval request names this ticket link. Links must match exactly."</p>
            </div>
        }
        .into_any();
    }
    let filter = ActivityFilter { ticket: Some(ticket.ticket_url.clone()), ..Default::default() };
    let page = ActivityPage { events: ticket.events, next_cursor: None };
    view! {
        <p class="ticket-url">
            <a href=ticket.ticket_url.clone() target="_blank" rel="noopener noreferrer">{ticket.ticket_url.clone()}" ↗"</a>
        </p>
        <p class="chips" data-testid="ticket-customers" aria-label="Customers">
            {ticket.customers.into_iter().map(|c| view! {
                <a class="chip" href=format!("/customers/{}", c.id)>{c.name}</a>
            }).collect_view()}
        </p>
        <Reply text=ticket.reply/>
        {(!ticket.approvals.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="ticket-approvals">
                <h2 id="ticket-approvals">"Approvals"</h2>
                <ul class="plain" data-testid="ticket-approvals">
                    {ticket.approvals.into_iter().map(|a| view! { <ApprovalLine approval=a/> }).collect_view()}
                </ul>
            </section>
        })}
        <h2 class="ticket-changes">"Changes"</h2>
        <Timeline filter=Signal::stored(filter) initial=page empty="No changes yet: only requests."/>
    }
    .into_any()
}

/// The reply draft, with a button that copies it.
#[component]
fn Reply(text: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let rows = text.lines().count().clamp(2, 12);
    let empty = text.is_empty();
    let copy = {
        let text = text.clone();
        move |_| {
            #[cfg(feature = "hydrate")]
            {
                let _ = leptos::prelude::window().navigator().clipboard().write_text(&text);
            }
            #[cfg(not(feature = "hydrate"))]
            let _ = &text;
            copied.set(true);
        }
    };
    view! {
        <section class="card reply" aria-labelledby="reply-title">
            <header>
                <h2 id="reply-title">"Reply to the customer"</h2>
                <button type="button" class="button" data-testid="copy-reply" disabled=empty on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </header>
            {if empty {
                view! { <p class="muted">"Nothing to tell the customer yet: no change they would see."</p> }.into_any()
            } else {
                view! {
                    <textarea readonly rows=rows data-testid="reply" aria-label="Reply draft">{text}</textarea>
                    <p class="muted">"Plain sentences about what changed: no staff names, internal ids or reasons."</p>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ApprovalLine(approval: Approval) -> impl IntoView {
    let a = approval;
    let record = a.preview.changes.first().map(|c| c.record.clone()).unwrap_or_default();
    view! {
        <li data-testid="ticket-approval">
            <span class=format!("badge status-{}", a.status)>{a.status.as_str()}</span>" "
            <a href=format!("/approvals?status=all#approval-{}", a.id)>{format!("#{} · {}", a.id, a.action.label())}</a>
            " " <span>{record}</span>
            {a.customer_name.clone().map(|n| view! { " · " <span class="muted">{n}</span> })}
            {a.requester.clone().map(|email| view! {
                " · " <span class="muted">"asked by "</span>{email}" "
                <VerdictBadge verdict=a.requester_verdict.unwrap_or(Verdict::Unverified)/>
            })}
        </li>
    }
}
