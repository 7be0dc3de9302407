use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::{login, sign_in_provider, Login};
use crate::client::Call;
use crate::url::{percent_encode, COMPONENT};

/// The sign-in page. With single sign-on on, it offers the identity provider first (a
/// plain link: it works before hydration) and keeps the password form for break-glass
/// accounts. The password form works before hydration too: it posts to the server
/// function. Hydrated, a submit calls it with the fields read here (no generic form
/// decoder, which would ship in every page's WASM).
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let expired = move || query.read().get("expired").is_some();
    let provider = crate::client::data(|| (), |_| sign_in_provider());

    view! {
        <Title text="Sign in"/>
        <main class="login-page">
            <section class="login-card" aria-labelledby="login-title">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true">"FC"</span>
                    <span>"Fulfillment Console"</span>
                </div>
                <h1 id="login-title">"Sign in"</h1>
                <Show when=expired>
                    <p class="notice" role="status">"Your session ended. Please sign in again."</p>
                </Show>
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || provider.get().map(|answer| match answer.ok().flatten() {
                        Some(name) => {
                            let href = format!("/auth/oidc/login?next={}", percent_encode(&next(), COMPONENT));
                            view! {
                                <a class="button primary sso-button" href=href rel="external" data-testid="sso-sign-in">
                                    {format!("Sign in with {name}")}
                                </a>
                                <details class="break-glass">
                                    <summary>"Break-glass account"</summary>
                                    <p class="muted">"Password sign-in is for accounts an admin marked for emergencies; each sign-in is recorded."</p>
                                    <PasswordForm next autofocus=false/>
                                </details>
                            }
                            .into_any()
                        }
                        None => view! { <PasswordForm next autofocus=true/> }.into_any(),
                    })}
                </Suspense>
            </section>
        </main>
    }
}

/// Email and password, posted to the sign-in server function.
#[component]
fn PasswordForm(
    next: impl Fn() -> String + Copy + Send + Sync + 'static,
    autofocus: bool,
) -> impl IntoView {
    let call = Call::<()>::new();
    let email = NodeRef::<leptos::html::Input>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    let error = move || call.error().map(|e| e.to_string());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let value = |field: NodeRef<leptos::html::Input>| {
            field.get_untracked().map(|input| input.value()).unwrap_or_default()
        };
        call.run(login(value(email), value(password), Some(next())));
    };
    view! {
        <form action=Login::url() method="post" class="stack" on:submit=submit>
            <input type="hidden" name="next" value=next/>
            <label class="field">
                <span>"Email"</span>
                <input type="email" name="email" autocomplete="username" required autofocus=autofocus node_ref=email/>
            </label>
            <label class="field">
                <span>"Password"</span>
                <input type="password" name="password" autocomplete="current-password" required node_ref=password/>
            </label>
            {move || error().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
            <button type="submit" class="button primary" disabled=move || call.pending()>
                {move || if call.pending() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
    }
}
