//! Bulk fix: the picked findings' dry run (every change listed), then a confirmation
//! that runs exactly those changes — findings that moved meanwhile are skipped and
//! reported. The page ships the bar only; the fixer comes with the fixers' chunk
//! (`code`), fetched when the first finding is picked.
use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

use super::code::{fix_code, FixCode};
use crate::client::Call;
use crate::domain::ops_policy::Justification;
use crate::domain::FixStatus;
use crate::integrity::{bulk_fix, BulkFixRequest, FixItem};
use crate::ops::ui::{reload, ChangesTable, JustificationFields};
use crate::ui::{on_demand, ErrorNote};
use crate::AppError;

/// The bulk fix bar: idle until something is picked, then the fixer (the bar stays in
/// place while its code loads).
#[component]
pub fn BulkPanel(selected: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let wanted = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || selected.with(|s| !s.is_empty())
    });
    let idle = move || {
        bar(selected, Signal::stored(true), Signal::stored(false), Callback::new(|_| ())).into_any()
    };
    move || match wanted.get() {
        false => idle(),
        true => on_demand(fix_code, idle, move |code: FixCode| (code.bulk)(selected)).into_any(),
    }
}

/// The picked count and the dry-run button.
fn bar(
    selected: RwSignal<BTreeSet<i64>>,
    disabled: Signal<bool>,
    busy: Signal<bool>,
    on_start: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="bulk-bar" role="group" aria-label="Bulk fix">
            <span data-testid="picked">{move || format!("{} picked", selected.with(BTreeSet::len))}</span>
            <button type="button" class="button" data-testid="bulk-dry-run" disabled=move || disabled.get() || busy.get()
                on:click=move |_| on_start.run(())>
                {move || if busy.get() { "Working out the changes…" } else { "Dry run: fix picked" }}
            </button>
        </div>
    }
}

#[component]
pub(super) fn BulkFixer(selected: RwSignal<BTreeSet<i64>>) -> impl IntoView {
    let dry = Call::<Vec<FixItem>>::new();
    let run = Call::<Vec<FixItem>>::new();
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let count = move || selected.with(BTreeSet::len);
    let plan = move || dry.ok();
    let frozen = move || -> BTreeMap<i64, String> {
        plan()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| i.plan_digest.map(|d| (i.finding_id, d)))
            .collect()
    };
    let tried = RwSignal::new(false);
    let role = crate::ui::use_current_user().role;
    let check = move || {
        Justification::proactive(&reason.get(), Some(ticket.get().as_str()), role)
            .err()
            .and_then(AppError::from_fields)
    };
    let errors = Signal::derive(move || if tried.get() { check() } else { None });
    Effect::new(move |_| {
        if run.ok().is_some() {
            dry.clear();
            selected.set(BTreeSet::new());
            reload();
        }
    });
    let start = move |_| {
        run.clear();
        tried.set(false);
        let ids: Vec<i64> = selected.get().into_iter().collect();
        dry.run(bulk_fix(BulkFixRequest {
            finding_ids: ids,
            reason: String::new(),
            ticket_url: None,
            confirm: None,
        }));
    };
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        let confirm = frozen();
        if check().is_some() || confirm.is_empty() {
            return;
        }
        let ticket = Some(ticket.get()).filter(|t| !t.trim().is_empty());
        let request = BulkFixRequest {
            finding_ids: confirm.keys().copied().collect(),
            reason: reason.get(),
            ticket_url: ticket,
            confirm: Some(confirm),
        };
        run.run(bulk_fix(request));
    };
    view! {
        {bar(selected, Signal::derive(move || count() == 0), Signal::derive(move || dry.pending()), Callback::new(start))}
        {move || dry.error().map(|e| view! { <ErrorNote error=e/> })}
        {move || plan().map(|items| {
            let ready = items.iter().filter(|i| i.plan_digest.is_some()).count();
            view! {
                <form class="card bulk-plan" data-testid="bulk-plan" on:submit=confirm aria-label="Confirm bulk fix">
                    <h3>{format!("Dry run: {ready} of {} finding{} can be fixed", items.len(), if items.len() == 1 { "" } else { "s" })}</h3>
                    <p class="muted">"Nothing has changed yet. Confirming runs exactly these changes; a finding whose records change before then is skipped and reported."</p>
                    <Items items/>
                    <Show when=move || run.value().is_none()>
                        <JustificationFields reason ticket id_prefix="bulk".to_string() errors/>
                        {move || run.error().map(|e| view! { <ErrorNote error=e/> })}
                        <div class="actions">
                            <button type="submit" class="button primary" data-testid="bulk-confirm" disabled=move || ready == 0 || run.pending()>
                                {format!("Confirm {ready} fix{}", if ready == 1 { "" } else { "es" })}
                            </button>
                            <button type="button" class="button" on:click=move |_| dry.clear()>"Cancel"</button>
                        </div>
                    </Show>
                </form>
            }
        })}
        {move || run.ok().map(|items| view! {
            <section class="card bulk-result" data-testid="bulk-result" role="status">
                <h3>{summary(&items)}</h3>
                <Items items/>
            </section>
        })}
    }
}

/// "3 fixed, 1 waiting for approval, 1 skipped".
fn summary(items: &[FixItem]) -> String {
    let n = |s: FixStatus| items.iter().filter(|i| i.status == s).count();
    let mut parts = vec![format!("{} fixed", n(FixStatus::Fixed))];
    for (status, words) in [
        (FixStatus::PendingApproval, "waiting for approval"),
        (FixStatus::Skipped, "skipped"),
        (FixStatus::Refused, "refused"),
    ] {
        if n(status) > 0 {
            parts.push(format!("{} {words}", n(status)));
        }
    }
    parts.join(", ")
}

#[component]
fn Items(items: Vec<FixItem>) -> impl IntoView {
    view! {
        <ul class="bulk-items">
            {items.into_iter().map(|i| {
                let status = i.status.words();
                let class = match i.status { FixStatus::Fixed | FixStatus::Planned => "badge ok", FixStatus::PendingApproval => "badge", _ => "badge danger" };
                let timeline = i.preview.as_ref().map_or_else(|| "/activity".to_string(), |p| {
                    format!("/activity?target_type={}&target_id={}", p.target_type, p.target_id)
                });
                view! {
                    <li data-testid="bulk-item" data-status=i.status.as_str()>
                        <span class=class>{status}</span> " " <strong>{i.record.clone()}</strong> " — " {i.message.clone()}
                        {i.event_id.map(|e| view! { " " <a href=timeline.clone()>{format!("event {e}")}</a> })}
                        {i.approval_id.map(|a| view! { " " <a href=format!("/approvals?status=pending#approval-{a}")>{format!("approval #{a}")}</a> })}
                        {i.preview.filter(|_| i.status == FixStatus::Planned).map(|p| view! { <ChangesTable changes=p.changes/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
