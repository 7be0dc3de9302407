use leptos::html::Input;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

use super::box_input::{debounced, navigate_results};
use super::results::ResultsList;
use super::{normalize_query, search};

/// Opens the command palette (for buttons; the keyboard shortcut does the same).
pub fn open_palette() {
    if let Some(PaletteOpen(open)) = use_context::<PaletteOpen>() {
        open.set(true);
    }
}

/// Whether the palette is open, shared with buttons that open it.
#[derive(Clone, Copy)]
pub struct PaletteOpen(pub RwSignal<bool>);

/// The command palette on every page: Ctrl-K / ⌘K opens it (so does `/` away from the
/// search page, where `/` focuses the search box), Esc closes it.
#[component]
pub fn CommandPalette() -> impl IntoView {
    let PaletteOpen(open) = expect_context::<PaletteOpen>();
    let (text, set_text) = signal(String::new());
    let (query, set_query) = signal(String::new());
    let selected = RwSignal::new(0usize);
    let input = NodeRef::<Input>::new();
    let navigate = use_navigate();
    let location = use_location();

    debounced(text, move |value| set_query.set(value));
    let results = crate::client::data(
        move || query.get(),
        |q| async move {
            if normalize_query(&q).is_none() {
                None
            } else {
                Some(search(q, Some(8)).await)
            }
        },
    );

    // Focus the input whenever the palette opens, however it was opened.
    Effect::new(move |_| {
        if open.get() {
            request_animation_frame(move || {
                if let Some(el) = input.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            });
        }
    });
    let show = move || open.set(true);
    let close = move || {
        open.set(false);
        set_text.set(String::new());
        set_query.set(String::new());
        selected.set(0);
    };

    let _global = window_event_listener(leptos::ev::keydown, move |ev| {
        let key = ev.key();
        let typing = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"))
            .unwrap_or(false);
        if (ev.ctrl_key() || ev.meta_key()) && key.eq_ignore_ascii_case("k") {
            ev.prevent_default();
            if open.get_untracked() {
                close()
            } else {
                show()
            }
        } else if key == "/" && !typing && !open.get_untracked() {
            ev.prevent_default();
            if location.pathname.get_untracked() == "/" {
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("home-search"))
                {
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            } else {
                show();
            }
        } else if key == "Escape" && open.get_untracked() {
            close();
        }
    });

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(href) = navigate_results(&ev, results, selected, super::results::hit_href) {
            close();
            navigate(&href, Default::default());
        }
    };

    view! {
        <Show when=move || open.get()>
            <div class="palette-backdrop" on:click=move |_| close()></div>
            <div class="palette" role="dialog" aria-modal="true" aria-label="Search customers" data-testid="palette">
                <input
                    node_ref=input
                    type="search"
                    class="search-input"
                    placeholder="Search any identifier…"
                    aria-label="Search customers"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=text
                    on:input=move |ev| { selected.set(0); set_text.set(event_target_value(&ev)); }
                    on:keydown=on_key.clone()
                />
                <Transition fallback=|| view! { <p class="muted search-state">"Searching…"</p> }>
                    {move || results.get().map(|r| match r {
                        None => view! { <p class="muted search-state">"Type to search. ↑/↓ to move, Enter to open, Esc to close."</p> }.into_any(),
                        Some(hits) => view! { <ResultsList hits query=query.get() selected list_id="palette-results"/> }.into_any(),
                    })}
                </Transition>
            </div>
        </Show>
    }
}
