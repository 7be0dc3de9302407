//! Notes on the server: permission → validation → one transaction with the note and
//! its activity event.
use serde_json::json;

use crate::audit::{record, EventBody, FieldChanges};
use crate::auth::server::caller;
use crate::domain::{Action, Note, NoteAction, Permission, TargetType};
use crate::ops::server::Actor;
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, state, AppError};

/// Most notes one listing returns.
const LIST_LIMIT: i64 = 200;

const COLUMNS: &str =
    "id, customer_id, body, author_email, created_at, pinned, resolved_at, resolved_by, version";

fn noter() -> Result<Actor, AppError> {
    let caller = caller::require(Permission::ViewAll, "write notes")?;
    Ok(Actor::from(&caller))
}

pub async fn add_for_caller(customer_id: i64, body: &str) -> Result<Note, AppError> {
    let actor = noter()?;
    add(&state::from_context()?.db, &actor, customer_id, body).await
}

pub async fn change_for_caller(id: i64, action: NoteAction) -> Result<Note, AppError> {
    let actor = noter()?;
    change(&state::from_context()?.db, &actor, id, action).await
}

/// A customer's notes: open ones first (pinned first), newest first, then resolved.
pub async fn list(db: &Db, customer_id: i64) -> Result<Vec<Note>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM customer_notes WHERE customer_id = $1
         ORDER BY CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END,
                  CASE WHEN pinned THEN 0 ELSE 1 END, id DESC LIMIT $2"
    );
    Ok(on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(customer_id)
        .bind(LIST_LIMIT)
        .fetch_all(p)
        .await)?)
}

/// Writes a note (422 `body` when empty or too long, 404 for an unknown customer).
pub async fn add(db: &Db, actor: &Actor, customer_id: i64, body: &str) -> Result<Note, AppError> {
    caller::check(&actor.user, Permission::ViewAll, "write notes")?;
    let body = crate::validate::note_body(body).map_err(|m| AppError::field("body", m))?;
    let mut tx = db.begin().await?;
    let exists: Option<i64> =
        on_tx!(&mut tx, |c| sqlx::query_scalar("SELECT id FROM customers WHERE id = $1")
            .bind(customer_id)
            .fetch_optional(c)
            .await)?;
    if exists.is_none() {
        return Err(AppError::NotFound(format!("Customer {customer_id}")));
    }
    let id: i64 = on_tx!(&mut tx, |c| sqlx::query_scalar(
        "INSERT INTO customer_notes (customer_id, body, author_id, author_email, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id"
    )
    .bind(customer_id)
    .bind(&body)
    .bind(actor.user.id)
    .bind(&actor.user.email)
    .bind(now())
    .fetch_one(c)
    .await)?;
    let changes = FieldChanges::from([("body".into(), [json!(null), json!(body)])]);
    record(&mut tx, event(actor, Action::AddNote, id, customer_id, changes)).await?;
    let note = get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(note)
}

/// Pins, unpins or resolves a note. Asking for the state it is already in changes
/// nothing; a resolved note stays resolved (409 on pinning it).
pub async fn change(db: &Db, actor: &Actor, id: i64, action: NoteAction) -> Result<Note, AppError> {
    caller::check(&actor.user, Permission::ViewAll, "change notes")?;
    let mut tx = db.begin().await?;
    let before = get(&mut tx, id).await?;
    if before.resolved_at.is_some() {
        return match action {
            NoteAction::Resolve | NoteAction::Unpin => Ok(before),
            NoteAction::Pin => Err(AppError::Conflict(
                "This note is resolved, so it cannot be pinned: write a new one.".into(),
            )),
        };
    }
    let pinned = match action {
        NoteAction::Pin => true,
        NoteAction::Unpin | NoteAction::Resolve => false,
    };
    let resolving = action == NoteAction::Resolve;
    if !resolving && pinned == before.pinned {
        return Ok(before);
    }
    let mut changes = FieldChanges::new();
    if pinned != before.pinned {
        changes.insert("pinned".into(), [json!(before.pinned), json!(pinned)]);
    }
    if resolving {
        changes.insert("resolved".into(), [json!(false), json!(true)]);
    }
    let at = resolving.then(now);
    let by = resolving.then(|| actor.user.email.clone());
    let updated = on_tx!(&mut tx, |c| sqlx::query(
        "UPDATE customer_notes SET pinned = $1, resolved_at = COALESCE($2, resolved_at),
            resolved_by = COALESCE($3, resolved_by), version = version + 1
         WHERE id = $4 AND version = $5"
    )
    .bind(pinned)
    .bind(at)
    .bind(&by)
    .bind(id)
    .bind(before.version)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    if updated == 0 {
        return Err(AppError::Conflict(
            "Someone changed this note at the same moment. Nothing was saved: reload.".into(),
        ));
    }
    record(&mut tx, event(actor, action.action(), id, before.customer_id, changes)).await?;
    let note = get(&mut tx, id).await?;
    tx.commit().await?;
    Ok(note)
}

async fn get(tx: &mut Tx, id: i64) -> Result<Note, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM customer_notes WHERE id = $1");
    let note: Option<Note> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    note.ok_or_else(|| AppError::NotFound(format!("Note {id}")))
}

fn event(
    actor: &Actor,
    action: Action,
    note_id: i64,
    customer_id: i64,
    changes: FieldChanges,
) -> EventBody {
    EventBody {
        actor_id: actor.staff_id(),
        actor_email: actor.user.email.clone(),
        action,
        target_type: TargetType::Note,
        target_id: note_id,
        customer_id: Some(customer_id),
        reason: String::new(),
        ticket_url: None,
        changes,
        source: actor.source,
        approval_id: None,
        requester: None,
        requester_verdict: None,
    }
}
