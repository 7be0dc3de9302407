use leptos::prelude::*;

use super::{status_badge, Section};
use crate::customer::{days_between, CustomerView};

/// Subscriptions: product, deployment, seats against seats in use, term, renewal.
#[component]
pub fn SubscriptionsSection(view: CustomerView) -> impl IntoView {
    let rows = view.subscriptions.clone();
    let count = rows.len();
    view! {
        <Section title="Subscriptions" id="subscriptions" count empty="No subscriptions.">
            <table class="table">
                <thead><tr>
                    <th>"Number"</th><th>"Product"</th><th>"Seats (in use)"</th><th>"Term"</th>
                    <th>"Status"</th><th>"Auto-renew"</th><th>"Renewal"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|s| {
                        let in_use = view.seats_in_use(s.id);
                        let over = in_use.is_some_and(|u| u > s.seats);
                        let days = days_between(view.today, s.end_date);
                        let renewal = if s.status != "active" {
                            "—".to_string()
                        } else if days < 0 {
                            format!("ended {} days ago", -days)
                        } else {
                            format!("in {days} days")
                        };
                        view! {
                            <tr id=format!("subscription-{}", s.id)>
                                <td><code>{s.number.clone()}</code></td>
                                <td>{s.product.clone()} " " <span class="muted">{s.deployment.replace('_', "-")}</span></td>
                                <td class:danger-text=over>
                                    {s.seats} " " <span class="muted">{in_use.map(|u| format!("({u} in use)")).unwrap_or_default()}</span>
                                </td>
                                <td>{s.start_date.to_string()} " → " {s.end_date.to_string()}</td>
                                <td>{status_badge(&s.status)}</td>
                                <td>{if s.auto_renew { "on" } else { "off" }}</td>
                                <td class:soon=s.status == "active" && (0..=15).contains(&days)>{renewal}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}
