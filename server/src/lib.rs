//! The Fulfillment Console server: settings, the HTTP application, and the
//! maintenance commands (`migrate`, `seed`, `token create`, `audit verify`).

#![recursion_limit = "512"]

pub mod commands;
pub mod seed;
pub mod serve;
pub mod settings;
pub mod startup;
pub mod telemetry;
