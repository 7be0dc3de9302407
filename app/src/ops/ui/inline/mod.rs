//! Inline subscription editing: click a value, type, Enter previews the change, a reason
//! saves it, Esc cancels. A save based on an older version shows what changed meanwhile.
//!
//! The row and its clickable values ship with the customer page. The editor (its input,
//! preview, justification and save) comes with the operation panel's chunk, fetched at
//! the first click (`ops::ui::panel`).
pub(in crate::ops::ui) mod editor;

use leptos::prelude::*;

use crate::domain::{Permission, Subscription};
use crate::ui::use_current_user;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::ops::ui) enum Cell {
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
            Cell::AutoRenew => {
                if s.auto_renew {
                    "on".into()
                } else {
                    "off".into()
                }
            }
            Cell::Status => s.status.as_str().to_string(),
        }
    }

    fn permission(self) -> Permission {
        match self {
            Cell::Seats | Cell::EndDate => Permission::EditSeatsAndDates,
            Cell::AutoRenew | Cell::Status => Permission::EditSubscriptions,
        }
    }
}

/// A loaded editor for one row: the input of the cell being edited, and the row below
/// it (preview, justification, conflict). `start` begins editing another cell.
#[derive(Clone, Copy)]
pub(in crate::ops::ui) struct Editor {
    start: Callback<Cell>,
    input: Callback<Cell, AnyView>,
    panel: Callback<(), AnyView>,
}

/// Builds the editor of a row; a plain function pointer, so the code behind it moves to
/// the chunk of the lazy function that hands it out.
pub(in crate::ops::ui) type MakeEditor = fn(Subscription, RwSignal<Option<Cell>>) -> Editor;

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
    let extend_href = crate::url::wizard::Draft::eligibility_href(sub.customer_id, sub.id);
    let role = use_current_user().role;
    let editing = RwSignal::new(None::<Cell>);
    let editor = RwSignal::new(None::<Editor>);
    let owner = Owner::current().unwrap_or_default();
    // The editor's code is asked for once, however fast the clicks come.
    let asked = StoredValue::new(false);
    let s = StoredValue::new(sub.clone());
    let start = Callback::new(move |cell: Cell| {
        editing.set(Some(cell));
        if let Some(ed) = editor.get_untracked() {
            ed.start.run(cell);
        } else if !asked.get_value() {
            asked.set_value(true);
            // Under the row's owner: the editor's signals and effects belong to the row,
            // and the task stops if the row goes away first.
            owner.with(|| {
                leptos::task::spawn_local_scoped_with_cancellation(async move {
                    let make = super::panel::ops_code().await.editor;
                    editor.set(Some(make(s.get_value(), editing)));
                })
            });
        }
    });

    let number = sub.number.clone();
    let cell = move |c: Cell, shown: String| {
        let editable = move || role.can(c.permission());
        // The visible value leads the accessible name.
        let label = format!("{shown}: edit {} of {}", c.label(), number);
        view! {
            {move || match (editing.get() == Some(c), editor.get()) {
                (true, Some(ed)) => ed.input.run(c),
                (true, None) => view! { <span class="muted" role="status">{shown.clone()} " …"</span> }.into_any(),
                _ if editable() => view! { <button type="button" class="editable" aria-label=label.clone() title="Click to edit"
                    on:click=move |_| start.run(c)>{shown.clone()}</button> }.into_any(),
                _ => view! { <span>{shown.clone()}</span> }.into_any(),
            }}
        }
    };
    let row_id = format!("subscription-{}", sub.id);
    view! {
        <tr id=row_id class:editing=move || editing.get().is_some()>
            <td><code>{sub.number.clone()}</code>
                {sub.billing.clone().map(|link| view! { <br/><crate::billing::ui::BillingBadge link/> })}</td>
            <td>{sub.product.as_str()} " " <span class="muted">{sub.deployment.as_str().replace('_', "-")}</span></td>
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
            <td data-field="status">{cell(Cell::Status, sub.status.as_str().to_string())}</td>
            <td data-field="auto_renew">{cell(Cell::AutoRenew, Cell::AutoRenew.current(&sub))}</td>
        </tr>
        {move || editor.get().map(|ed| ed.panel.run(()))}
    }
}
