//! One drift record: both values, why it stays, and its fixes, each the operation's own
//! panel (preview, reason, ticket, approval where policy says so): take the billing
//! system's value (an edit), or send the console's (written through).
use leptos::prelude::*;

use super::when;
use crate::domain::drift::Drift;
use crate::domain::{Operation, Permission};
use crate::ops::ui::OpPanel;
use crate::ui::use_current_user;

#[component]
pub fn DriftRow(drift: Drift) -> impl IntoView {
    // Which fix is open: the billing system's value (an edit) or the console's (sent).
    let open = RwSignal::new(None::<bool>);
    let customer = match (drift.customer_id, drift.customer_name.clone()) {
        (Some(id), name) => view! {
            <a href=format!("/customers/{id}#billing-system")>{name.unwrap_or_else(|| format!("Customer {id}"))}</a>
        }.into_any(),
        (None, _) => view! { <span class="muted">"Not in the console"</span> }.into_any(),
    };
    let fix = drift.record_version.ok_or_else(String::new).and_then(|v| drift.provider_edit(v));
    let send = drift
        .record_id
        .filter(|_| drift.field.provider_owned())
        .map(|subscription_id| Operation::SendToBilling { subscription_id, field: drift.field });
    let role = use_current_user().role;
    let toggle =
        move |which: bool| open.update(|o| *o = if *o == Some(which) { None } else { Some(which) });
    let button = match &fix {
        Ok(op) => {
            let (take, give) = (op.permission(), Permission::IntegrityFixes);
            if role.can(take) || role.can(give) {
                view! {
                    <div class="actions">
                        {role.can(take).then(|| view! {
                            <button type="button" class="button small" aria-expanded=move || (open.get() == Some(true)).to_string()
                                on:click=move |_| toggle(true)>"Take the billing system's value"</button>
                        })}
                        {role.can(give).then(|| view! {
                            <button type="button" class="button small ghost" aria-expanded=move || (open.get() == Some(false)).to_string()
                                on:click=move |_| toggle(false)>"Send the console's value"</button>
                        })}
                    </div>
                }.into_any()
            } else {
                view! { <span class="muted">"Not for your role"</span> }.into_any()
            }
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
        {fix.ok().zip(send).map(|(take, send)| move || open.get().map(|which| {
            let template = if which { take.clone() } else { send.clone() };
            view! {
                <tr class="fix-row">
                    <td colspan="8"><OpPanel template drift_id=id on_close=Callback::new(move |_| open.set(None))/></td>
                </tr>
            }
        }))}
    }
}
