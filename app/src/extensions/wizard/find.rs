//! Steps 1 and 2: find the customer (the console's search), pick the subscription.
use leptos::prelude::*;

use super::{use_wizard, Draft, Step};
use crate::customer::{get_customer, CustomerView};
use crate::domain::{Deployment, HitKind};
use crate::search::{debounced, navigate_results, normalize_query, search, ResultsList, SearchHit};
use crate::ui::ErrorNote;

/// Where a search hit leads inside the wizard: a subscription straight to its
/// eligibility, anything else to the customer's subscriptions.
fn next(draft: &Draft, hit: &SearchHit) -> String {
    let mut d = draft.clone().without_result();
    d.customer = Some(hit.customer_id);
    if hit.kind == HitKind::Subscription {
        d.subscription = Some(hit.id);
        d.url(Step::Eligibility)
    } else {
        d.subscription = None;
        d.url(Step::Subscription)
    }
}

#[component]
pub fn CustomerStep() -> impl IntoView {
    let wizard = use_wizard();
    let (text, set_text) = signal(wizard.draft.with_untracked(|d| d.q.clone()));
    // The query searches (and enters the URL) once typing pauses.
    debounced(text, move |value| wizard.edit(|d| d.q = value));
    let query = Memo::new(move |_| wizard.draft.with(|d| d.q.clone()));
    let results = crate::client::data(
        move || query.get(),
        |q| async move {
            if normalize_query(&q).is_none() {
                None
            } else {
                Some(search(q, None).await)
            }
        },
    );
    let selected = RwSignal::new(0usize);
    let link = Callback::new(move |hit: SearchHit| wizard.draft.with_untracked(|d| next(d, &hit)));
    let navigate = leptos_router::hooks::use_navigate();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if let Some(href) = navigate_results(&ev, results, selected, |h| link.run(h.clone())) {
            navigate(&href, Default::default());
        }
    };
    view! {
        <h2>"Which customer is blocked?"</h2>
        <p class="muted">"Search by anything you have: name, email, company, subscription number (A-S…), license key, CRM id."</p>
        <input type="search" id="wizard-search" class="search-input" autocomplete="off" spellcheck="false" autofocus
            aria-label="Find the customer" placeholder="Customer, subscription number, license key…" data-testid="wizard-search"
            prop:value=text
            on:input=move |ev| { selected.set(0); set_text.set(event_target_value(&ev)); }
            on:keydown=on_key/>
        <Transition fallback=|| view! { <p class="muted search-state">"Searching…"</p> }>
            {move || results.get().map(|r| match r {
                None => view! { <p class="muted search-state">"Results appear as you type. ↑/↓ to move, Enter to choose."</p> }.into_any(),
                Some(hits) => view! { <ResultsList hits query=query.get() selected list_id="wizard-results" link/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
pub fn SubscriptionStep() -> impl IntoView {
    let wizard = use_wizard();
    let customer = crate::client::data(
        move || wizard.draft.with(|d| d.customer),
        |id| async move {
            match id {
                Some(id) => Some(get_customer(id).await),
                None => None,
            }
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading the customer's subscriptions…"</p> }>
            {move || customer.get().flatten().map(|r| match r {
                Ok(view) => view! { <SubscriptionChoice view/> }.into_any(),
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
        <p><a href=move || wizard.href(Step::Customer)>"← Another customer"</a></p>
    }
}

/// The newest license expiry of a subscription, if it has a license.
fn license_expiry(view: &CustomerView, subscription_id: i64) -> Option<chrono::NaiveDate> {
    view.licenses
        .iter()
        .filter(|l| l.subscription_id == subscription_id && !l.revoked)
        .map(|l| l.expires_on)
        .max()
}

#[component]
fn SubscriptionChoice(view: CustomerView) -> impl IntoView {
    let wizard = use_wizard();
    let today = view.today;
    let name = view.customer.name.clone();
    if view.subscriptions.is_empty() {
        return view! {
            <div class="empty-state"><h2>{name}</h2><p class="muted">"This customer has no subscriptions to extend."</p></div>
        }
        .into_any();
    }
    let rows = view.subscriptions.iter().map(|s| {
        let id = s.id;
        let saas = s.deployment == Deployment::Saas;
        let (what, end) = if saas {
            ("ends", Some(s.end_date))
        } else {
            ("license expires", license_expiry(&view, s.id))
        };
        let when = match end {
            Some(end) => format!("{what} {end} ({} days)", (end - today).num_days()),
            None => "no license".into(),
        };
        let choose = move |_| {
            wizard.draft.update(|d| {
                *d = d.clone().without_result();
                d.subscription = Some(id);
            });
            wizard.go(Step::Eligibility);
        };
        view! {
            <tr data-testid="wizard-subscription">
                <td><code>{s.number.clone()}</code></td>
                <td>{format!("{} · {}", s.product, s.deployment.as_str().replace('_', "-"))}</td>
                <td>{s.seats}</td>
                <td><span class=format!("badge status-{}", s.status)>{s.status.as_str()}</span></td>
                <td>{when}</td>
                <td><button type="button" class="button" on:click=choose>"Choose"</button></td>
            </tr>
        }
    }).collect_view();
    view! {
        <h2>{format!("{name}: which subscription?")}</h2>
        <table class="table">
            <thead><tr><th>"Subscription"</th><th>"Product"</th><th>"Seats"</th><th>"Status"</th><th>"Renewal"</th><th></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
