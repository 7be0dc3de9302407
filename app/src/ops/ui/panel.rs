//! The operation controls' code is code that most page views never run: one WASM chunk
//! of its own, fetched the first time a panel opens or an inline edit starts (the
//! buttons that open them are small and ship with the page). One chunk for both: they
//! share most of their code, and each split point multiplies the chunks every page
//! fetches (docs/benchmarks.md, "Build settings and their measured effect").
use leptos::prelude::*;

use super::dialog::OpDialog;
use super::inline::MakeEditor;
use crate::domain::Operation;
use crate::ui::{on_demand, opening};

/// Renders the panel; a plain function pointer, so the code behind it moves to the
/// chunk of the lazy function that hands it out.
type Render = fn(Operation, Vec<(i64, String)>, Option<i64>, Option<i64>, Callback<()>) -> AnyView;

/// What the chunk hands out.
#[derive(Clone, Copy)]
pub(super) struct OpsCode {
    panel: Render,
    pub editor: MakeEditor,
}

#[lazy]
pub(super) fn ops_code() -> OpsCode {
    OpsCode {
        panel: |template, subscriptions, finding_id, drift_id, on_close| {
            view! { <OpDialog template subscriptions finding_id drift_id on_close/> }.into_any()
        },
        editor: super::inline::editor::make,
    }
}

/// The panel for one operation (preview, reason, ticket, apply or request approval).
#[component]
pub fn OpPanel(
    template: Operation,
    #[prop(optional)] subscriptions: Vec<(i64, String)>,
    /// The integrity finding this operation fixes (nobody asked: no requester).
    #[prop(optional)]
    finding_id: Option<i64>,
    /// The billing drift this operation settles.
    #[prop(optional)]
    drift_id: Option<i64>,
    on_close: Callback<()>,
) -> impl IntoView {
    on_demand(ops_code, opening, move |code: OpsCode| {
        (code.panel)(template.clone(), subscriptions.clone(), finding_id, drift_id, on_close)
    })
}
