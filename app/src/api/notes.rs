//! Internal notes on a customer for automation: list, add, pin, unpin, resolve.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::JsonBody;
use crate::auth::server::Caller;
use crate::domain::{Note, NoteAction, Permission};
use crate::notes::server;
use crate::ops::server::Actor;
use crate::state::AppState;
use crate::status::ErrorResponse;
use crate::AppError;

/// A customer's notes: open ones first (pinned first), newest first, then resolved.
#[derive(Serialize, ToSchema)]
pub struct NoteList {
    pub notes: Vec<Note>,
}

/// A new note.
#[derive(Deserialize, ToSchema)]
pub struct NoteBody {
    /// The text: 1 to 2000 characters once trimmed.
    #[serde(default)]
    pub body: String,
}

fn id_of(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.parse().map_err(|_| AppError::BadRequest(format!("A {what} id is a number.")))
}

/// A customer's notes.
#[utoipa::path(
    get, path = "/api/v1/customers/{id}/notes", tag = "notes",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, description = "The notes", body = NoteList)),
    security(("bearer" = []), ("session" = []))
)]
pub async fn list(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<NoteList>, ErrorResponse> {
    caller.require(Permission::ViewAll, "view notes")?;
    Ok(Json(NoteList { notes: server::list(&state.db, id_of(&id, "customer")?).await? }))
}

/// Adds a note to a customer (recorded on the timeline as `note.add`).
#[utoipa::path(
    post, path = "/api/v1/customers/{id}/notes", tag = "notes",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = NoteBody,
    responses(
        (status = 201, description = "The note", body = Note),
        (status = 404, description = "No such customer", body = crate::status::ErrorBody),
        (status = 422, description = "Empty or longer than 2000 characters (`body`)", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn add(
    caller: Caller,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<NoteBody>,
) -> Result<(StatusCode, Json<Note>), ErrorResponse> {
    let id = id_of(&id, "customer")?;
    let note = server::add(&state.db, &Actor::from(&caller), id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(note)))
}

/// Pins, unpins or resolves a note. Resolved notes are kept (and cannot be pinned).
#[utoipa::path(
    post, path = "/api/v1/notes/{id}/{action}", tag = "notes",
    params(
        ("id" = i64, Path, description = "Note id"),
        ("action" = String, Path, description = "pin | unpin | resolve"),
    ),
    responses(
        (status = 200, description = "The note as it is now", body = Note),
        (status = 404, description = "No such note or action", body = crate::status::ErrorBody),
        (status = 409, description = "Pinning a resolved note", body = crate::status::ErrorBody),
    ),
    security(("bearer" = []), ("session" = []))
)]
pub async fn change(
    caller: Caller,
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
) -> Result<Json<Note>, ErrorResponse> {
    let action =
        NoteAction::parse(&action).ok_or_else(|| AppError::NotFound("This note action".into()))?;
    let id = id_of(&id, "note")?;
    Ok(Json(server::change(&state.db, &Actor::from(&caller), id, action).await?))
}
