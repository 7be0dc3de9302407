//! Writing events and keeping their hash chain.

pub mod chain;
mod record;
pub mod stored;

pub use record::{record, NewEvent};
