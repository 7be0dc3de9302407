//! `/drift`: where the console and the billing provider disagree, counted by field and
//! kind, listed oldest first (narrowed by the address), each with its fix.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::row::DriftRow;
use crate::client::Call;
use crate::domain::drift::{BillingField, DriftKind, DriftPage as Page};
use crate::domain::{Count, Permission};
use crate::drift::{load_drift, DriftFilter};
use crate::ops::ui::{Notice, OperationNotice, Reload};
use crate::ui::{CountTable, ErrorNote, Field, PageHeader, RequirePermission};
use crate::AppError;

#[component]
pub fn DriftPage() -> impl IntoView {
    view! {
        <PageHeader title="Billing drift" subtitle="Where the console and the billing system disagree, and the audited fix for each."/>
        <RequirePermission permission=Permission::IntegrityFixes>
            <DriftList/>
        </RequirePermission>
    }
}

#[component]
fn DriftList() -> impl IntoView {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        let map = query.read();
        DriftFilter::from_query(|k| map.get(k))
    });
    let filter = Signal::derive(move || parsed.get().unwrap_or_default());
    let error = move |field: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.field_message(field)))
    };
    let reload = RwSignal::new(0u64);
    provide_context(Reload(reload));
    provide_context(Notice(RwSignal::new(None)));
    let page =
        crate::client::data(move || (filter.get(), reload.get()), |(f, _)| load_drift(f, None));
    view! {
        <Form method="GET" action="/drift" attr:class="filters" attr:aria-label="Filter drift">
            <Field label="Field" id="field" error=error("field")>
                <select id="field" name="field" prop:value=move || filter.get().field.map(|f| f.as_str()).unwrap_or_default()>
                    <option value="">"Every field"</option>
                    {BillingField::ALL.iter().map(|f| view! { <option value=f.as_str()>{f.label()}</option> }).collect_view()}
                </select>
            </Field>
            <Field label="Kind" id="kind" error=error("kind")>
                <select id="kind" name="kind" prop:value=move || filter.get().kind.map(|k| k.as_str()).unwrap_or_default()>
                    <option value="">"Every kind"</option>
                    {DriftKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                </select>
            </Field>
            <Field label="Customer id" id="customer_id" error=error("customer_id")>
                <input id="customer_id" name="customer_id" inputmode="numeric" size="8"
                    prop:value=move || filter.get().customer_id.map(|v| v.to_string()).unwrap_or_default()/>
            </Field>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Apply"</button>
                <a class="button ghost" href="/drift">"Clear"</a>
            </div>
        </Form>
        {move || parsed.get().err().map(|e: AppError| view! { <ErrorNote error=e/> })}
        <OperationNotice/>
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading drift…"</p> }>
            {move || page.get().map(|r| match r {
                Err(e) => view! { <ErrorNote error=e/> }.into_any(),
                Ok(p) => view! { <Listed page=p filter=filter.get_untracked()/> }.into_any(),
            })}
        </Transition>
    }
}

/// `field/kind` as a count's key, and back.
fn key(field: BillingField, kind: DriftKind) -> String {
    format!("{}/{}", field.as_str(), kind.as_str())
}

fn parts(key: &str) -> Option<(BillingField, DriftKind)> {
    let (f, k) = key.split_once('/')?;
    Some((BillingField::parse(f)?, DriftKind::parse(k)?))
}

#[component]
fn Listed(page: Page, filter: DriftFilter) -> impl IntoView {
    let total: i64 = page.counts.iter().map(|c| c.count).sum();
    let counts: Vec<Count> =
        page.counts.iter().map(|c| Count { key: key(c.field, c.kind), count: c.count }).collect();
    let customer = filter.customer_id;
    let rows = RwSignal::new(page.drift.clone());
    let cursor = RwSignal::new(page.next_cursor.clone());
    view! {
        <div class="columns">
            <CountTable title="Open drift by field and kind" testid="drift-counts" empty="No open drift." counts
                label=|k: &str| parts(k).map_or_else(|| k.to_string(), |(f, kind)| format!("{} · {}", f.label(), kind.label()))
                href=move |k: &str| {
                    let (field, kind) = parts(k).unzip();
                    format!("/drift?{}", DriftFilter { field, kind, customer_id: customer }.to_query())
                }/>
            <section class="card">
                <h2>"Open drift"</h2>
                <p class="stat-value" data-testid="drift-total">{total}</p>
                <p class="muted">"The provider's values are applied on their own when the console's rules allow them and no console change is waiting. What is left here needs a person: take the provider's value (an audited edit), or correct the record."</p>
            </section>
        </div>
        <section class="card" aria-labelledby="drift-title">
            <h2 id="drift-title">"Drift, oldest first"</h2>
            {move || if rows.with(Vec::is_empty) {
                view! { <p class="empty-state" data-testid="no-drift">"No open drift here: the console and the billing system agree."</p> }.into_any()
            } else {
                view! {
                    <table class="table" data-testid="drift-table">
                        <thead><tr>
                            <th>"Customer"</th><th>"Record"</th><th>"Field"</th><th>"Console"</th>
                            <th>"Billing system"</th><th>"Why"</th><th>"First seen"</th><th>"Fix"</th>
                        </tr></thead>
                        <tbody>{move || rows.get().into_iter().map(|d| view! { <DriftRow drift=d/> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            <LoadMore filter rows cursor/>
        </section>
    }
}

#[component]
fn LoadMore(
    filter: DriftFilter,
    rows: RwSignal<Vec<crate::domain::drift::Drift>>,
    cursor: RwSignal<Option<String>>,
) -> impl IntoView {
    let more = Call::<Page>::new();
    let filter = StoredValue::new(filter);
    Effect::new(move |_| {
        if let Some(p) = more.ok() {
            rows.update(|r| r.extend(p.drift));
            cursor.set(p.next_cursor);
        }
    });
    view! {
        {move || cursor.get().and_then(|c| c.parse::<i64>().ok()).map(|after| view! {
            <button type="button" class="button" disabled=move || more.pending()
                on:click=move |_| more.run(load_drift(filter.get_value(), Some(after)))>"Load more"</button>
        })}
        {move || more.error().map(|e| view! { <ErrorNote error=e/> })}
    }
}
