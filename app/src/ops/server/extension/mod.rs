//! Temporary extensions as operations (`extension.issue`): the facts policy weighs,
//! the plan (a new license, a later end date), and writing the license.
pub mod facts;
pub mod issue;
pub mod new_license;

pub use issue::Issue;
