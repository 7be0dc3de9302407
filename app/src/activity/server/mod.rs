//! Writing events and keeping their hash chain.

pub mod as_of;
pub mod chain;
pub mod csv;
pub mod query;
mod record;
pub mod stored;

pub use record::{record, NewEvent};
