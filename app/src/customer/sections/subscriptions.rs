use leptos::prelude::*;

use super::Section;
use crate::customer::{days_between, CustomerView};
use crate::domain::SubscriptionStatus;
use crate::ops::ui::EditableSubscription;

/// Subscriptions: product, deployment, seats against seats in use, term, status and
/// auto-renew (each editable in place), renewal.
#[component]
pub fn SubscriptionsSection(view: CustomerView) -> impl IntoView {
    let rows = view.subscriptions.clone();
    let count = rows.len();
    view! {
        <Section title="Subscriptions" id="subscriptions" count empty="No subscriptions.">
            <table class="table subscriptions">
                <thead><tr>
                    <th>"Number"</th><th>"Product"</th><th>"Seats (in use)"</th><th>"Term"</th>
                    <th>"Status"</th><th>"Auto-renew"</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|s| {
                        let in_use = view.seats_in_use(s.id);
                        let days = days_between(view.today, s.end_date);
                        let renewal = if s.status != SubscriptionStatus::Active {
                            String::new()
                        } else if days < 0 {
                            format!("ended {} days ago", -days)
                        } else {
                            format!("renews in {days} days")
                        };
                        let soon = s.status == SubscriptionStatus::Active && (0..=15).contains(&days);
                        view! { <EditableSubscription sub=s in_use renewal soon/> }
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}
