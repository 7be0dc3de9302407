//! Internal notes on a customer: what the next person to open the account should know.
//! Added, pinned or unpinned, resolved; never deleted.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest note, in characters.
pub const NOTE_MAX: usize = 2000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Note {
    pub id: i64,
    pub customer_id: i64,
    pub body: String,
    pub author_email: String,
    pub created_at: DateTime<Utc>,
    /// Shown in the customer's header, and badged in search, until resolved.
    pub pinned: bool,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolved_by: Option<String>,
    pub version: i64,
}

impl Note {
    /// Pinned and not yet resolved: what the header shows.
    pub fn shows_pinned(&self) -> bool {
        self.pinned && self.resolved_at.is_none()
    }
}

/// What can be done to a note after it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteAction {
    Pin,
    Unpin,
    Resolve,
}

impl NoteAction {
    /// From the API's path segment.
    pub fn parse(text: &str) -> Option<NoteAction> {
        match text {
            "pin" => Some(NoteAction::Pin),
            "unpin" => Some(NoteAction::Unpin),
            "resolve" => Some(NoteAction::Resolve),
            _ => None,
        }
    }

    /// The event's action.
    pub fn action(self) -> crate::Action {
        match self {
            NoteAction::Pin => crate::Action::PinNote,
            NoteAction::Unpin => crate::Action::UnpinNote,
            NoteAction::Resolve => crate::Action::ResolveNote,
        }
    }
}
