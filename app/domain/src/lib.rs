//! The base of Fulfillment Console, shared by the server and the browser: the closed
//! sets of values records take (enums that serialize to the text the database stores),
//! roles and permissions, the records, operations and their policies, extension terms,
//! integrity rules and findings, approvals; the errors every layer returns, the
//! validators, and URL helpers. It reads no database and renders nothing: it builds and
//! tests without Leptos or sqlx (feature `ssr` adds the row decoding and the OpenAPI
//! schemas the server needs, `server-fn` the error's server-function encoding). The
//! `app` crate re-exports it as `app::domain`.

pub mod error;
pub mod url;
pub mod validate;
pub mod when;

mod actions;
mod approval;
pub mod billing;
pub mod drift;
mod enums;
mod extension;
pub mod extension_policy;
mod finding;
pub mod namespace_ops;
mod note;
mod operation;
pub mod ops_policy;
mod records;
pub mod reply;
pub mod requester;
mod role;
#[cfg(feature = "ssr")]
mod schema;
pub mod sso;
mod stats;
pub mod undo;

pub use actions::{action_label, Action};
pub use approval::Approval;
pub use enums::*;
pub use error::{AppError, FieldErrors};
pub use extension::*;
pub use finding::*;
pub use note::{Note, NoteAction, NOTE_MAX};
pub use operation::*;
pub use records::*;
pub use requester::{Contact, NamespaceOwner};
pub use role::{Permission, Role};
#[cfg(feature = "ssr")]
pub use schema::any_value;
pub use stats::Count;
pub use undo::{may_undo, undo_policy, UndoPolicy};
