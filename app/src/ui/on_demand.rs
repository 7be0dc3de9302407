//! Code a page needs only once someone acts (opens a panel, starts a fix): a WASM chunk
//! of its own (a `#[lazy]` function), fetched then rather than with the page.
use std::future::Future;

use leptos::prelude::*;

/// What `show` makes of the code `load` fetches, with `fallback` until it is in.
/// Mount it only in answer to an action: the server renders the fallback.
pub fn on_demand<C, Fut>(
    load: impl Fn() -> Fut + 'static,
    fallback: impl Fn() -> AnyView + Send + Sync + 'static,
    show: impl Fn(C) -> AnyView + Send + Sync + 'static,
) -> impl IntoView
where
    C: Clone + 'static,
    Fut: Future<Output = C> + 'static,
{
    let code = LocalResource::new(load);
    view! {
        <Suspense fallback>
            {move || code.get().map(&show)}
        </Suspense>
    }
}

/// The usual fallback of a panel whose code is on its way.
pub fn opening() -> AnyView {
    view! { <p class="muted" role="status">"Opening…"</p> }.into_any()
}
