//! The operation controls of the customer page: the inline subscription editor, the
//! namespace operation dialog, undo, and the preview table they (and the approvals
//! queue) share.
mod dialog;
mod inline;
mod justify;
mod panel;
mod preview;
mod undo;

pub use dialog::NamespaceActions;
pub use inline::EditableSubscription;
pub use justify::{JustificationFields, KnownRequesters};
pub use panel::OpPanel;
pub use preview::{value_text, ChangesTable, OutcomeNote};
pub use undo::UndoButton;

use leptos::prelude::*;

/// Bumped after every change: the customer page reloads its records.
#[derive(Clone, Copy)]
pub struct Reload(pub RwSignal<u64>);

/// The last operation's outcome, shown above the page's sections (which reload).
#[derive(Clone, Copy)]
pub struct Notice(pub RwSignal<Option<crate::domain::Outcome>>);

/// Asks the customer page to reload (no-op outside it).
pub fn reload() {
    if let Some(Reload(r)) = use_context::<Reload>() {
        r.update(|v| *v += 1);
    }
}

/// Reports a finished operation on the page and reloads the records it changed.
pub fn finished(outcome: crate::domain::Outcome) {
    if let Some(Notice(n)) = use_context::<Notice>() {
        n.set(Some(outcome));
    }
    reload();
}

/// The notice of the last operation, dismissible.
#[component]
pub fn OperationNotice() -> impl IntoView {
    let notice = use_context::<Notice>().map(|Notice(n)| n);
    view! {
        {move || notice.and_then(|n| n.get()).map(|outcome| view! {
            <div class="notice">
                <OutcomeNote outcome/>
                <button type="button" class="button small ghost" aria-label="Dismiss"
                    on:click=move |_| if let Some(n) = notice { n.set(None) }>"✕"</button>
            </div>
        })}
    }
}
