//! `/integrity`: open findings counted per rule, then listed (narrowed by the address),
//! each with its fix; pick several for a bulk fix.
use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::bulk::BulkPanel;
use super::row::FindingRow;
use crate::client::Call;
use crate::domain::{Count, Finding, Permission, Rule};
use crate::integrity::{load_integrity, IntegrityFilter, IntegrityReport};
use crate::ops::ui::{Notice, OperationNotice, Reload};
use crate::ui::{CountTable, ErrorNote, Field, PageHeader, RequirePermission};
use crate::AppError;

#[component]
pub fn IntegrityPage() -> impl IntoView {
    view! {
        <PageHeader title="Integrity" subtitle="Accounts in unexpected states, and the audited fix for each."/>
        <RequirePermission permission=Permission::IntegrityFixes>
            <Findings/>
        </RequirePermission>
    }
}

#[component]
fn Findings() -> impl IntoView {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        let map = query.read();
        IntegrityFilter::from_query(|k| map.get(k))
    });
    let filter = Signal::derive(move || parsed.get().unwrap_or_default());
    let error = move |field: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.field_message(field)))
    };
    let reload = RwSignal::new(0u64);
    provide_context(Reload(reload));
    provide_context(Notice(RwSignal::new(None)));
    let report =
        crate::client::data(move || (filter.get(), reload.get()), |(f, _)| load_integrity(f, None));
    let selected = RwSignal::new(BTreeSet::<i64>::new());
    // A new list starts with nothing picked.
    Effect::new(move |_| {
        filter.track();
        selected.set(BTreeSet::new());
    });
    view! {
        <Form method="GET" action="/integrity" attr:class="filters" attr:aria-label="Filter findings">
            <Field label="Rule" id="rule" error=error("rule")>
                <select id="rule" name="rule" prop:value=move || filter.get().rule.unwrap_or_default()>
                    <option value="">"Every rule"</option>
                    {Rule::ALL.iter().map(|r| view! { <option value=r.as_str()>{r.title()}</option> }).collect_view()}
                </select>
            </Field>
            <Field label="Customer id" id="customer_id" error=error("customer_id")>
                <input id="customer_id" name="customer_id" inputmode="numeric" size="8"
                    prop:value=move || filter.get().customer_id.map(|v| v.to_string()).unwrap_or_default()/>
            </Field>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Apply"</button>
                <a class="button ghost" href="/integrity">"Clear"</a>
            </div>
        </Form>
        {move || parsed.get().err().map(|e: AppError| view! { <ErrorNote error=e/> })}
        <OperationNotice/>
        <BulkPanel selected/>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading findings…"</p> }>
            {move || report.get().map(|r| match r {
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                Ok(r) => view! { <Report report=r filter=filter.get_untracked() selected/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn Report(
    report: IntegrityReport,
    filter: IntegrityFilter,
    selected: RwSignal<BTreeSet<i64>>,
) -> impl IntoView {
    let total: i64 = report.counts.iter().map(|c| c.count).sum();
    let counts: Vec<Count> =
        report.counts.iter().map(|c| Count { key: c.rule.to_string(), count: c.count }).collect();
    let for_customer = filter.customer_id;
    let scan = report.last_scan.clone().map(|s| {
        format!(
            "Last scan {} — {} findings in {:.1} s ({} new, {} resolved).",
            crate::domain::when::minute_utc(s.finished_at),
            s.found,
            s.duration_ms as f64 / 1000.0,
            s.opened,
            s.resolved
        )
    });
    let findings = RwSignal::new(report.findings.clone());
    let cursor = RwSignal::new(report.next_cursor);
    view! {
        <p class="muted" data-testid="last-scan">{scan.unwrap_or_else(|| "No scan has run yet.".into())}</p>
        <div class="columns">
            <CountTable title="Open findings by rule" testid="rule-counts" empty="No open findings." counts
                label=|key: &str| crate::domain::Rule::parse(key).map_or_else(|| key.to_string(), |r| r.title().to_string())
                href=move |key: &str| format!("/integrity?{}", IntegrityFilter { rule: Some(key.into()), customer_id: for_customer }.to_query())/>
            <section class="card">
                <h2>"Open findings"</h2>
                <p class="stat-value" data-testid="open-total">{total}</p>
                <p class="muted">"Each rule's fix is an audited operation: preview, reason, approval where policy needs it, and an event on the timeline."</p>
            </section>
        </div>
        <section class="card" aria-labelledby="findings-title">
            <h2 id="findings-title">"Findings"</h2>
            {move || if findings.with(Vec::is_empty) {
                view! { <p class="empty-state" data-testid="no-findings">"No open findings here. Every account checked is consistent."</p> }.into_any()
            } else {
                view! { <FindingTable findings selected/> }.into_any()
            }}
            <LoadMore filter findings cursor/>
        </section>
    }
}

#[component]
fn FindingTable(
    findings: RwSignal<Vec<Finding>>,
    selected: RwSignal<BTreeSet<i64>>,
) -> impl IntoView {
    let all_ids = move || findings.with(|f| f.iter().filter_map(|f| f.id).collect::<BTreeSet<_>>());
    let all_picked = move || {
        let ids = all_ids();
        !ids.is_empty() && selected.with(|s| ids.is_subset(s))
    };
    view! {
        <table class="table findings-table" data-testid="findings-list">
            <thead>
                <tr>
                    <th scope="col">
                        <input type="checkbox" aria-label="Pick every finding shown" prop:checked=all_picked
                            on:change=move |_| if all_picked() { selected.set(BTreeSet::new()) } else { selected.set(all_ids()) }/>
                    </th>
                    <th scope="col">"Customer"</th>
                    <th scope="col">"Record"</th>
                    <th scope="col">"What is wrong"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Fix"</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || findings.get() key=|f| (f.id, f.version) let:finding>
                    <FindingRow finding selected/>
                </For>
            </tbody>
        </table>
    }
}

/// The next page of findings, appended.
#[component]
fn LoadMore(
    filter: IntegrityFilter,
    findings: RwSignal<Vec<Finding>>,
    cursor: RwSignal<Option<i64>>,
) -> impl IntoView {
    let more = Call::<IntegrityReport>::new();
    let filter = StoredValue::new(filter);
    Effect::new(move |_| {
        if let Some(page) = more.ok() {
            findings.update(|f| f.extend(page.findings));
            cursor.set(page.next_cursor);
        }
    });
    view! {
        {move || cursor.get().map(|c| view! {
            <button type="button" class="button" on:click=move |_| more.run(load_integrity(filter.get_value(), Some(c))) disabled=move || more.pending()>
                {move || if more.pending() { "Loading…" } else { "Load more" }}
            </button>
        })}
        {move || more.error().map(|e| view! { <ErrorNote error=e/> })}
    }
}
