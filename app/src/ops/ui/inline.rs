//! Inline subscription editing: click a value, type, Enter previews the change, a reason
//! saves it, Esc cancels. A save based on an older version shows what changed meanwhile.
use chrono::NaiveDate;
use leptos::prelude::*;

use super::{finished, reload, value_text, ChangesTable, JustificationFields};
use crate::auth::Permission;
use crate::customer::{get_customer, Subscription};
use crate::domain::SubscriptionStatus;
use crate::ops::{changed_fields, policy, OpRequest, Operation, PreviewOperation, RunOperation};
use crate::shell::{use_current_user, ErrorNote};
use crate::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Seats,
    EndDate,
    AutoRenew,
    Status,
}

impl Cell {
    fn label(self) -> &'static str {
        match self {
            Cell::Seats => "seats",
            Cell::EndDate => "end date",
            Cell::AutoRenew => "auto-renew",
            Cell::Status => "status",
        }
    }

    fn current(self, s: &Subscription) -> String {
        match self {
            Cell::Seats => s.seats.to_string(),
            Cell::EndDate => s.end_date.to_string(),
            Cell::AutoRenew => if s.auto_renew { "on".into() } else { "off".into() },
            Cell::Status => s.status.clone(),
        }
    }

    fn permission(self) -> Permission {
        match self {
            Cell::Seats | Cell::EndDate => Permission::EditSeatsAndDates,
            Cell::AutoRenew | Cell::Status => Permission::EditSubscriptions,
        }
    }
}

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
    let Operation::EditSubscription { seats, end_date, auto_renew, status, .. } = &mut op else { unreachable!() };
    match cell {
        Cell::Seats => {
            let n = draft.trim().parse::<i64>().map_err(|_| "Seats must be a whole number.".to_string())?;
            *seats = Some(policy::seats(n)?);
        }
        Cell::EndDate => {
            let d = draft.trim().parse::<NaiveDate>().map_err(|_| "End date must be a date (YYYY-MM-DD).".to_string())?;
            *end_date = Some(policy::end_date(s.start_date, d)?);
        }
        Cell::AutoRenew => *auto_renew = Some(draft == "on"),
        Cell::Status => {
            let to = policy::status(draft)?;
            let from = SubscriptionStatus::parse(&s.status).unwrap_or(SubscriptionStatus::Active);
            policy::status_transition(from, to)?;
            *status = Some(to.as_str().to_string());
        }
    }
    if draft.trim() == cell.current(s) {
        return Err(format!("That is already the {}.", cell.label()));
    }
    Ok(op)
}

