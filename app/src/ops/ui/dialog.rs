//! One panel for every namespace operation (and undo): parameters checked as typed,
//! a server preview of the exact changes, a reason, ticket and requester, then apply —
//! or file for approval when policy (or an unverified requester) needs one.
use chrono::NaiveDate;
use leptos::prelude::*;

use super::{finished, ChangesTable, JustificationFields, OpPanel};
use crate::client::Call;
use crate::domain::{
    namespace_ops, Deployment, Namespace, OpRequest, Operation, Outcome, Permission, Preview,
    Subscription, SubscriptionStatus,
};
use crate::ops::{preview_operation, run_operation};
use crate::ui::{use_current_user, ErrorNote};
use crate::AppError;

/// The row of operation buttons on a namespace card, and the open panel.
#[component]
pub fn NamespaceActions(
    namespace: Namespace,
    subscriptions: Vec<Subscription>,
    today: NaiveDate,
) -> impl IntoView {
    let role = use_current_user().role;
    let ops = namespace_ops::offered(&namespace, &subscriptions, today);
    let open = RwSignal::new(None::<Operation>);
    let subscriptions: Vec<(i64, String)> = subscriptions
        .iter()
        .filter(|s| s.deployment == Deployment::Saas && s.status == SubscriptionStatus::Active)
        .map(|s| (s.id, format!("{} ({})", s.number, s.product)))
        .collect();
    let path = namespace.path.clone();
    view! {
        <div class="ns-actions" role="group" aria-label=format!("Operations on {path}")>
            {ops.into_iter().map(|op| {
                let permission: Permission = op.permission();
                let title = op.title();
                let template = op.clone();
                role.can(permission).then(|| view! {
                    <button type="button" class="button small" on:click=move |_| open.set(Some(template.clone()))>{title}</button>
                })
            }).collect_view()}
        </div>
        {move || open.get().map(|op| view! {
            <OpPanel template=op subscriptions=subscriptions.clone() on_close=Callback::new(move |_| open.set(None))/>
        })}
    }
}

/// The panel for one operation.
#[component]
pub(super) fn OpDialog(
    template: Operation,
    #[prop(optional)] subscriptions: Vec<(i64, String)>,
    finding_id: Option<i64>,
    drift_id: Option<i64>,
    on_close: Callback<()>,
) -> impl IntoView {
    let title = template.title();
    let namespace_id = template.namespace_id();
    let op = RwSignal::new(template);
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let requester = RwSignal::new(String::new());
    let preview = Call::<Preview>::new();
    let run = Call::<Outcome>::new();
    let request = move || {
        match finding_id {
            Some(id) => OpRequest::fix(op.get(), id, reason.get(), Some(ticket.get())),
            None => {
                OpRequest::asked(op.get(), reason.get(), Some(ticket.get()), Some(requester.get()))
            }
        }
        .settling(drift_id)
    };
    let field_error = move |field: &'static str| {
        Signal::derive(move || op.with(|o| o.field_errors().get(field).cloned()))
    };
    let submitted = RwSignal::new(false);
    let role = use_current_user().role;
    let full_check = move || request().validate(role).err();
    let errors = move || if submitted.get() { full_check() } else { None };
    // A fresh preview whenever the parameters change.
    Effect::new(move |_| {
        let op = op.get();
        if op.field_errors().is_empty() {
            preview.run(preview_operation(OpRequest::preview(op)));
        }
    });
    let previewed = move || preview.ok();
    let unverified = {
        let asker = super::justify::unverified(requester, namespace_id);
        move || finding_id.is_none() && asker()
    };
    let outcome = move || run.ok();
    Effect::new(move |_| {
        if let Some(o) = outcome() {
            finished(o);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        if full_check().is_none() && previewed().is_some() {
            run.run(run_operation(request()));
        }
    };
    // The cursor starts in the panel's first field.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        use wasm_bindgen::JsCast;
        let first =
            form.get().and_then(|f| f.query_selector("input, select, textarea").ok().flatten());
        if let Some(el) = first.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <form class="op-dialog card" node_ref=form on:submit=submit on:keydown=on_key novalidate data-testid="op-dialog"
            aria-label=title>
            <header>
                <h3>{title}</h3>
                <button type="button" class="button small ghost" on:click=move |_| on_close.run(()) aria-label="Close">"✕"</button>
            </header>
            <Params op subscriptions field_error/>
            {move || match preview.value() {
                None => view! { <p class="muted" role="status">"Working out the changes…"</p> }.into_any(),
                Some(Err(e)) => view! { <ErrorNote error=e/> }.into_any(),
                Some(Ok(p)) => view! {
                    <div class="preview" data-testid="preview">
                        <ChangesTable changes=p.changes.clone()/>
                        {p.approval.clone().map(|why| view! { <p class="pending">{why}</p> })}
                    </div>
                }.into_any(),
            }}
            <Show when=move || outcome().is_none()>
                {match finding_id {
                    Some(_) => view! {
                        <JustificationFields reason ticket id_prefix="op".to_string() errors=Signal::derive(errors)/>
                        <p class="muted">"An integrity fix: nobody asked, so it is recorded as proactive."</p>
                    }.into_any(),
                    None => view! {
                        <JustificationFields reason ticket requester namespace_id id_prefix="op".to_string() errors=Signal::derive(errors)/>
                    }.into_any(),
                }}
                {move || run.error().map(|e: AppError| view! { <ErrorNote error=e/> })}
                <div class="actions">
                    <button type="submit" class="button primary" disabled=move || previewed().is_none() || run.pending()>
                        {move || if previewed().is_some_and(|p| p.approval.is_some()) || unverified() { "Request approval" } else { "Apply" }}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>"Cancel"</button>
                </div>
            </Show>
        </form>
    }
}

