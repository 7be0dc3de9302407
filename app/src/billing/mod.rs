//! The billing provider: which records it holds, the changes on their way to it, and
//! the client that speaks its API. Below the operations engine, which writes a change
//! to a provider-owned field and its outbox entry in one transaction.
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;
