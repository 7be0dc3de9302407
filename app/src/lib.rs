//! Fulfillment Console: shared domain types, validation, components and server
//! functions. Compiled twice: with `ssr` for the server and `hydrate` for the browser.
//! Each feature lives in its own folder; server-only code sits in the feature's
//! `server` module, compiled only with `ssr`.
#![recursion_limit = "512"]

pub mod activity;
pub mod approvals;
pub mod auth;
pub mod client;
pub mod customer;
pub mod dashboard;
pub mod domain;
pub mod error;
pub mod extensions;
pub mod integrity;
pub mod ops;
pub mod search;
pub mod shell;
pub mod staff;
pub mod url;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod api;
#[cfg(feature = "ssr")]
pub mod state;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::{AppError, FieldErrors};
pub use shell::{shell, App};
