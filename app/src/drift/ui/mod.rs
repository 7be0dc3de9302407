//! The drift page, a drift row and its fix, and the customer page's "Billing system"
//! section.
mod page;
mod row;
mod side;

pub use page::DriftPage;
pub use side::BillingSystemSection;

// A drift time as people read it.
use crate::domain::when::minute as when;
