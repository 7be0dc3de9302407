//! Reconciling the console with the billing provider: a webhook's hint, the scheduled
//! sweep, and fixing what they leave as drift.
mod invoices;
pub mod reconcile;
pub mod resolve;
pub mod side;
pub mod sweep;
pub mod webhook;

pub use reconcile::{Reconciler, Settled};
