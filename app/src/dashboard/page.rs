use leptos::prelude::*;

use super::chart::DayChart;
use super::{load_dashboard, load_findings, CameBack, Dashboard, Repeat, MIN_REPEATS};
use crate::activity::timeline_href;
use crate::audit::ActivityFilter;
use crate::domain::{action_label, Action, Count, Permission};
use crate::ui::{CountTable, ErrorNote, PageHeader, RequirePermission};
use crate::AppError;

#[component]
pub fn DashboardPage() -> impl IntoView {
    view! {
        <PageHeader title="Dashboard" subtitle="What the teams changed in the last 30 days, and what waits."/>
        <RequirePermission permission=Permission::Dashboards>
            <DashboardFigures/>
        </RequirePermission>
    }
}

#[component]
fn DashboardFigures() -> impl IntoView {
    let data = crate::client::data(|| (), |_| load_dashboard());
    let findings = crate::client::data(|| (), |_| load_findings());
    // Every resource of the page is made here, outside the streamed parts that use it.
    let drift = crate::client::data(
        || (),
        |_| crate::drift::load_drift(Default::default(), Some(i64::MAX)),
    );
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Counting…"</p> }>
            {move || Suspend::new(async move { match data.await {
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                Ok(d) => view! { <Figures d findings drift/> }.into_any(),
            }})}
        </Transition>
    }
}

#[component]
fn Figures(
    d: Dashboard,
    findings: crate::client::Data<Result<Vec<Count>, AppError>>,
    drift: crate::client::Data<Result<crate::domain::drift::DriftPage, AppError>>,
) -> impl IntoView {
    let period = ActivityFilter { from: Some(d.from), to: Some(d.to), ..Default::default() };
    let extensions =
        ActivityFilter { action: Some(Action::IssueExtension.to_string()), ..period.clone() };
    let by_action = d.by_action.clone();
    let by_actor = d.by_actor.clone();
    let action_period = period.clone();
    let actor_period = period.clone();
    view! {
        <div class="stats">
            <a class="stat" href=timeline_href(&period) data-testid="stat-total">
                <span class="stat-value">{d.total}</span><span class="stat-label">"actions in 30 days"</span>
            </a>
            <a class="stat" href="/approvals?status=pending" data-testid="stat-approvals">
                <span class="stat-value">{d.pending_approvals}</span><span class="stat-label">"approvals waiting"</span>
            </a>
            <a class="stat" href=timeline_href(&extensions) data-testid="stat-extensions">
                <span class="stat-value">{d.extensions_issued}</span><span class="stat-label">"temporary extensions issued"</span>
            </a>
        </div>
        <section class="card">
            <h2>"Actions per day"</h2>
            <DayChart days=d.per_day/>
        </section>
        <div class="columns">
            <CountTable title="By action" testid="by-action" counts=by_action
                label=|key: &str| action_label(key).to_string()
                href=move |key: &str| timeline_href(&ActivityFilter { action: Some(key.into()), ..action_period.clone() })/>
            <CountTable title="By staff member" testid="by-actor" counts=by_actor
                label=|key: &str| key.to_string()
                href=move |key: &str| timeline_href(&ActivityFilter { actor: Some(key.into()), ..actor_period.clone() })/>
        </div>
        <div class="columns">
            <Repeats repeats=d.repeats period=period.clone()/>
            <CameBackList items=d.came_back/>
        </div>
        <Findings findings drift/>
    }
}

/// A card with a title, a line saying what it lists, and its table or, when it lists
/// nothing, a line saying so.
#[component]
fn ListCard(
    id: &'static str,
    title: &'static str,
    note: String,
    empty: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <p class="muted">{note}</p>
            {match empty {
                Some(text) => view! { <p class="muted" data-testid=format!("{id}-empty")>{text}</p> }.into_any(),
                None => children().into_any(),
            }}
        </section>
    }
}

