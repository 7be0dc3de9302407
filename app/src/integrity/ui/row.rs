//! One finding in the list: pick it, read it, fix it (the operation's own panel), or
//! flag an overage to sales.
use std::collections::BTreeSet;

use leptos::prelude::*;

use super::code::{fix_code, FixCode};
use crate::domain::{Finding, Rule, TargetType};
use crate::ops::ui::OpPanel;
use crate::ui::{on_demand, opening, use_current_user};

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
            on_demand(fix_code, opening, move |code: FixCode| {
                (code.flag)(finding.clone(), why.clone(), on_close)
            })
            .into_any()
        }
        Err(why) => view! { <p class="muted">{why}</p> }.into_any(),
    }
}