/// The inputs of operations that take parameters.
#[component]
fn Params(
    op: RwSignal<Operation>,
    subscriptions: Vec<(i64, String)>,
    field_error: impl Fn(&'static str) -> Signal<Option<String>> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let number = move |field: &'static str, label: &'static str| {
        let id = format!("op-{field}");
        let value = move || {
            op.with(|o| match o {
                Operation::ExtendTrial { days, .. } => days.to_string(),
                Operation::ComputeMinutes { delta, .. } => delta.to_string(),
                Operation::Storage { delta_mib, .. } => delta_mib.to_string(),
                _ => String::new(),
            })
        };
        let error = field_error(field);
        view! {
            <div class="field" class:invalid=move || error.get().is_some()>
                <label for=id.clone()>{label}</label>
                <input id=id type="number" step="1" prop:value=value on:input=move |ev| {
                    let n = event_target_value(&ev).trim().parse::<i64>().unwrap_or(0);
                    op.update(|o| match o {
                        Operation::ExtendTrial { days, .. } => *days = n,
                        Operation::ComputeMinutes { delta, .. } => *delta = n,
                        Operation::Storage { delta_mib, .. } => *delta_mib = n,
                        _ => {}
                    });
                }/>
                {move || error.get().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
            </div>
        }
    };
    let plan_select = move |keep: bool| {
        let current = op.with_untracked(|o| match o {
            Operation::ChangeTrialPlan { plan, .. } => plan.clone(),
            Operation::ReactivateTrial { plan, .. } => plan.clone().unwrap_or_default(),
            _ => String::new(),
        });
        let options: Vec<(&str, &str)> = if keep {
            vec![("", "Same plan as before"), ("premium", "Premium"), ("ultimate", "Ultimate")]
        } else {
            vec![("premium", "Premium"), ("ultimate", "Ultimate")]
        };
        view! {
            <div class="field">
                <label for="op-plan">"Trial plan"</label>
                <select id="op-plan" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    op.update(|o| match o {
                        Operation::ChangeTrialPlan { plan, .. } => *plan = v.clone(),
                        Operation::ReactivateTrial { plan, .. } => *plan = (!v.is_empty()).then(|| v.clone()),
                        _ => {}
                    });
                }>
                    {options.into_iter().map(|(v, l)| view! { <option value=v selected=v == current>{l}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    let sample = op.get_untracked();
    match sample {
        Operation::ExtendTrial { .. } => number("days", "Days to add (1–30)").into_any(),
        Operation::ChangeTrialPlan { .. } => plan_select(false).into_any(),
        Operation::ReactivateTrial { .. } => plan_select(true).into_any(),
        Operation::ComputeMinutes { kind: k, .. } => view! {
            {number("delta", "Minutes to add (negative takes back)")}
            <div class="field">
                <label for="op-kind">"Kind"</label>
                <select id="op-kind" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    op.update(|o| if let Operation::ComputeMinutes { kind, .. } = o { *kind = v.clone() });
                }>
                    <option value="permanent" selected=k == "permanent">"Permanent"</option>
                    <option value="trial_only" selected=k == "trial_only">"Trial only"</option>
                </select>
            </div>
        }.into_any(),
        Operation::Storage { .. } => number("delta_mib", "Storage to add, MiB (1 GiB = 1024)").into_any(),
        Operation::ReplaceLink { subscription_id, .. } => view! {
            <div class="field">
                <label for="op-subscription">"Subscription to link here"</label>
                <select id="op-subscription" on:change=move |ev| {
                    let v = event_target_value(&ev).parse::<i64>().unwrap_or_default();
                    op.update(|o| if let Operation::ReplaceLink { subscription_id, .. } = o { *subscription_id = v });
                }>
                    {subscriptions.into_iter().map(|(id, label)| view! {
                        <option value=id.to_string() selected=id == subscription_id>{label}</option>
                    }).collect_view()}
                </select>
            </div>
        }.into_any(),
        _ => ().into_any(),
    }
}
