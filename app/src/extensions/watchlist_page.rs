//! `/extensions`: the renewal watchlist for sales and leads, sortable, each row leading
//! into the wizard. Its window and order live in the URL (`?within=&sort=`).
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::renewal_watchlist;
use crate::domain::{Permission, Renewal, RenewalKind};
use crate::ui::{ErrorNote, PageHeader, RequirePermission};
use crate::url::wizard::Draft;

/// Column headers with the sort each one toggles (empty: not sortable).
const COLUMNS: [(&str, &str); 5] = [
    ("kind", "What"),
    ("", "Subscription"),
    ("customer", "Customer"),
    ("seats", "Seats"),
    ("ends_on", "Ends"),
];
const WINDOWS: [i64; 4] = [7, 15, 30, 60];

fn href(within: i64, sort: &str) -> String {
    format!("/extensions?within={within}&sort={sort}")
}

#[component]
pub fn WatchlistPage() -> impl IntoView {
    view! {
        <PageHeader title="Renewals" subtitle="Subscriptions ending soon and temporary extensions about to run out."/>
        <RequirePermission permission=Permission::ExtensionWizard>
            <Watchlist/>
        </RequirePermission>
    }
}

#[component]
fn Watchlist() -> impl IntoView {
    let query = use_query_map();
    let within =
        move || query.read().get("within").and_then(|w| w.parse::<i64>().ok()).unwrap_or(15);
    let sort = move || {
        query.read().get("sort").filter(|s| !s.is_empty()).unwrap_or_else(|| "ends_on".into())
    };
    let list = crate::client::data(
        move || (within(), sort()),
        |(w, s)| renewal_watchlist(Some(w), Some(s)),
    );
    view! {
        <div class="toolbar">
            <nav class="tabs" aria-label="Ending within">
                {WINDOWS.iter().map(|w| {
                    let w = *w;
                    view! {
                        <a class="tab" href=move || href(w, &sort()) aria-current=move || (within() == w).then_some("page")>
                            {format!("{w} days")}
                        </a>
                    }
                }).collect_view()}
            </nav>
            <a class="button primary" href="/extensions/new">"New temporary extension"</a>
        </div>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading renewals…"</p> }>
            {move || list.get().map(|r| match r {
                Ok(w) if w.renewals.is_empty() => view! {
                    <div class="empty-state" data-testid="renewals-empty">
                        <h2>"Nothing ending soon"</h2>
                        <p class="muted">{format!("No subscription ends within {} days and no extension runs out within 7.", w.within_days)}</p>
                    </div>
                }.into_any(),
                Ok(w) => {
                    let more = w.more;
                    view! {
                        <table class="table watchlist" data-testid="renewals">
                            <thead><tr>
                                {COLUMNS.iter().map(|(key, label)| {
                                    let key = *key;
                                    if key.is_empty() {
                                        return view! { <th>{*label}</th> }.into_any();
                                    }
                                    let state = move || {
                                        let s = sort();
                                        if s == key { Some("ascending") } else if s.strip_prefix('-') == Some(key) { Some("descending") } else { None }
                                    };
                                    let next = move || if sort() == key { format!("-{key}") } else { key.to_string() };
                                    view! {
                                        <th aria-sort=move || state().unwrap_or("none")>
                                            <a href=move || href(within(), &next())>{*label}
                                                {move || match state() { Some("ascending") => " ▲", Some(_) => " ▼", None => "" }}
                                            </a>
                                        </th>
                                    }.into_any()
                                }).collect_view()}
                                <th>"Days left"</th><th></th>
                            </tr></thead>
                            <tbody>{w.renewals.into_iter().map(|r| view! { <RenewalRow r/> }).collect_view()}</tbody>
                        </table>
                        {(more > 0).then(|| view! { <p class="muted">{format!("{more} more; narrow the window to see them.")}</p> })}
                    }.into_any()
                }
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn RenewalRow(r: Renewal) -> impl IntoView {
    let extension = r.kind == RenewalKind::ExtensionExpiring;
    let wizard = Draft::eligibility_href(r.customer_id, r.subscription_id);
    let urgency = if r.days_left <= 3 {
        "badge danger"
    } else if r.days_left <= 7 {
        "badge warn"
    } else {
        "badge"
    };
    view! {
        <tr data-testid="renewal">
            <td>{if extension { "Extension runs out" } else { "Subscription ends" }}</td>
            <td><code>{r.number.clone()}</code> " " <span class="muted">{format!("{} · {}", r.product, r.deployment.as_str().replace('_', "-"))}</span></td>
            <td><a href=format!("/customers/{}", r.customer_id)>{r.customer_name.clone()}</a></td>
            <td>{r.seats}</td>
            <td>{r.ends_on.to_string()}{r.auto_renew.then(|| view! { " " <span class="badge ok">"auto-renew"</span> })}</td>
            <td><span class=urgency>{format!("{} d", r.days_left)}</span></td>
            <td>{(!extension).then(|| view! { <a class="button" href=wizard>"Extend…"</a> })}</td>
        </tr>
    }
}