/// Customers changed three times or more in the period: each leads to their timeline.
#[component]
fn Repeats(repeats: Vec<Repeat>, period: ActivityFilter) -> impl IntoView {
    let empty = repeats.is_empty().then_some("None: no customer needed that many changes.");
    view! {
        <ListCard id="repeats" title="Repeat interventions" empty
            note=format!("Customers changed {MIN_REPEATS} times or more in 30 days: worth asking why.")>
            <table class="table" data-testid="repeats">
                <thead><tr><th>"Customer"</th><th class="num">"Changes"</th><th>"What"</th></tr></thead>
                <tbody>
                    {repeats.into_iter().map(|r| {
                        let href = timeline_href(&ActivityFilter { customer_id: Some(r.customer_id), ..period.clone() });
                        let what = r.actions.iter().map(|a| format!("{} ×{}", action_label(&a.key), a.count)).collect::<Vec<_>>().join(", ");
                        view! {
                            <tr>
                                <td><a href=href>{r.customer_name}</a></td>
                                <td class="num">{r.count}</td>
                                <td class="muted">{what}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </ListCard>
    }
}

/// Findings resolved and then found again on the same record.
#[component]
fn CameBackList(items: Vec<CameBack>) -> impl IntoView {
    let empty = items.is_empty().then_some("None: every fix held.");
    view! {
        <ListCard id="came-back" title="Findings that came back" empty
            note="Resolved in the last 30 days, then found again on the same record: the fix did not hold.".to_string()>
            <table class="table" data-testid="came-back">
                <thead><tr><th>"Finding"</th><th>"Customer"</th><th>"Again since"</th></tr></thead>
                <tbody>
                    {items.into_iter().map(|f| {
                        let title = crate::domain::Rule::parse(&f.rule).map_or_else(|| f.rule.clone(), |r| r.title().to_string());
                        view! {
                            <tr>
                                <td><a href=format!("/integrity?rule={}", f.rule)>{title}</a>" " <span class="muted">{f.record}</span>
                                    {(f.times_resolved > 1).then(|| view! { " " <span class="badge warn">{format!("×{}", f.times_resolved)}</span> })}</td>
                                <td><a href=format!("/customers/{}", f.customer_id)>{f.customer_name}</a></td>
                                <td>{crate::domain::when::date(f.first_seen_at.date_naive())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </ListCard>
    }
}

/// Open billing drift by field.
#[component]
fn DriftCard(
    page: crate::client::Data<Result<crate::domain::drift::DriftPage, AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <section class="card"><h2>"Open billing drift"</h2><p class="muted" role="status">"Counting drift…"</p></section> }>
            {move || Suspend::new(async move { match page.await {
                Err(e) => view! { <section class="card"><h2>"Open billing drift"</h2><ErrorNote error=e/></section> }.into_any(),
                Ok(p) => {
                    let mut by_field: Vec<Count> = Vec::new();
                    for c in p.counts {
                        match by_field.iter_mut().find(|f| f.key == c.field.as_str()) {
                            Some(f) => f.count += c.count,
                            None => by_field.push(Count { key: c.field.as_str().into(), count: c.count }),
                        }
                    }
                    view! {
                        <CountTable title="Open billing drift" testid="drift-by-field" empty="No open drift." counts=by_field
                            label=|key: &str| crate::domain::drift::BillingField::parse(key).map_or_else(|| key.to_string(), |f| f.label().to_string())
                            href=|key: &str| format!("/drift?field={key}")/>
                    }.into_any()
                }
            }})}
        </Suspense>
    }
}

/// Open integrity findings by rule, as the last scan stored them.
#[component]
fn Findings(
    findings: crate::client::Data<Result<Vec<Count>, AppError>>,
    drift: crate::client::Data<Result<crate::domain::drift::DriftPage, AppError>>,
) -> impl IntoView {
    view! {
        <div class="columns">
            <Suspense fallback=|| view! { <section class="card"><h2>"Open integrity findings"</h2><p class="muted" role="status">"Counting findings…"</p></section> }>
                {move || Suspend::new(async move { match findings.await {
                    Err(e) => view! { <section class="card"><h2>"Open integrity findings"</h2><ErrorNote error=e/></section> }.into_any(),
                    Ok(counts) => view! {
                        <CountTable title="Open integrity findings" testid="by-rule" empty="No open findings." counts
                            label=|key: &str| crate::domain::Rule::parse(key).map_or_else(|| key.to_string(), |r| r.title().to_string())
                            href=|key: &str| format!("/integrity?rule={key}")/>
                    }.into_any(),
                }})}
            </Suspense>
            <DriftCard page=drift/>
        </div>
    }
}
