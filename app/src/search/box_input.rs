use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use super::results::{hit_href, ResultsList};
use super::{normalize_query, search, SearchHit};
use crate::ui::PageHeader;

/// Delay between the last keystroke and the query, in milliseconds.
pub const DEBOUNCE_MS: u64 = 100;

/// What a search box's resource holds: nothing before a query, else the hits or why not.
pub type Hits = crate::client::Data<Option<Result<Vec<SearchHit>, crate::AppError>>>;

/// Keyboard handling shared by every search box over `results`: ↑/↓ move the selection
/// (and do not reach the input), Enter gives the address `link` makes of the selected
/// hit.
pub fn navigate_results(
    ev: &leptos::ev::KeyboardEvent,
    results: Hits,
    selected: RwSignal<usize>,
    link: impl Fn(&SearchHit) -> String,
) -> Option<String> {
    let key = ev.key();
    if !matches!(key.as_str(), "ArrowDown" | "ArrowUp" | "Enter") {
        return None;
    }
    ev.prevent_default();
    let hits =
        results.try_get_untracked().flatten().flatten().and_then(|r| r.ok()).unwrap_or_default();
    match key.as_str() {
        "ArrowDown" if !hits.is_empty() => {
            selected.update(|s| *s = (*s + 1).min(hits.len() - 1));
            None
        }
        "ArrowUp" => {
            selected.update(|s| *s = s.saturating_sub(1));
            None
        }
        "Enter" => hits.get(selected.get_untracked()).map(link),
        _ => None,
    }
}

/// Calls `apply` with the latest value of `text` once it has been still for
/// [`DEBOUNCE_MS`]; earlier pending calls are dropped.
pub fn debounced(text: ReadSignal<String>, apply: impl Fn(String) + Clone + 'static) {
    let pending = StoredValue::new(None::<leptos::prelude::TimeoutHandle>);
    Effect::new(move |first: Option<()>| {
        let value = text.get();
        if first.is_none() {
            return;
        }
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let apply = apply.clone();
        let handle = set_timeout_with_handle(
            move || apply(value),
            std::time::Duration::from_millis(DEBOUNCE_MS),
        )
        .ok();
        pending.set_value(handle);
    });
}

/// `/`: the search home. The query lives in the URL (`?q=`).
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let url_q = move || query.read().get("q").unwrap_or_default();
    let (text, set_text) = signal(query.with_untracked(|q| q.get("q").unwrap_or_default()));
    let selected = RwSignal::new(0usize);
    let navigate = use_navigate();

    let nav = navigate.clone();
    debounced(text, move |value: String| {
        let target = if value.trim().is_empty() {
            "/".to_string()
        } else {
            format!("/?q={}", crate::url::percent_encode(&value, crate::url::COMPONENT))
        };
        nav(&target, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    });
    // Back/forward and shared links: the box follows the URL.
    Effect::new(move |_| {
        let q = url_q();
        if q != text.get_untracked() {
            set_text.set(q);
        }
    });

    let results = crate::client::data(url_q, |q| async move {
        if normalize_query(&q).is_none() {
            None
        } else {
            Some(search(q, None).await)
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            set_text.set(String::new());
            return;
        }
        if let Some(href) = navigate_results(&ev, results, selected, hit_href) {
            navigate(&href, Default::default());
        }
    };

    view! {
        <PageHeader title="Search" subtitle="Any identifier: name, email, company, customer or namespace id, account or subscription number, namespace path, license key, CRM id."/>
        <div class="search-home">
            <input
                type="search"
                id="home-search"
                class="search-input"
                placeholder="Search customers…  (press / to focus)"
                aria-label="Search customers"
                autocomplete="off"
                spellcheck="false"
                autofocus
                data-testid="home-search"
                prop:value=text
                on:input=move |ev| { selected.set(0); set_text.set(event_target_value(&ev)); }
                on:keydown=on_key
            />
            <Transition fallback=|| view! { <p class="muted search-state">"Searching…"</p> }>
                {move || {
                    let q = url_q();
                    results.get().map(|r| match r {
                        None => view! { <p class="muted search-state">"Start typing: results appear as you type. ↑/↓ to move, Enter to open."</p> }.into_any(),
                        Some(hits) => view! { <ResultsList hits query=q selected list_id="home-results"/> }.into_any(),
                    })
                }}
            </Transition>
        </div>
    }
}
