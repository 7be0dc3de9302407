//! Flagging a seat overage to sales: a reason, then an activity event on the namespace
//! (the finding stays open until the seats are trued up).
use leptos::prelude::*;

use crate::client::Call;
use crate::domain::Finding;
use crate::integrity::flag_to_sales;
use crate::ops::ui::reload;
use crate::ui::ErrorNote;

#[component]
pub(super) fn FlagForm(finding: Finding, why: String, on_close: Callback<()>) -> impl IntoView {
    let flag = Call::<i64>::new();
    let reason = RwSignal::new(String::new());
    let id = finding.id.unwrap_or_default();
    let error = move || flag.error();
    Effect::new(move |_| {
        if flag.ok().is_some() {
            reload();
        }
    });
    let client_error = move || crate::validate::reason(&reason.get()).err();
    let tried = RwSignal::new(false);
    view! {
        <form class="op-dialog card" aria-label="Flag to sales" on:submit=move |ev| {
            ev.prevent_default();
            tried.set(true);
            if client_error().is_none() {
                flag.run(flag_to_sales(id, reason.get()));
            }
        }>
            <header>
                <h3>"Flag to sales"</h3>
                <button type="button" class="button small ghost" on:click=move |_| on_close.run(()) aria-label="Close">"✕"</button>
            </header>
            <p class="muted">{why}</p>
            <div class="field" class:invalid=move || tried.get() && client_error().is_some()>
                <label for=format!("flag-reason-{id}")>"Reason"</label>
                <input id=format!("flag-reason-{id}") prop:value=reason on:input=move |ev| reason.set(event_target_value(&ev))/>
                {move || tried.get().then(client_error).flatten().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
            </div>
            {move || error().map(|e| view! { <ErrorNote error=e/> })}
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || flag.pending()>"Flag to sales"</button>
            </div>
        </form>
    }
}
