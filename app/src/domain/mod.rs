//! The domain, shared by every feature and by both builds: the closed sets of values
//! records take (enums that serialize to the text the database stores), roles and
//! permissions, the records, operations and their policies, extension terms, integrity
//! rules and findings, approvals. Nothing here reads the database or renders.

mod actions;
mod approval;
mod enums;
mod extension;
pub mod extension_policy;
mod finding;
mod operation;
pub mod ops_policy;
mod records;
mod role;
#[cfg(feature = "ssr")]
mod schema;
mod stats;

pub use actions::{action_label, ACTIONS};
pub use approval::Approval;
pub use enums::*;
pub use extension::*;
pub use finding::*;
pub use operation::*;
pub use records::*;
pub use role::{Permission, Role};
#[cfg(feature = "ssr")]
pub use schema::any_value;
pub use stats::Count;
