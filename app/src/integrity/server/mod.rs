//! Fixing findings: one at a time, in bulk (a dry run, then a confirmation), and
//! flagging seat overages to sales.
pub mod fix;
mod report;

pub use report::report;
