//! One event on a timeline: who did what to which record, why, and the fields it
//! changed as old → new.
use leptos::prelude::*;

use crate::audit::{ActivityEvent, ActivityFilter};
use crate::domain::{EventSource, Verdict};
use crate::ops::ui::UndoButton;
use crate::ui::{TicketLink, VerdictBadge};

/// A JSON value as people read it: strings bare, nothing as a dash.
pub fn show_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) if s.is_empty() => "(empty)".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The timeline address narrowed to `filter`.
pub fn timeline_href(filter: &ActivityFilter) -> String {
    let query = filter.to_query();
    if query.is_empty() {
        "/activity".into()
    } else {
        format!("/activity?{query}")
    }
}

/// Who asked for the change and what they are to the customer; links to everything
/// they asked for.
#[component]
fn Requester(event: ActivityEvent) -> impl IntoView {
    let b = event.body;
    let verdict = b.requester_verdict;
    let asked = b.requester.map(|email| {
        let href = timeline_href(&ActivityFilter { requester: Some(email.clone()), ..Default::default() });
        view! { <span class="muted">"asked by"</span> <a href=href class="event-requester">{email}</a> }
    });
    let badge = verdict
        .filter(|v| *v != Verdict::Proactive || asked.is_none())
        .map(|v| view! { <VerdictBadge verdict=v testid="event-verdict"/> });
    view! { {asked} {badge} }
}

#[component]
pub fn EventItem(event: ActivityEvent) -> impl IntoView {
    let e = event.clone();
    let target = timeline_href(&ActivityFilter {
        target_type: Some(e.body.target_type.to_string()),
        target_id: Some(e.body.target_id),
        ..Default::default()
    });
    let by_actor = timeline_href(&ActivityFilter {
        actor: Some(e.body.actor_email.clone()),
        ..Default::default()
    });
    let source = match e.body.source {
        EventSource::Console => None,
        EventSource::Api => Some("via API"),
        EventSource::Scheduled => Some("scheduled"),
        EventSource::Billing => Some("from the billing system"),
    };
    let changes = e.body.changes.clone();
    let sync = e.billing.clone().map(|s| view! { <SyncBadge sync=s/> });
    view! {
        <li class="event" data-testid="event" data-event-id=e.id id=format!("event-{}", e.id)>
            <div class="event-head">
                <time datetime=e.occurred_at.to_rfc3339() title=crate::domain::when::second_utc(e.occurred_at)>
                    {crate::domain::when::clock(e.occurred_at)}
                </time>
                <strong class="event-action">{e.body.action.label()}</strong>
                <code class="muted">{e.body.action.as_str()}</code>
                <a href=target class="event-target" title=format!("{} {}", e.body.target_type.words(), e.body.target_id)>
                    {format!("{} {}", e.body.target_type.words(), e.target_label.clone().unwrap_or_else(|| e.body.target_id.to_string()))}
                </a>
                {e.body.customer_id.map(|c| view! {
                    <a href=format!("/customers/{c}") class="muted" title=format!("customer {c}")>
                        {e.customer_name.clone().unwrap_or_else(|| format!("customer {c}"))}
                    </a>
                })}
                <span class="muted">"by"</span>
                <a href=by_actor class="event-actor">{e.body.actor_email.clone()}</a>
                {source.map(|s| view! { <span class="badge">{s}</span> })}
                {sync}
                <Requester event=e.clone()/>
                <span class="event-tail">
                    {e.body.approval_id.map(|a| view! { <a class="badge" href=format!("/approvals?status=all#approval-{a}")>{format!("approval #{a}")}</a> })}
                    {e.body.ticket_url.clone().map(|t| view! { <TicketLink url=t/> })}
                    <UndoButton event=event/>
                </span>
            </div>
            {(!e.body.reason.is_empty()).then(|| view! { <p class="event-reason">{e.body.reason.clone()}</p> })}
            {(!changes.is_empty()).then(|| view! {
                <dl class="diff" aria-label="Changed fields">
                    {changes.into_iter().map(|(field, [old, new])| view! {
                        <div class="diff-row">
                            <dt>{field}</dt>
                            <dd><del>{show_value(&old)}</del>" → "<ins>{show_value(&new)}</ins></dd>
                        </div>
                    }).collect_view()}
                </dl>
            })}
        </li>
    }
}

/// Whether a change written through to the billing system reached it.
#[component]
fn SyncBadge(sync: crate::domain::billing::ChangeSync) -> impl IntoView {
    use crate::domain::billing::SyncState;
    let (class, text) = match sync.sync {
        SyncState::Synced => ("badge", "synced to billing"),
        SyncState::Pending => ("badge warn", "syncing to billing"),
        SyncState::Failed => ("badge danger", "billing sync failed"),
    };
    let title = sync.error.map(|e| {
        let next = sync
            .next_retry_at
            .map(|t| format!("{} UTC", crate::domain::when::clock_seconds(t)))
            .unwrap_or_default();
        format!("{e}; next try {next}")
    });
    view! { <span class=class title=title data-testid="event-sync" data-sync=sync.sync.as_str()>{text}</span> }
}
