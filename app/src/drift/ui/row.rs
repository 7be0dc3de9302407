//! One drift record: both values, why it stays, and its fix: taking the provider's value
//! opens the edit's own panel (preview, reason, ticket, approval where policy says so).
use leptos::prelude::*;

use super::when;
use crate::domain::drift::Drift;
use crate::ops::ui::OpPanel;
use crate::ui::use_current_user;

#[component]
pub fn DriftRow(drift: Drift) -> impl IntoView {
    let open = RwSignal::new(false);
    let customer = match (drift.customer_id, drift.customer_name.clone()) {
        (Some(id), name) => view! {
            <a href=format!("/customers/{id}#billing-system")>{name.unwrap_or_else(|| format!("Customer {id}"))}</a>
        }.into_any(),
        (None, _) => view! { <span class="muted">"Not in the console"</span> }.into_any(),
    };
    let fix = drift.record_version.ok_or_else(String::new).and_then(|v| drift.provider_edit(v));
    let role = use_current_user().role;
    let button = match &fix {
        Ok(op) => {
            let permission = op.permission();
            view! {
                <Show when=move || role.can(permission)
                    fallback=|| view! { <span class="muted">"Not for your role"</span> }>
                    <button type="button" class="button small" aria-expanded=move || open.get().to_string()
                        on:click=move |_| open.update(|o| *o = !*o)>"Take the billing system's value"</button>
                </Show>
            }.into_any()
        }
        Err(why) if !why.is_empty() => {
            view! { <span class="muted">{why.clone()}</span> }.into_any()
        }
        Err(_) => view! { <span class="muted">"Fix on the customer page"</span> }.into_any(),
    };
    let id = drift.id;
    view! {
        <tr id=format!("drift-{id}") data-testid="drift" data-field=drift.field.as_str() data-kind=drift.kind.as_str()>
            <td>{customer}</td>
            <td><code>{drift.record.clone()}</code></td>
            <td>{drift.field.label()}</td>
            <td data-testid="console-value">{drift.console_value.clone().unwrap_or_else(|| "—".into())}</td>
            <td data-testid="provider-value">{drift.provider_value.clone().unwrap_or_else(|| "—".into())}</td>
            <td><span class="badge warn">{drift.kind.label()}</span> " " <small class="muted">{drift.detail.clone()}</small></td>
            <td class="nowrap" title=format!("last seen {}", when(drift.last_seen))>{when(drift.first_seen)}</td>
            <td class="nowrap">{button}</td>
        </tr>
        {fix.ok().map(|op| view! {
            <Show when=move || open.get()>
                <tr class="fix-row">
                    <td colspan="8"><OpPanel template=op.clone() on_close=Callback::new(move |_| open.set(false))/></td>
                </tr>
            </Show>
        })}
    }
}
