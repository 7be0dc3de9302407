//! The inline editor, loaded at the first click on a value: the cell's input with the
//! shared checks as you type, the preview, the justification, and a stale save's conflict.
use chrono::NaiveDate;
use leptos::prelude::*;

use super::{Cell, Editor};
use crate::client::Call;
use crate::domain::{
    changed_fields, ops_policy, OpRequest, Operation, Outcome, Preview, Subscription,
};
use crate::ops::ui::{finished, reload, value_text, ChangesTable, JustificationFields};
use crate::ops::{current_subscription, preview_operation, run_operation};
use crate::ui::{use_current_user, ErrorNote};
use crate::AppError;

/// The edit a draft value asks for, or the message the server would give.
fn edit_of(cell: Cell, draft: &str, s: &Subscription) -> Result<Operation, String> {
    let mut op = Operation::EditSubscription {
        subscription_id: s.id,
        version: s.version,
        seats: None,
        end_date: None,
        auto_renew: None,
        status: None,
    };
    let Operation::EditSubscription { seats, end_date, auto_renew, status, .. } = &mut op else {
        unreachable!()
    };
    match cell {
        Cell::Seats => {
            let n = draft
                .trim()
                .parse::<i64>()
                .map_err(|_| "Seats must be a whole number.".to_string())?;
            *seats = Some(ops_policy::seats(n)?);
        }
        Cell::EndDate => {
            let d = draft
                .trim()
                .parse::<NaiveDate>()
                .map_err(|_| "End date must be a date (YYYY-MM-DD).".to_string())?;
            *end_date = Some(ops_policy::end_date(s.start_date, d)?);
        }
        Cell::AutoRenew => *auto_renew = Some(draft == "on"),
        Cell::Status => {
            let to = ops_policy::status(draft)?;
            let from = s.status;
            ops_policy::status_transition(from, to)?;
            *status = Some(to.as_str().to_string());
        }
    }
    if draft.trim() == cell.current(s) {
        return Err(format!("That is already the {}.", cell.label()));
    }
    Ok(op)
}

/// The editor of one row, editing the cell `editing` names (set before this runs).
pub(in crate::ops::ui) fn make(sub: Subscription, editing: RwSignal<Option<Cell>>) -> Editor {
    let role = use_current_user().role;
    let draft = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let requester = RwSignal::new(String::new());
    let unverified = crate::ops::ui::justify::unverified(requester, None);
    let submitted = RwSignal::new(false);
    let preview = Call::<Preview>::new();
    let run = Call::<Outcome>::new();
    let s = StoredValue::new(sub);
    let client_error =
        move || editing.get().and_then(|c| edit_of(c, &draft.get(), &s.get_value()).err());
    let start = move |cell: Cell| {
        draft.set(cell.current(&s.get_value()));
        preview.clear();
        run.clear();
        submitted.set(false);
    };
    if let Some(cell) = editing.get_untracked() {
        start(cell);
    }
    let cancel = move || {
        editing.set(None);
        preview.clear();
    };
    let ask_preview = move || {
        if let Some(Ok(op)) =
            editing.get_untracked().map(|c| edit_of(c, &draft.get_untracked(), &s.get_value()))
        {
            preview.run(preview_operation(OpRequest::preview(op)));
        }
    };
    let request = move || {
        let op = editing.get().and_then(|c| edit_of(c, &draft.get(), &s.get_value()).ok())?;
        Some(OpRequest::asked(op, reason.get(), Some(ticket.get()), Some(requester.get())))
    };
    let errors = move || {
        if !submitted.get() {
            return None;
        }
        request()?.validate(role).err()
    };
    let save = move || {
        submitted.set(true);
        if let Some(req) = request() {
            if req.validate(role).is_ok() {
                run.run(run_operation(req));
            }
        }
    };
    let outcome = move || run.ok();
    Effect::new(move |_| {
        if let Some(o) = outcome() {
            finished(o);
        }
    });
    let conflict = move || {
        let from_preview = preview.error();
        let from_run = run.error();
        from_run.or(from_preview).filter(|e| matches!(e, AppError::Conflict(_)))
    };
    let other_error = move || {
        let e = run.error().or_else(|| preview.error());
        e.filter(|e| !matches!(e, AppError::Conflict(_)))
    };

    let input = move |c: Cell| {
        view! { <CellInput cell=c draft start=s.get_value().start_date on_enter=Callback::new(move |_| ask_preview())
            on_escape=Callback::new(move |_| cancel()) error=Signal::derive(client_error)/> }
        .into_any()
    };
    let panel = move |_| {
        view! {
            <Show when=move || editing.get().is_some() && (preview.value().is_some() || outcome().is_some())>
                <tr class="edit-panel"><td colspan="6">
                    {move || conflict().map(|e| view! { <ConflictNote error=e stale=s.get_value()/> })}
                    {move || other_error().map(|e| view! { <ErrorNote error=e/> })}
                    {move || preview.ok().filter(|_| outcome().is_none()).map(|p| view! {
                        <form class="inline-confirm" novalidate data-testid="inline-confirm"
                            on:submit=move |ev| { ev.prevent_default(); save(); }
                            on:keydown=move |ev| if ev.key() == "Escape" { cancel(); }>
                            <ChangesTable changes=p.changes.clone()/>
                            <JustificationFields reason ticket requester id_prefix=format!("subscription-{}", p.target_id) errors=Signal::derive(errors) focus=true/>
                            <div class="actions">
                                <button type="submit" class="button primary" disabled=move || run.pending()>
                                    {move || if unverified() { "Request approval" } else { "Save" }}
                                </button>
                                <button type="button" class="button" on:click=move |_| cancel()>"Cancel"</button>
                            </div>
                        </form>
                    })}
                </td></tr>
            </Show>
        }
        .into_any()
    };
    Editor { start: Callback::new(start), input: Callback::new(input), panel: Callback::new(panel) }
}

