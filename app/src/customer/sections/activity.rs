use leptos::prelude::*;

use super::Section;
use crate::customer::CustomerView;
use crate::ops::ui::UndoButton;

/// The customer's recent activity, newest first, with field changes.
#[component]
pub fn ActivitySection(view: CustomerView) -> impl IntoView {
    let events = view.activity.clone();
    let count = events.len();
    view! {
        <Section title="Recent activity" id="activity" count empty="No activity recorded for this customer.">
            <ol class="timeline">
                {events.into_iter().map(|e| {
                    let changes: Vec<String> = e.changes.iter().map(|(field, [old, new])| format!("{field}: {old} → {new}")).collect();
                    let undo = view! { <UndoButton event=e.clone()/> };
                    view! {
                        <li>
                            <time datetime=e.occurred_at.to_rfc3339()>{e.occurred_at.format("%Y-%m-%d %H:%M").to_string()}</time>
                            <span><strong>{e.action.clone()}</strong> " on " {e.target_type.clone()} " " {e.target_id} " by " {e.actor_email.clone()}</span>
                            <span class="muted">{e.reason.clone()}</span>
                            {(!changes.is_empty()).then(|| view! { <code class="diff">{changes.join("; ")}</code> })}
                            {undo}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </Section>
    }
}
