use std::collections::BTreeMap;

use leptos::prelude::*;

use super::{status_badge, Section};
use crate::customer::{money, CustomerView};
use crate::domain::{InvoiceStatus, LicenseKind, LicenseState};

/// Licenses of self-managed subscriptions, with where each stands today.
#[component]
pub fn LicensesSection(view: CustomerView) -> impl IntoView {
    let rows = view.licenses.clone();
    let count = rows.len();
    view! {
        <Section title="Licenses" id="licenses" count empty="No licenses (no self-managed subscriptions).">
            <table class="table">
                <thead><tr><th>"Key"</th><th>"Kind"</th><th>"Users"</th><th>"Valid"</th><th>"State"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|l| {
                        let state = match l.state(view.today) {
                            LicenseState::Valid => "valid",
                            LicenseState::Expiring => "expiring",
                            LicenseState::Expired => "expired",
                            LicenseState::Revoked => "revoked",
                            LicenseState::NotStarted => "not started",
                        };
                        let kind = l.kind.words();
                        view! {
                            <tr id=format!("license-{}", l.id)>
                                <td>
                                    <code class="key">{l.key.clone()}</code>
                                    {l.signed.then(|| view! {
                                        " " <a href=format!("/api/v1/licenses/{}/file", l.id) download="" aria-label=format!("Download license {}", l.key)>"download"</a>
                                    })}
                                </td>
                                <td>{if l.kind == LicenseKind::TemporaryExtension { status_badge("temporary extension").into_any() } else { kind.into_any() }}</td>
                                <td>{l.users}</td>
                                <td>{l.starts_on.to_string()} " → " {l.expires_on.to_string()}</td>
                                <td>{status_badge(state)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}

/// Invoices, with what is open and overdue totalled first.
#[component]
pub fn InvoicesSection(view: CustomerView) -> impl IntoView {
    let rows = view.invoices.clone();
    let count = rows.len();
    let mut totals: BTreeMap<(&str, String), i64> = BTreeMap::new();
    for i in
        rows.iter().filter(|i| matches!(i.status, InvoiceStatus::Open | InvoiceStatus::Overdue))
    {
        *totals.entry((i.status.as_str(), i.currency.clone())).or_default() += i.amount_cents;
    }
    let totals: Vec<String> = totals
        .into_iter()
        .map(|((status, currency), cents)| format!("{status} {}", money(cents, &currency)))
        .collect();
    view! {
        <Section title="Invoices" id="invoices" count empty="No invoices.">
            <p class="totals" data-testid="invoice-totals">
                {if totals.is_empty() { "Nothing open or overdue.".to_string() } else { totals.join(" · ") }}
            </p>
            <table class="table">
                <thead><tr><th>"Number"</th><th>"Amount"</th><th>"Status"</th><th>"Issued"</th><th>"Due"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|i| view! {
                        <tr id=format!("invoice-{}", i.id)>
                            <td><code>{i.number.clone()}</code>
                                {i.billing.clone().map(|link| view! { <br/><crate::billing::ui::BillingBadge link/> })}</td>
                            <td class="num">{money(i.amount_cents, &i.currency)}</td>
                            <td>{status_badge(i.status.as_str())}</td>
                            <td>{i.issued_on.to_string()}</td>
                            <td>{i.due_on.to_string()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}

/// Billing accounts.
#[component]
pub fn BillingSection(view: CustomerView) -> impl IntoView {
    let rows = view.billing_accounts.clone();
    let count = rows.len();
    view! {
        <Section title="Billing accounts" id="billing-accounts" count empty="No billing accounts.">
            <table class="table">
                <thead><tr><th>"Number"</th><th>"Currency"</th><th>"Payment terms"</th><th>"Subscriptions"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|b| {
                        let subs = view.subscriptions.iter().filter(|s| s.billing_account_id == b.id).count();
                        view! {
                            <tr id=format!("billing_account-{}", b.id)>
                                <td><code>{b.number.clone()}</code></td>
                                <td>{b.currency.clone()}</td>
                                <td>{b.payment_terms.replace('_', " ")}</td>
                                <td>{subs}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </Section>
    }
}
