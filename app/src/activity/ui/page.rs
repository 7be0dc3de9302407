//! `/activity`: the whole console's timeline, narrowed by a filter that lives in the
//! address, with the chain's state, the CSV export, and "state as of" for one record.
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use super::as_of::AsOfPanel;
use super::badge::ChainBadge;
use super::timeline::Timeline;
use crate::activity::activity_actors;
use crate::audit::ActivityFilter;
use crate::domain::{Action, TargetType};
use crate::ui::{ErrorNote, Field, PageHeader};
use crate::AppError;

#[component]
pub fn TimelinePage() -> impl IntoView {
    let query = use_query_map();
    let parsed = Memo::new(move |_| {
        let map = query.read();
        ActivityFilter::from_query(|k| map.get(k))
    });
    let filter = Signal::derive(move || parsed.get().unwrap_or_default());
    let error = move |field: &'static str| {
        Signal::derive(move || parsed.get().err().and_then(|e| e.field_message(field)))
    };
    let export = move || format!("/api/v1/activity.csv?{}", filter.get().to_query());
    let actors = crate::client::data(|| (), |_| activity_actors());
    let value = move |f: fn(&ActivityFilter) -> Option<String>| {
        move || f(&filter.get()).unwrap_or_default()
    };

    view! {
        <PageHeader title="Activity" subtitle="Every change, who made it and why."/>
        <div class="toolbar">
            <ChainBadge/>
            <a class="button" href=export download="activity.csv" data-testid="export-csv">"Export CSV"</a>
        </div>
        <Form method="GET" action="/activity" attr:class="filters" attr:aria-label="Filter the timeline">
            <Field label="Actor" id="actor" error=error("actor")>
                <input id="actor" name="actor" list="actor-list" placeholder="name@example.com" autocomplete="off"
                    prop:value=value(|f| f.actor.clone())/>
                <datalist id="actor-list">
                    <Suspense>{move || actors.get().and_then(|r| r.ok()).map(|list| list.into_iter().map(|e| view! { <option value=e/> }).collect_view())}</Suspense>
                </datalist>
            </Field>
            <Field label="Action" id="action" error=error("action")>
                <select id="action" name="action" prop:value=value(|f| f.action.clone())>
                    <option value="">"Any action"</option>
                    {Action::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.label()}</option> }).collect_view()}
                </select>
            </Field>
            <Field label="Customer id" id="customer_id" error=error("customer_id")>
                <input id="customer_id" name="customer_id" inputmode="numeric" size="8" prop:value=value(|f| f.customer_id.map(|v| v.to_string()))/>
            </Field>
            <Field label="Target" id="target_type" error=error("target_type")>
                <select id="target_type" name="target_type" prop:value=value(|f| f.target_type.clone())>
                    <option value="">"Any record"</option>
                    {TargetType::ALL.iter().map(|t| view! { <option value=t.as_str()>{t.words()}</option> }).collect_view()}
                </select>
            </Field>
            <Field label="Target id" id="target_id" error=error("target_id")>
                <input id="target_id" name="target_id" inputmode="numeric" size="8" prop:value=value(|f| f.target_id.map(|v| v.to_string()))/>
            </Field>
            <Field label="From" id="from" error=error("from")>
                <input id="from" name="from" type="date" prop:value=value(|f| f.from.map(|d| d.to_string()))/>
            </Field>
            <Field label="To" id="to" error=error("to")>
                <input id="to" name="to" type="date" prop:value=value(|f| f.to.map(|d| d.to_string()))/>
            </Field>
            <Field label="Reason contains" id="q" error=error("q")>
                <input id="q" name="q" type="search" prop:value=value(|f| f.q.clone())/>
            </Field>
            <Field label="Requester" id="requester" error=error("requester")>
                <input id="requester" name="requester" type="email" placeholder="who asked" autocomplete="off"
                    prop:value=value(|f| f.requester.clone())/>
            </Field>
            <div class="filter-actions">
                <button type="submit" class="button primary">"Apply"</button>
                <a class="button ghost" href="/activity">"Clear"</a>
            </div>
        </Form>
        {move || parsed.get().err().map(|e: AppError| view! { <ErrorNote error=e/> })}
        {move || {
            let f = filter.get();
            match (f.target_type.as_deref(), f.target_id) {
                (Some(kind @ ("subscription" | "namespace")), Some(id)) => Some(view! { <AsOfPanel target_type=kind.to_string() target_id=id/> }),
                _ => None,
            }
        }}
        <Show when=move || parsed.get().is_ok()>
            // The days are headings of their own (h3), under this one.
            <h2 class="sr-only">"Events"</h2>
            <Timeline filter live=true empty="No events match these filters."/>
        </Show>
    }
}
