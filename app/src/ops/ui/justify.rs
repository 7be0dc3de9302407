use leptos::prelude::*;

use crate::domain::requester::classify;
use crate::domain::{Contact, NamespaceOwner, Verdict};
use crate::ui::VerdictBadge;
use crate::AppError;

/// The people who may ask for changes to the customer on the page: their contacts and
/// each namespace's owners. The customer page provides it; the forms below classify the
/// requester with it as the person types (the server classifies again).
#[derive(Debug, Clone, Default)]
pub struct KnownRequesters {
    pub contacts: Vec<Contact>,
    /// Namespace id → its owners.
    pub owners: Vec<(i64, Vec<NamespaceOwner>)>,
}

impl KnownRequesters {
    /// What `email` is to the customer, for a change to namespace `namespace_id` (or to
    /// another record when `None`).
    pub fn verdict(&self, email: &str, namespace_id: Option<i64>) -> Verdict {
        let owners = namespace_id
            .and_then(|id| self.owners.iter().find(|(n, _)| *n == id))
            .map_or(&[][..], |(_, o)| o.as_slice());
        classify(email, &self.contacts, owners)
    }
}

/// Whether the requester typed so far is a valid email that is nobody known to the
/// customer on the page (the change will wait for a lead). False off the customer page.
pub fn unverified(
    requester: RwSignal<String>,
    namespace_id: Option<i64>,
) -> impl Fn() -> bool + Copy {
    let known = StoredValue::new(use_context::<KnownRequesters>());
    move || {
        let email = requester.get();
        crate::validate::email(&email).is_ok()
            && known.with_value(|k| {
                k.as_ref().is_some_and(|k| k.verdict(&email, namespace_id) == Verdict::Unverified)
            })
    }
}

/// The reason, ticket URL and (when asked for) requester every change carries, with
/// their validation messages and, as the requester is typed, the verdict on them.
#[component]
pub fn JustificationFields(
    reason: RwSignal<String>,
    ticket: RwSignal<String>,
    /// The email of who asked; `None` for a change nobody asked for (an integrity fix).
    #[prop(optional)]
    requester: Option<RwSignal<String>>,
    /// The namespace being changed, whose owners may ask too.
    #[prop(default = None)]
    namespace_id: Option<i64>,
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
                      value: RwSignal<String>,
                      hint: Option<AnyView>| {
        let id = format!("{id_prefix}-{name}");
        let error = message(name);
        let placeholder = match kind {
            "url" => Some("https://"),
            "email" => Some("name@customer.com"),
            _ => None,
        };
        view! {
            <div class="field" class:invalid=move || error().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id type=kind autocomplete="off" placeholder=placeholder
                    node_ref=if name == "reason" { first } else { NodeRef::new() }
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                {move || error().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
                {hint}
            </div>
        }
    };
    let asker = requester.map(|value| {
        let known = use_context::<KnownRequesters>();
        let verdict = move || {
            let email = value.get();
            let known = known.as_ref()?;
            crate::validate::email(&email).ok()?;
            Some(known.verdict(&email, namespace_id))
        };
        let hint = view! {
            <small class="verdict" role="status" data-testid="requester-verdict">
                {move || verdict().map(|v| {
                    let note = (v == Verdict::Unverified)
                        .then_some(" Not a contact or namespace owner: a lead must approve.");
                    view! { <VerdictBadge verdict=v/> {note} }
                })}
            </small>
        }
        .into_any();
        field("requester", "Requester (who asked)", "email", value, Some(hint))
    });
    view! {
        <div class="grid-2">
            {field("reason", "Reason", "text", reason, None)}
            {field("ticket_url", "Ticket URL", "url", ticket, None)}
            {asker}
        </div>
    }
}
