//! The integrity screen: counts per rule, the findings list with each finding's fix,
//! and bulk fixes.
mod bulk;
mod code;
mod flag;
mod page;
mod row;

pub use page::IntegrityPage;
pub use row::{FixButton, FixPanel};
