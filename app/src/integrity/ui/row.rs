//! One finding in the list: pick it, read it, fix it (the operation's own panel), or
//! flag an overage to sales.
use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::client::Call;
use crate::domain::{Finding, Rule, TargetType};
use crate::integrity::flag_to_sales;
use crate::ops::ui::{reload, OpPanel};
use crate::ui::{use_current_user, ErrorNote};

#[component]
pub fn FindingRow(finding: Finding, selected: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let id = finding.id.unwrap_or_default();
    let open = RwSignal::new(false);
    let since =
        finding.first_seen_at.map(crate::domain::when::minute).unwrap_or_else(|| "—".into());
    let rule_title = finding.rule.title();
    let picked = move || selected.with(|s| s.contains(&id));
    let fixable = finding.fix().is_ok();
    view! {
        <tr id=format!("finding-{id}") data-testid="finding" data-rule=finding.rule.as_str() class:picked=picked>
            <td>
                <input type="checkbox" aria-label=format!("Pick finding {id} ({})", finding.record) prop:checked=picked disabled=!fixable
                    on:change=move |_| selected.update(|s| if !s.remove(&id) { s.insert(id); })/>
            </td>
            <td><a href=format!("/customers/{}", finding.customer_id)>{finding.customer_name.clone().unwrap_or_else(|| format!("Customer {}", finding.customer_id))}</a></td>
            <td><a href=finding.href()>{finding.record.clone()}</a></td>
            <td><span class="badge danger">{rule_title}</span> " " {finding.message.clone()}</td>
            <td class="nowrap">{since}</td>
            <td class="nowrap"><FixButton finding=finding.clone() open/></td>
        </tr>
        {move || open.get().then(|| view! {
            <tr class="fix-row">
                <td colspan="6"><FixPanel finding=finding.clone() on_close=Callback::new(move |_| open.set(false))/></td>
            </tr>
        })}
    }
}

/// The button that opens the finding's fix, for roles allowed to run it.
#[component]
pub fn FixButton(finding: Finding, open: RwSignal<bool>) -> impl IntoView {
    let role = use_current_user().role;
    let label = match finding.fix() {
        Ok(op) => {
            let permission = op.permission();
            let title = op.title();
            return if role.can(permission) {
                view! {
                    <button type="button" class="button small" on:click=move |_| open.update(|o| *o = !*o)
                        aria-expanded=move || open.get().to_string()>{title}</button>
                }.into_any()
            } else {
                view! { <span class="muted">"Not for your role"</span> }.into_any()
            };
        }
        Err(_) if finding.rule == Rule::SeatOverage => match finding.flagged_event {
            Some(event) => return view! { <a href=format!("/activity?target_type=namespace&target_id={}", finding.target_id)>{format!("Flagged (event {event})")}</a> }.into_any(),
            None => "Flag to sales",
        },
        Err(_) => return match finding.handled_at() {
            Some(href) => view! { <a class="button small" href=href>"Open on the Drift page"</a> }.into_any(),
            None => view! { <a class="muted" href=finding.href()>"Choose on the customer page"</a> }.into_any(),
        },
    };
    view! { <button type="button" class="button small" on:click=move |_| open.update(|o| *o = !*o)>{label}</button> }.into_any()
}

/// The open fix: the operation's panel (preview, reason, approval), or the flag form.
#[component]
pub fn FixPanel(finding: Finding, on_close: Callback<()>) -> impl IntoView {
    match finding.fix() {
        Ok(op) => {
            // A relink names the finding's subscription: the only choice the panel offers.
            let subscriptions = if finding.target_type == TargetType::Subscription {
                vec![(finding.target_id, finding.record.clone())]
            } else {
                Vec::new()
            };
            view! { <OpPanel template=op subscriptions finding_id=finding.id.unwrap_or_default() on_close/> }.into_any()
        }
        Err(why) if finding.rule == Rule::SeatOverage => {
            view! { <FlagForm finding why on_close/> }.into_any()
        }
        Err(why) => view! { <p class="muted">{why}</p> }.into_any(),
    }
}

#[component]
fn FlagForm(finding: Finding, why: String, on_close: Callback<()>) -> impl IntoView {
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
