//! The operation controls of the customer page: the inline subscription editor, the
//! namespace operation dialog, undo, and the preview table they (and the approvals
//! queue) share.
mod dialog;
mod inline;
mod preview;
mod undo;

pub use dialog::{NamespaceActions, OpDialog};
pub use inline::EditableSubscription;
pub use preview::{value_text, ChangesTable, OutcomeNote};
pub use undo::UndoButton;

use leptos::prelude::*;

/// Bumped after every applied change: the customer page reloads its records.
#[derive(Clone, Copy)]
pub struct Reload(pub RwSignal<u64>);

/// Asks the customer page to reload (no-op outside it).
pub fn reload() {
    if let Some(Reload(r)) = use_context::<Reload>() {
        r.update(|v| *v += 1);
    }
}
