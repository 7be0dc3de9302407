//! `/account`: who is signed in, and changing one's own password. After an admin's
//! reset, a session reaches only this page until the new password is chosen.
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::change_password;
use crate::client::Call;
use crate::ui::{use_current_user, ErrorNote, Field, PageHeader};
use crate::validate;

/// The account page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = use_current_user();
    let query = use_query_map();
    let forced = move || query.read().get("forced").is_some();
    view! {
        <PageHeader title="Your account" subtitle="Who you are signed in as, and your password."/>
        <Show when=forced>
            <p class="notice" role="status" data-testid="password-forced">
                "An admin reset your password. Choose your own to go on using the console."
            </p>
        </Show>
        <div class="grid-2">
            <section class="card" aria-labelledby="me-title">
                <h2 id="me-title">"Signed in as"</h2>
                <dl class="facts">
                    <dt>"Name"</dt><dd>{user.name.clone()}</dd>
                    <dt>"Email"</dt><dd>{user.email.clone()}</dd>
                    <dt>"Role"</dt><dd>{user.role.label()}</dd>
                </dl>
            </section>
            {if user.single_sign_on {
                view! {
                    <section class="card" aria-labelledby="password-title">
                        <h2 id="password-title">"Password"</h2>
                        <p class="muted">"You sign in through the company's identity provider: the console keeps no password of yours. Change it there."</p>
                    </section>
                }.into_any()
            } else {
                view! { <PasswordCard/> }.into_any()
            }}
        </div>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let change = Call::<()>::new();
    let (current, new, confirm) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let touched = RwSignal::new(false);
    let new_error = move || validate::new_password(&new.get()).err();
    let confirm_error =
        move || (new.get() != confirm.get()).then(|| "The two new passwords differ.".to_string());
    let shown = move |e: Option<String>| if touched.get() { e } else { None };
    let server_error = move || change.error();
    let field_error =
        move |field: &'static str| server_error().and_then(|e| e.field_message(field));
    let done = move || change.ok().is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if new_error().is_none() && confirm_error().is_none() {
            change.run(change_password(current.get_untracked(), new.get_untracked()));
        }
    };
    Effect::new(move |_| {
        if done() {
            for s in [current, new, confirm] {
                s.set(String::new());
            }
            touched.set(false);
        }
    });
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Change your password"</h2>
            <form class="stack" on:submit=submit novalidate>
                <Field label="Current password" id="password-current" error=Signal::derive(move || field_error("current"))>
                    <input id="password-current" type="password" autocomplete="current-password"
                        prop:value=move || current.get() on:input=move |ev| current.set(event_target_value(&ev))/>
                </Field>
                <Field label="New password" id="password-new"
                    error=Signal::derive(move || shown(new_error()).or_else(|| field_error("new")))>
                    <input id="password-new" type="password" autocomplete="new-password"
                        prop:value=move || new.get() on:input=move |ev| new.set(event_target_value(&ev))/>
                </Field>
                <Field label="New password again" id="password-confirm" error=Signal::derive(move || shown(confirm_error()))>
                    <input id="password-confirm" type="password" autocomplete="new-password"
                        prop:value=move || confirm.get() on:input=move |ev| confirm.set(event_target_value(&ev))/>
                </Field>
                {move || server_error()
                    .filter(|e| e.field_message("current").is_none() && e.field_message("new").is_none())
                    .map(|e| view! { <ErrorNote error=e/> })}
                <Show when=done>
                    <p class="success" role="status" data-testid="password-changed">
                        "Your password was changed; your other sessions were signed out. "
                        <a href="/">"Go to search"</a>
                    </p>
                </Show>
                <button type="submit" class="button primary" disabled=move || change.pending()>
                    "Change password"
                </button>
            </form>
        </section>
    }
}
