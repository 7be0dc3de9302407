//! The sections of the customer page, one per kind of record.
mod accounts;
mod activity;
mod contacts;
mod header;
mod namespaces;
mod subscriptions;

pub use accounts::{BillingSection, InvoicesSection, LicensesSection};
pub use activity::ActivitySection;
pub use contacts::ContactsSection;
pub use header::{CustomerHeader, FindingsSection, PendingApprovalsSection};
pub use namespaces::NamespacesSection;
pub use subscriptions::SubscriptionsSection;

use leptos::prelude::*;

/// A titled card with a count and an empty state.
#[component]
pub fn Section(
    title: &'static str,
    id: &'static str,
    count: usize,
    empty: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card section" id=id aria-labelledby=format!("{id}-title")>
            <h2 id=format!("{id}-title")>{title} " " <span class="count">{count}</span></h2>
            {if count == 0 { view! { <p class="muted">{empty}</p> }.into_any() } else { children().into_any() }}
        </section>
    }
}

/// A labelled usage bar (used of limit), warning past 80 % and alarming past 100 %.
#[component]
pub fn UsageBar(label: &'static str, used: i64, limit: i64, unit: &'static str) -> impl IntoView {
    let pct = if limit > 0 { (used as f64 / limit as f64 * 100.0).round() as i64 } else { 100 };
    let level = if pct > 100 {
        "over"
    } else if pct >= 80 {
        "high"
    } else {
        "ok"
    };
    let text = format!("{label}: {used} of {limit} {unit} ({pct}%)");
    let tooltip = text.clone();
    view! {
        <div class="usage" title=tooltip>
            <div class="usage-label"><span>{label}</span><span class="muted">{format!("{used} / {limit} {unit}")}</span></div>
            <div class=format!("usage-bar {level}") role="meter" aria-label=text aria-valuemin="0"
                aria-valuemax=limit.to_string() aria-valuenow=used.min(limit).to_string()>
                <span style=format!("width: {}%", pct.clamp(0, 100))></span>
            </div>
        </div>
    }
}

/// A status word as a coloured badge.
pub fn status_badge(status: &str) -> impl IntoView {
    let class = match status {
        "active" | "paid" | "valid" => "badge ok",
        "expiring" | "open" | "trial" | "temporary extension" => "badge warn",
        "expired" | "cancelled" | "overdue" | "revoked" => "badge danger",
        _ => "badge",
    };
    view! { <span class=class>{status.to_string()}</span> }
}
