use leptos::prelude::*;

use crate::customer::CustomerView;
use crate::domain::{InvoiceStatus, SubscriptionStatus};
use crate::integrity::ui::{FixButton, FixPanel};

/// Name, contact, ids and the flags that matter first.
#[component]
pub fn CustomerHeader(view: CustomerView) -> impl IntoView {
    let c = view.customer.clone();
    let overdue = view.invoices.iter().filter(|i| i.status == InvoiceStatus::Overdue).count();
    let trials = view.namespaces.iter().filter(|n| n.trial_active(view.today)).count();
    let active =
        view.subscriptions.iter().filter(|s| s.status == SubscriptionStatus::Active).count();
    let findings = view.findings.len();
    view! {
        <header class="customer-header card">
            <div>
                <h1 data-testid="customer-name">{c.name.clone()}</h1>
                <p class="muted">
                    <a href=format!("mailto:{}", c.email)>{c.email.clone()}</a>
                    " · " {c.company.clone()} " · " {c.country.clone()}
                </p>
                <p class="ids muted">
                    "Customer " <code>{c.id}</code>
                    {c.crm_account_id.clone().map(|crm| view! { " · CRM " <code>{crm}</code> })}
                    {c.billing.clone().map(|link| view! { " · " <crate::billing::ui::BillingBadge link/> })}
                </p>
            </div>
            <div class="flags">
                <span class="badge ok">{format!("{active} active subscription{}", if active == 1 { "" } else { "s" })}</span>
                {(overdue > 0).then(|| view! { <span class="badge danger">{format!("{overdue} overdue invoice{}", if overdue == 1 { "" } else { "s" })}</span> })}
                {(trials > 0).then(|| view! { <span class="badge warn">{format!("{trials} trial{} running", if trials == 1 { "" } else { "s" })}</span> })}
                {(findings > 0).then(|| view! { <a href="#findings" class="badge danger">{format!("{findings} integrity warning{}", if findings == 1 { "" } else { "s" })}</a> })}
            </div>
        </header>
    }
}

/// Integrity warnings for this customer, in plain words.
#[component]
pub fn FindingsSection(view: CustomerView) -> impl IntoView {
    let findings = view.findings.clone();
    (!findings.is_empty()).then(|| view! {
        <section class="card findings" id="findings" aria-labelledby="findings-title" data-testid="findings">
            <h2 id="findings-title">"Integrity warnings"</h2>
            <ul>
                {findings.into_iter().map(|f| {
                    let open = RwSignal::new(false);
                    let title = f.rule.title();
                    let since = f.first_seen_at.map(|t| format!(" Seen since {}.", crate::domain::when::date(t.date_naive())));
                    let panel = f.clone();
                    view! {
                        <li data-testid="customer-finding" data-rule=f.rule.as_str()>
                            <span class="badge danger">{title}</span> " " {f.message.clone()}
                            <span class="muted">{since}</span> " "
                            <FixButton finding=f.clone() open/>
                            {move || open.get().then(|| view! {
                                <FixPanel finding=panel.clone() on_close=Callback::new(move |_| open.set(false))/>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href=format!("/integrity?customer_id={}", view.customer.id)>"All of this customer's findings on the integrity page"</a></p>
        </section>
    })
}

/// Changes for this customer that wait for a lead's approval.
#[component]
pub fn PendingApprovalsSection(view: CustomerView) -> impl IntoView {
    let pending = view.pending_approvals.clone();
    (!pending.is_empty()).then(|| view! {
        <section class="card pending-approvals" id="pending-approvals" aria-labelledby="pending-title" data-testid="customer-pending">
            <h2 id="pending-title">"Waiting for approval"</h2>
            <ul>
                {pending.into_iter().map(|a| view! {
                    <li>
                        <a href=format!("/approvals?status=pending#approval-{}", a.id)>{format!("#{} {}", a.id, a.action.label())}</a>
                        {format!(" — requested by {} on {}, expires {}: ", a.requested_by_email,
                            crate::domain::when::minute(a.requested_at), crate::domain::when::minute_utc(a.expires_at))}
                        <span class="muted">{a.reason}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}
