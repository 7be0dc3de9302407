use leptos::prelude::*;

use super::{status_badge, Section, UsageBar};
use crate::customer::{days_between, CustomerView};
use crate::ops::ui::NamespaceActions;

/// Namespaces: plan, trial, linked subscription, compute minutes and storage.
#[component]
pub fn NamespacesSection(view: CustomerView) -> impl IntoView {
    let rows = view.namespaces.clone();
    let count = rows.len();
    view! {
        <Section title="Namespaces" id="namespaces" count empty="No namespaces.">
            <div class="namespace-grid">
                {rows.into_iter().map(|n| {
                    let linked = n.subscription_id.and_then(|id| view.subscription(id)).map(|s| s.number.clone());
                    let trial = match (&n.trial_plan, n.trial_ends_on) {
                        (Some(plan), Some(end)) if n.trial_active(view.today) => Some(format!(
                            "{plan} trial, ends {end} ({} days left)", days_between(view.today, end))),
                        (Some(plan), Some(end)) => Some(format!("{plan} trial ended {end}")),
                        _ => None,
                    };
                    let trial_running = n.trial_active(view.today);
                    let actions = view! { <NamespaceActions namespace=n.clone() subscriptions=view.subscriptions.clone() today=view.today/> };
                    view! {
                        <article class="namespace" id=format!("namespace-{}", n.id)>
                            <header>
                                <strong><code>{n.path.clone()}</code></strong>
                                {status_badge(n.plan.as_str())}
                                {trial_running.then(|| status_badge("trial"))}
                            </header>
                            <p class="muted">{n.name.clone()} " · id " {n.id}</p>
                            <p class="owners" data-testid="namespace-owners">
                                "Owners: "
                                {if n.owners.is_empty() {
                                    view! { <span class="muted">"none known"</span> }.into_any()
                                } else {
                                    n.owners.iter().map(|o| view! {
                                        <span class="owner" title=o.email.clone()>"@" {o.username.clone()} " "
                                            <span class="muted">"(" {o.email.clone()} ")"</span></span>
                                    }).collect_view().into_any()
                                }}
                            </p>
                            <p>
                                "Subscription: "
                                {match linked {
                                    Some(number) => view! { <code>{number}</code> }.into_any(),
                                    None => view! { <span class="muted">"none linked"</span> }.into_any(),
                                }}
                            </p>
                            {trial.map(|t| view! { <p class="muted">{t}</p> })}
                            <p class="muted">{format!("Seats in use {} · max used {}", n.seats_in_use, n.max_seats_used)}</p>
                            <UsageBar label="Compute minutes" used=n.compute_minutes_used limit=n.compute_minutes_limit() unit="min"/>
                            <UsageBar label="Storage" used=n.storage_used_mib limit=n.storage_limit_mib() unit="MiB"/>
                            {actions}
                        </article>
                    }
                }).collect_view()}
            </div>
        </Section>
    }
}
