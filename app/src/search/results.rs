use leptos::prelude::*;

use super::{split_match, SearchHit};
use crate::domain::HitKind;
use crate::AppError;

/// Where a hit leads: its customer's page, scrolled to the record.
pub fn hit_href(hit: &SearchHit) -> String {
    match hit.kind {
        HitKind::Customer => format!("/customers/{}", hit.customer_id),
        kind => format!("/customers/{}#{}-{}", hit.customer_id, kind.as_str(), hit.id),
    }
}

fn kind_label(kind: HitKind) -> &'static str {
    match kind {
        HitKind::Customer => "Customer",
        HitKind::BillingAccount => "Billing account",
        HitKind::Subscription => "Subscription",
        HitKind::Namespace => "Namespace",
        HitKind::License => "License",
    }
}

fn field_label(field: &str) -> &str {
    match field {
        "crm_account_id" => "CRM id",
        "contact_email" => "contact",
        "namespace_owner" => "owner",
        "id" => "id",
        other => other,
    }
}

/// The matched text with the query highlighted.
#[component]
fn Highlighted(hit: SearchHit) -> impl IntoView {
    let (before, matched, after) = split_match(&hit.matched_text, hit.match_start, hit.match_len);
    view! { <span class="match-text">{before}<mark>{matched}</mark>{after}</span> }
}

/// The results of one query as a list of links; `selected` is the row that Enter opens
/// (moved with ↑/↓ from the search box, marked `aria-current`). Each links to its
/// customer page, or where `link` says.
#[component]
pub fn ResultsList(
    hits: Result<Vec<SearchHit>, AppError>,
    query: String,
    selected: RwSignal<usize>,
    list_id: &'static str,
    #[prop(optional)] link: Option<Callback<SearchHit, String>>,
) -> impl IntoView {
    let hits = match hits {
        Ok(h) => h,
        Err(e) => {
            return view! { <div class="search-state error-note" role="alert" data-testid="search-error">{format!("Search failed: {e}")}</div> }
                .into_any()
        }
    };
    if hits.is_empty() {
        return view! {
            <div class="search-state" role="status" data-testid="search-empty">
                <strong>"No results for “" {query} "”"</strong>
                <p class="muted">"Try part of a name or email, a full account (A00000001) or subscription number (A-S00000001), a namespace path or a license key."</p>
            </div>
        }
        .into_any();
    }
    let count = hits.len();
    view! {
        <p class="sr-only" role="status">{format!("{count} results")}</p>
        <ul class="results" id=list_id aria-label="Search results" data-testid="search-results">
            {hits.into_iter().enumerate().map(|(i, hit)| {
                let href = match link {
                    Some(link) => link.run(hit.clone()),
                    None => hit_href(&hit),
                };
                let is_selected = move || selected.get() == i;
                view! {
                    <li id=format!("{list_id}-{i}") class="result" class:selected=is_selected
                        data-testid="search-result" on:mouseenter=move |_| selected.set(i)>
                        <a href=href class="result-link" aria-current=move || is_selected().then_some("true")>
                            <span class="result-main">
                                <span class="result-title">{hit.title.clone()}</span>
                                <span class="result-kind badge">{kind_label(hit.kind)}</span>
                                {hit.exact.then(|| view! { <span class="badge ok">"exact"</span> })}
                                {hit.badges.iter().map(|b| {
                                    let class = match b.as_str() {
                                        "trial" | "note" => "badge warn",
                                        _ => "badge danger",
                                    };
                                    view! { <span class=class>{b.clone()}</span> }
                                }).collect_view()}
                            </span>
                            <span class="result-sub muted">{hit.subtitle.clone()}</span>
                            <span class="result-match muted">
                                {field_label(&hit.matched_field).to_string()} ": " <Highlighted hit=hit.clone()/>
                            </span>
                        </a>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
