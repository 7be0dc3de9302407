//! The admin page's API tokens: every token with its owner, label, dates and state, each
//! revocable on its own (`server token create` makes them).
use leptos::prelude::*;

use super::{list_tokens, revoke_token};
use crate::auth::ApiToken;
use crate::client::Call;
use crate::ui::ErrorNote;

/// The tokens card.
#[component]
pub fn TokensCard() -> impl IntoView {
    let revoke = Call::<ApiToken>::new();
    let tokens = crate::client::data(move || revoke.version(), |_| list_tokens());
    let error = move || revoke.error();
    view! {
        <section class="card" aria-labelledby="tokens-title" data-testid="tokens">
            <h2 id="tokens-title">"API tokens"</h2>
            <p class="muted">"Personal tokens for automation. Create one with "<code>"server token create --email …"</code>"; each expires after 90 days unless chosen otherwise."</p>
            {move || error().map(|e| view! { <ErrorNote error=e/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading tokens…"</p> }>
                {move || tokens.get().map(|r| match r {
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No API tokens yet."</p> }.into_any(),
                    Ok(list) => view! { <TokenTable list revoke/> }.into_any(),
                    Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenTable(list: Vec<ApiToken>, revoke: Call<ApiToken>) -> impl IntoView {
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.date_naive().to_string()).unwrap_or_else(|| "—".into())
    };
    view! {
        <table class="table" data-testid="token-table">
            <thead><tr><th>"Owner"</th><th>"Label"</th><th>"Created"</th><th>"Expires"</th><th>"State"</th><th></th></tr></thead>
            <tbody>
                {list.into_iter().map(|t| {
                    let state = t.state.clone();
                    let row_class = format!("token-state-{state}");
                    let id = t.id;
                    let label = format!("Revoke token {} of {}", t.label, t.owner_email);
                    view! {
                        <tr class=row_class>
                            <td>{t.owner_email.clone()}</td>
                            <td>{t.label.clone()}</td>
                            <td>{day(Some(t.created_at))}</td>
                            <td>{day(t.expires_at)}</td>
                            <td>{state}</td>
                            <td>
                                {(t.state == "active").then(|| view! {
                                    <button type="button" class="button small" aria-label=label
                                        on:click=move |_| { revoke.run(revoke_token(id)); }>"Revoke"</button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
