//! Temporary extensions as operations (`extension.issue`): the facts policy weighs,
//! the plan (a new license, a later end date), writing the license, and recording a
//! refusal.
pub mod facts;
pub mod issue;
pub mod new_license;
pub mod refusal;

pub use issue::Issue;
