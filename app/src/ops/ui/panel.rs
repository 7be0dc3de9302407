//! The operation panel is code that most page views never run: it is a WASM chunk of
//! its own, fetched the first time a panel opens (the buttons that open it are small
//! and ship with the page).
use leptos::prelude::*;

use super::dialog::OpDialog;
use crate::ops::Operation;

/// Renders the panel; a plain function pointer, so the code behind it moves to the
/// chunk of the lazy function that hands it out.
type Render = fn(Operation, Vec<(i64, String)>, Callback<()>) -> AnyView;

#[lazy]
fn panel_code() -> Render {
    |template, subscriptions, on_close| view! { <OpDialog template subscriptions on_close/> }.into_any()
}

/// The panel for one operation (preview, reason, ticket, apply or request approval).
#[component]
pub fn OpPanel(template: Operation, #[prop(optional)] subscriptions: Vec<(i64, String)>, on_close: Callback<()>) -> impl IntoView {
    let code = LocalResource::new(panel_code);
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Opening…"</p> }>
            {move || code.get().map(|render| render(template.clone(), subscriptions.clone(), on_close))}
        </Suspense>
    }
}
