use leptos::prelude::*;

use crate::AppError;

/// The reason and ticket URL every change carries, with their validation messages.
#[component]
pub fn JustificationFields(
    reason: RwSignal<String>,
    ticket: RwSignal<String>,
    /// Makes the inputs' ids unique on the page.
    id_prefix: String,
    /// The request's validation error once the user tried to submit.
    errors: Signal<Option<AppError>>,
    /// Puts the cursor in the reason field when shown.
    #[prop(optional)]
    focus: bool,
) -> impl IntoView {
    let first = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let (true, Some(el)) = (focus, first.get()) {
            let _ = el.focus();
        }
    });
    let message =
        move |field: &'static str| move || errors.get().and_then(|e| e.field_message(field));
    let field = move |name: &'static str,
                      label: &'static str,
                      kind: &'static str,
                      value: RwSignal<String>| {
        let id = format!("{id_prefix}-{name}");
        let error = message(name);
        view! {
            <div class="field" class:invalid=move || error().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id type=kind autocomplete="off" placeholder=(kind == "url").then_some("https://")
                    node_ref=if name == "reason" { first } else { NodeRef::new() }
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                {move || error().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
            </div>
        }
    };
    view! {
        <div class="grid-2">
            {field("reason", "Reason", "text", reason)}
            {field("ticket_url", "Ticket URL", "url", ticket)}
        </div>
    }
}
