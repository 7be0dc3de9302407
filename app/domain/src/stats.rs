use serde::{Deserialize, Serialize};

/// How many of something there are, by key (an action, a staff member, a rule).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub count: i64,
}
