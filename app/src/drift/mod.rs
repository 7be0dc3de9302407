//! Billing drift: where the console and the billing provider disagree, found by
//! reconciliation (webhooks and the sweep), listed and fixed (`docs/billing.md`).
#[cfg(feature = "ssr")]
pub mod server;
