use leptos::prelude::*;

use super::OpPanel;
use crate::audit::ActivityEvent;
use crate::domain::{may_undo, Operation};
use crate::ui::use_current_user;

/// "Undo" on a reversible event whose undoing the signed-in role may make (as the
/// change it is: `domain::undo`).
#[component]
pub fn UndoButton(event: ActivityEvent) -> impl IntoView {
    let role = use_current_user().role;
    let open = RwSignal::new(false);
    let allowed = may_undo(role, event.body.action, &event.body.changes);
    let event_id = event.id;
    view! {
        {allowed.then(|| view! {
            <button type="button" class="button small ghost" on:click=move |_| open.set(true)
                aria-label=format!("Undo event {event_id}")>"Undo"</button>
        })}
        {move || open.get().then(|| view! {
            <OpPanel template=Operation::Undo { event_id } on_close=Callback::new(move |_| open.set(false))/>
        })}
    }
}
