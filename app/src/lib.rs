//! Fulfillment Console above its `domain` crate: the store, the audit trail, auth, the
//! UI kit, the checks, the operations engine, and the features' server functions and
//! pages. Compiled twice: with `ssr` for the server and `hydrate` for the browser.
//! Server-only code sits in `server` modules, compiled only with `ssr`.
#![recursion_limit = "512"]

// Views are type-erased in every build: the server renders and the browser hydrates
// the same tree only if both are compiled alike, and a build that differs serves pages
// that never hydrate, with no error anywhere. `.cargo/config.toml` sets the flag for
// every cargo build; a `RUSTFLAGS` that replaces it fails here instead.
#[cfg(not(erase_components))]
compile_error!(
    "build with `--cfg erase_components` (.cargo/config.toml sets it; a RUSTFLAGS \
     environment variable replaces that setting, so repeat it there)"
);

// The layers, bottom to top (docs/ARCHITECTURE.md); a module uses only the layers
// below it and, within its layer, the modules before it in the table of
// tests/layers.rs, which enforces this.

// base: the `domain` crate (app/domain), then
pub mod client;
pub mod status;
// store
#[cfg(feature = "ssr")]
pub mod store;
// audit
pub mod audit;
// identity provider
#[cfg(feature = "ssr")]
pub mod identity;
// state
#[cfg(feature = "ssr")]
pub mod state;
// auth
pub mod auth;
// ui kit
pub mod ui;
// checks
#[cfg(feature = "ssr")]
pub mod checks;
// billing provider
pub mod billing;
// operations engine
pub mod ops;
// features
pub mod activity;
pub mod approvals;
pub mod customer;
pub mod dashboard;
pub mod drift;
pub mod extensions;
pub mod integrity;
pub mod notes;
pub mod search;
pub mod staff;
pub mod tickets;
// shell and API
#[cfg(feature = "ssr")]
pub mod api;
pub mod shell;

pub use domain::{self, error, url, validate, AppError, FieldErrors};
pub use shell::{shell, App};
