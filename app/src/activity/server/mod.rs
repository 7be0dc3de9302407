//! The timeline's own server side: a record's state at a past moment, CSV export.

pub mod as_of;
pub mod csv;