/// The input of the cell being edited.
#[component]
fn CellInput(
    cell: Cell,
    draft: RwSignal<String>,
    start: NaiveDate,
    on_enter: Callback<()>,
    on_escape: Callback<()>,
    error: Signal<Option<String>>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Input>::new();
    let select = NodeRef::<leptos::html::Select>::new();
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            let _ = el.focus();
        }
        if let Some(el) = select.get() {
            let _ = el.focus();
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
        "Enter" => {
            ev.prevent_default();
            if error.get_untracked().is_none() {
                on_enter.run(());
            }
        }
        "Escape" => on_escape.run(()),
        _ => {}
    };
    let input_id = format!("edit-{}", cell.label().replace(' ', "-"));
    let control = match cell {
        Cell::Seats => view! {
            <input id=input_id.clone() node_ref=node type="number" min="1" max="100000" class="inline-input"
                aria-label="Seats" prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) on:keydown=on_key/>
        }.into_any(),
        Cell::EndDate => view! {
            <input id=input_id.clone() node_ref=node type="date" min=(start + chrono::Duration::days(1)).to_string() class="inline-input"
                aria-label="End date" prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev)) on:keydown=on_key/>
        }.into_any(),
        Cell::AutoRenew | Cell::Status => {
            let options: &[&str] = if cell == Cell::Status { &["active", "expired", "cancelled"] } else { &["on", "off"] };
            view! {
                <select id=input_id.clone() node_ref=select class="inline-input" aria-label=cell.label()
                    on:change=move |ev| draft.set(event_target_value(&ev)) on:keydown=on_key>
                    {options.iter().map(|o| view! { <option value=*o selected=move || draft.get() == *o>{*o}</option> }).collect_view()}
                </select>
            }.into_any()
        }
    };
    view! {
        <span class="inline-edit" class:invalid=move || error.get().is_some()>
            {control}
            <small class="hint muted">"Enter to preview · Esc to cancel"</small>
            {move || error.get().map(|e| view! { <small class="field-error" role="alert" data-testid="inline-error">{e}</small> })}
        </span>
    }
}

/// A refused stale save: what changed meanwhile, and a way to reload.
#[component]
fn ConflictNote(error: AppError, stale: Subscription) -> impl IntoView {
    let fresh = crate::client::data(move || stale.id, current_subscription);
    view! {
        <div class="error-note conflict" role="alert" data-testid="conflict">
            <strong>{error.to_string()}</strong>
            <Suspense fallback=|| ()>
                {move || fresh.get().and_then(|r| r.ok()).map(|now| {
                    let lines: Vec<String> = diff(&stale, &now);
                    view! {
                        <p>"Changed meanwhile:"</p>
                        <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    }
                })}
            </Suspense>
            <button type="button" class="button small" on:click=move |_| reload()>"Reload"</button>
        </div>
    }
}

fn diff(old: &Subscription, new: &Subscription) -> Vec<String> {
    changed_fields(old, new, &["version"])
        .into_iter()
        .map(|(field, before, after)| {
            format!("{}: {} → {}", field.replace('_', " "), value_text(&before), value_text(&after))
        })
        .collect()
}
