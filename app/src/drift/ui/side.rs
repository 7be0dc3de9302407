//! The customer page's "Billing system" section: each linked record's shared fields on
//! both sides, the provider's as last seen, disagreements marked with since when.
use leptos::prelude::*;

use super::when;
use crate::billing::ui::BillingBadge;
use crate::domain::drift::LinkedSide;

/// Renders nothing where no record is linked (no billing provider).
#[component]
pub fn BillingSystemSection(sides: Vec<LinkedSide>) -> impl IntoView {
    (!sides.is_empty()).then(|| view! { <Sides list=sides/> })
}

#[component]
fn Sides(list: Vec<LinkedSide>) -> impl IntoView {
    let open: usize =
        list.iter().map(|s| s.fields.iter().filter(|f| f.drift.is_some()).count()).sum();
    view! {
        <section class="card section" id="billing-system" aria-labelledby="billing-system-title">
            <h2 id="billing-system-title">"Billing system " <span class="count" data-testid="billing-drift-count">{open}</span></h2>
            <p class="muted">
                {if open == 0 { "The console and the billing system agree on every linked record." } else { "Marked fields disagree: fix them on the drift page." }}
                " " <a href="/drift">"Drift page"</a>
            </p>
            {list.into_iter().map(|s| view! { <Side side=s/> }).collect_view()}
        </section>
    }
}

#[component]
fn Side(side: LinkedSide) -> impl IntoView {
    let seen = side
        .provider_seen_at
        .map_or_else(|| "not read since linking".to_string(), |t| format!("as read {}", when(t)));
    view! {
        <table class="table compact" data-testid="billing-side" data-record=side.label.clone()>
            <caption><strong>{side.label.clone()}</strong> " " <BillingBadge link=side.link.clone()/></caption>
            <thead><tr><th>"Field"</th><th>"Console"</th><th>{format!("Billing system ({seen})")}</th><th></th></tr></thead>
            <tbody>
                {side.fields.into_iter().map(|f| {
                    let mark = f.drift.map(|(kind, since)| view! {
                        <span class="badge danger" title=kind.label()>{format!("differs since {}", when(since))}</span>
                    });
                    view! {
                        <tr class:drifted=f.drift.is_some() data-field=f.field.as_str()>
                            <th scope="row">{f.field.label()}</th>
                            <td>{f.console}</td>
                            <td>{f.provider.unwrap_or_else(|| "—".into())}</td>
                            <td>{mark}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