/// One subscription row whose seats, end date, auto-renew and status edit in place.
#[component]
pub fn EditableSubscription(
    sub: Subscription,
    /// Seats in use over the linked namespaces, if any are linked.
    in_use: Option<i64>,
    /// When it renews, in words (empty when not active).
    renewal: String,
    /// Whether the renewal is close.
    soon: bool,
) -> impl IntoView {
    let over = in_use.is_some_and(|u| u > sub.seats);
    let extend_href = crate::extensions::wizard::Draft::eligibility_href(sub.customer_id, sub.id);
    let role = use_current_user().role;
    let editing = RwSignal::new(None::<Cell>);
    let draft = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let ticket = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let preview = ServerAction::<PreviewOperation>::new();
    let run = ServerAction::<RunOperation>::new();
    let s = StoredValue::new(sub.clone());
    let client_error = move || editing.get().and_then(|c| edit_of(c, &draft.get(), &s.get_value()).err());
    let start = move |cell: Cell| {
        draft.set(cell.current(&s.get_value()));
        preview.clear();
        run.clear();
        submitted.set(false);
        editing.set(Some(cell));
    };
    let cancel = move || {
        editing.set(None);
        preview.clear();
    };
    let ask_preview = move || {
        if let Some(Ok(op)) = editing.get_untracked().map(|c| edit_of(c, &draft.get_untracked(), &s.get_value())) {
            preview.dispatch(PreviewOperation { request: OpRequest { op, reason: String::new(), ticket_url: None } });
        }
    };
    let request = move || {
        let op = editing.get().and_then(|c| edit_of(c, &draft.get(), &s.get_value()).ok())?;
        Some(OpRequest { op, reason: reason.get(), ticket_url: Some(ticket.get()) })
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
                run.dispatch(RunOperation { request: req });
            }
        }
    };
    let outcome = move || run.value().get().and_then(|r| r.ok());
    Effect::new(move |_| {
        if let Some(o) = outcome() {
            finished(o);
        }
    });
    let conflict = move || {
        let from_preview = preview.value().get().and_then(|r| r.err());
        let from_run = run.value().get().and_then(|r| r.err());
        from_run.or(from_preview).filter(|e| matches!(e, AppError::Conflict(_)))
    };
    let other_error = move || {
        let e = run.value().get().and_then(|r| r.err()).or_else(|| preview.value().get().and_then(|r| r.err()));
        e.filter(|e| !matches!(e, AppError::Conflict(_)))
    };

    let number = sub.number.clone();
    let cell = move |c: Cell, shown: String| {
        let editable = move || role.can(c.permission());
        // The visible value leads the accessible name.
        let label = format!("{shown}: edit {} of {}", c.label(), number);
        view! {
            {move || if editing.get() == Some(c) {
                view! { <CellInput cell=c draft start=s.get_value().start_date on_enter=Callback::new(move |_| ask_preview())
                    on_escape=Callback::new(move |_| cancel()) error=Signal::derive(client_error)/> }.into_any()
            } else if editable() {
                view! { <button type="button" class="editable" aria-label=label.clone() title="Click to edit"
                    on:click=move |_| start(c)>{shown.clone()}</button> }.into_any()
            } else {
                view! { <span>{shown.clone()}</span> }.into_any()
            }}
        }
    };
    let row_id = format!("subscription-{}", sub.id);
    view! {
        <tr id=row_id class:editing=move || editing.get().is_some()>
            <td><code>{sub.number.clone()}</code></td>
            <td>{sub.product.clone()} " " <span class="muted">{sub.deployment.replace('_', "-")}</span></td>
            <td data-field="seats" class:danger-text=over>
                {cell(Cell::Seats, sub.seats.to_string())} " "
                <span class="muted">{in_use.map(|u| format!("({u} in use)")).unwrap_or_default()}</span>
            </td>
            <td data-field="end_date">
                {sub.start_date.to_string()} " → " {cell(Cell::EndDate, sub.end_date.to_string())}
                " " <small class="muted" class:soon=soon>{renewal}</small>
                {move || (soon && role.can(Permission::ExtensionWizard)).then(|| view! {
                    " " <a class="small-link" href=extend_href.clone()>"Temporary extension…"</a>
                })}
            </td>
            <td data-field="status">{cell(Cell::Status, sub.status.clone())}</td>
            <td data-field="auto_renew">{cell(Cell::AutoRenew, Cell::AutoRenew.current(&sub))}</td>
        </tr>
        <Show when=move || editing.get().is_some() && (preview.value().get().is_some() || outcome().is_some())>
            <tr class="edit-panel"><td colspan="6">
                {move || conflict().map(|e| view! { <ConflictNote error=e stale=s.get_value()/> })}
                {move || other_error().map(|e| view! { <ErrorNote error=e/> })}
                    {move || preview.value().get().and_then(|r| r.ok()).filter(|_| outcome().is_none()).map(|p| view! {
                    <form class="inline-confirm" novalidate data-testid="inline-confirm"
                        on:submit=move |ev| { ev.prevent_default(); save(); }
                        on:keydown=move |ev| if ev.key() == "Escape" { cancel(); }>
                        <ChangesTable changes=p.changes.clone()/>
                        <JustificationFields reason ticket id_prefix=format!("subscription-{}", p.target_id) errors=Signal::derive(errors) focus=true/>
                        <div class="actions">
                            <button type="submit" class="button primary" disabled=move || run.pending().get()>"Save"</button>
                            <button type="button" class="button" on:click=move |_| cancel()>"Cancel"</button>
                        </div>
                    </form>
                })}
            </td></tr>
        </Show>
    }
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
    let fresh = crate::client::data(move || stale.customer_id, get_customer);
    let id = stale.id;
    view! {
        <div class="error-note conflict" role="alert" data-testid="conflict">
            <strong>{error.to_string()}</strong>
            <Suspense fallback=|| ()>
                {move || fresh.get().and_then(|r| r.ok()).and_then(|v| v.subscription(id).cloned()).map(|now| {
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
        .map(|(field, before, after)| format!("{}: {} → {}", field.replace('_', " "), value_text(&before), value_text(&after)))
        .collect()
}
