//! "State as of": a subscription or namespace at a chosen past moment, rebuilt from
//! its events, next to its fields today.
use leptos::prelude::*;

use super::event::show_value;
use crate::activity::record_as_of;
use crate::ui::ErrorNote;

#[component]
pub fn AsOfPanel(target_type: String, target_id: i64) -> impl IntoView {
    // Empty until a moment is picked: the server then takes 30 days ago.
    let at = RwSignal::new(String::new());
    let kind = target_type.clone();
    let state =
        crate::client::data(move || at.get(), move |at| record_as_of(kind.clone(), target_id, at));
    view! {
        <section class="card as-of" data-testid="state-as-of" aria-labelledby="as-of-title">
            <div class="as-of-head">
                <h2 id="as-of-title">{format!("{} {target_id} as of", target_type.replace('_', " "))}</h2>
                <input type="datetime-local" aria-label="Moment (UTC)"
                    prop:value=move || state.get().and_then(|r| r.ok()).map(|s| crate::domain::when::input_value(s.at)).unwrap_or_else(|| at.get())
                    on:change=move |ev| at.set(event_target_value(&ev))/>
                <span class="muted">"UTC"</span>
            </div>
            <Transition fallback=|| view! { <p class="muted" role="status">"Rebuilding…"</p> }>
                {move || state.get().map(|r| match r {
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                    Ok(s) => view! {
                        <table class="table compact">
                            <thead><tr><th>"Field"</th><th>"Then"</th><th>"Now"</th></tr></thead>
                            <tbody>
                                {s.fields.into_iter().map(|f| {
                                    let changed = f.then != f.now;
                                    view! {
                                        <tr class:changed=changed>
                                            <th scope="row">{f.name.replace('_', " ")}</th>
                                            <td>{show_value(&f.then)}</td>
                                            <td>{show_value(&f.now)}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p class="muted">{format!("{} later events walked back.", s.events_after)}</p>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
