use leptos::prelude::*;

use crate::domain::{Change, Outcome};

/// A JSON value as people read it: text without quotes, nothing as "—".
pub fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "—".into(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The exact changes of an operation: record, field, before → after.
#[component]
pub fn ChangesTable(changes: Vec<Change>) -> impl IntoView {
    view! {
        <table class="table changes" data-testid="changes">
            <thead><tr><th>"Record"</th><th>"Field"</th><th>"Before"</th><th></th><th>"After"</th></tr></thead>
            <tbody>
                {changes.into_iter().map(|c| view! {
                    <tr>
                        <td><code>{c.record.clone()}</code></td>
                        <td>{c.field.replace('_', " ")}</td>
                        <td class="before">{value_text(&c.before)}</td>
                        <td aria-hidden="true">"→"</td>
                        <td class="after"><strong>{value_text(&c.after)}</strong></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// What happened after a submit: applied, or waiting for approval.
#[component]
pub fn OutcomeNote(outcome: Outcome) -> impl IntoView {
    match outcome {
        Outcome::Applied { event_id, preview } => view! {
            <p class="success" role="status" data-testid="applied">{format!("{} applied (activity event {event_id}).", preview.title)}</p>
        }.into_any(),
        Outcome::PendingApproval { approval_id, preview } => view! {
            <p class="pending" role="status" data-testid="pending-approval">
                {format!("{}: pending approval (request {approval_id}). A lead or admin will decide; nothing changed yet.", preview.title)}
                " " <a href="/approvals?status=pending">"See the queue"</a>
            </p>
        }.into_any(),
    }
}
