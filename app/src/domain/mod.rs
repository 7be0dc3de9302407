//! Domain vocabulary shared by every feature: the closed sets of values that records
//! take, as enums that serialize to the same snake_case text the database stores.

mod enums;
pub use enums::*;
