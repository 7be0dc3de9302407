//! The notes card on the customer page (write, pin, unpin, resolve) and the pinned
//! notes shown under the customer's header. Each action reloads the customer page.
use leptos::prelude::*;

use super::{add_note, change_note};
use crate::client::Call;
use crate::domain::{Note, NoteAction, NOTE_MAX};
use crate::ui::ErrorNote;

/// Pinned, unresolved notes: the first thing the next person reads.
#[component]
pub fn PinnedNotes(notes: Vec<Note>) -> impl IntoView {
    let pinned: Vec<Note> = notes.into_iter().filter(Note::shows_pinned).collect();
    (!pinned.is_empty()).then(|| {
        view! {
            <aside class="pinned-notes" aria-label="Pinned notes" data-testid="pinned-notes">
                {pinned.into_iter().map(|n| view! {
                    <p class="pinned-note">
                        <span class="badge warn">"pinned"</span> " " {n.body}
                        <a href=format!("#note-{}", n.id) class="muted">{format!(" — {}, {}", n.author_email, crate::domain::when::date(n.created_at.date_naive()))}</a>
                    </p>
                }).collect_view()}
            </aside>
        }
    })
}

/// Every note of the customer, with the form to add one.
#[component]
pub fn NotesSection(customer_id: i64, notes: Vec<Note>) -> impl IntoView {
    let add = Call::<Note>::new();
    let change = Call::<Note>::new();
    let body = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let local_error =
        move || touched.get().then(|| crate::validate::note_body(&body.get()).err()).flatten();
    let server_error = move || add.error().or_else(|| change.error());
    // A saved note or a changed one reloads the page (header, list, timeline).
    Effect::new(move |_| {
        if add.ok().is_some() {
            body.set(String::new());
            touched.set(false);
            crate::ops::ui::reload();
        }
    });
    Effect::new(move |_| {
        if change.ok().is_some() {
            crate::ops::ui::reload();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        touched.set(true);
        if crate::validate::note_body(&body.get_untracked()).is_ok() {
            add.run(add_note(customer_id, body.get_untracked()));
        }
    };
    let count = notes.iter().filter(|n| n.resolved_at.is_none()).count();
    view! {
        <section class="card notes" id="notes" aria-labelledby="notes-title" data-testid="notes">
            <h2 id="notes-title">"Notes" <span class="count muted">{format!(" {count} open")}</span></h2>
            <form class="note-form" on:submit=submit>
                <label for="note-body" class="sr-only">"New note"</label>
                <textarea id="note-body" name="body" rows="2" placeholder="What should the next person know?"
                    aria-invalid=move || local_error().is_some().to_string()
                    prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                <div class="note-form-foot">
                    <small class="muted">{move || format!("{} / {NOTE_MAX}", body.get().trim().chars().count())}</small>
                    {move || local_error().map(|e| view! { <small class="field-error" role="alert">{e}</small> })}
                    <button type="submit" class="button primary" disabled=move || add.pending()>"Add note"</button>
                </div>
            </form>
            {move || server_error().map(|e| view! { <ErrorNote error=e/> })}
            {notes.is_empty().then(|| view! { <p class="muted">"No notes yet."</p> })}
            <ul class="note-list">
                {notes.into_iter().map(|n| view! { <NoteItem note=n change/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn NoteItem(note: Note, change: Call<Note>) -> impl IntoView {
    let id = note.id;
    let send = move |action: NoteAction| {
        change.run(change_note(id, action));
    };
    let open = note.resolved_at.is_none();
    let status = match (&note.resolved_at, note.pinned) {
        (Some(at), _) => Some(view! {
            <span class="badge">{format!("resolved {} by {}", crate::domain::when::date(at.date_naive()), note.resolved_by.clone().unwrap_or_default())}</span>
        }.into_any()),
        (None, true) => Some(view! { <span class="badge warn">"pinned"</span> }.into_any()),
        (None, false) => None,
    };
    view! {
        <li class="note" class:resolved=!open id=format!("note-{id}") data-testid="note">
            <p class="note-body">{note.body.clone()}</p>
            <p class="note-meta muted">
                {status} " " {format!("{} · {}", note.author_email, crate::domain::when::minute_utc(note.created_at))}
                {open.then(|| view! {
                    <span class="note-actions">
                        {if note.pinned {
                            view! { <button type="button" class="button ghost small" on:click=move |_| send(NoteAction::Unpin)>"Unpin"</button> }.into_any()
                        } else {
                            view! { <button type="button" class="button ghost small" on:click=move |_| send(NoteAction::Pin)>"Pin"</button> }.into_any()
                        }}
                        <button type="button" class="button ghost small" on:click=move |_| send(NoteAction::Resolve)>"Resolve"</button>
                    </span>
                })}
            </p>
        </li>
    }
}
