//! The server's integration tests, one binary (one link instead of one per file).
//! Each module is one area; `common` holds the helpers they share.
#[macro_use]
mod common;

mod abuse;
mod accounts;
mod activity;
mod authz;
mod billing;
mod concurrency;
mod doors;
mod extensions;
mod faults;
mod history;
mod http;
mod insights;
mod integrity;
mod invoices;
mod operations;
mod paths;
mod policy;
mod reconcile;
mod requesters;
mod schema;
mod scim;
mod search;
mod security;
mod sso;
mod sso_tokens;
mod startup;
mod store;
mod tickets;
mod trace;
