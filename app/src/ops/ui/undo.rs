use leptos::prelude::*;

use super::OpPanel;
use crate::audit::ActivityEvent;
use crate::domain::{permission_of, Operation, REVERSIBLE};
use crate::ui::use_current_user;

/// "Undo" on a reversible event the signed-in role could have made.
#[component]
pub fn UndoButton(event: ActivityEvent) -> impl IntoView {
    let role = use_current_user().role;
    let open = RwSignal::new(false);
    let reversible = REVERSIBLE.contains(&event.body.action.as_str());
    let permission = permission_of(&event.body.action);
    let event_id = event.id;
    view! {
        <Show when=move || reversible && role.can(permission)>
            <button type="button" class="button small ghost" on:click=move |_| open.set(true)
                aria-label=format!("Undo event {event_id}")>"Undo"</button>
        </Show>
        <Show when=move || open.get()>
            <OpPanel template=Operation::Undo { event_id } on_close=Callback::new(move |_| open.set(false))/>
        </Show>
    }
}
