//! Which findings the integrity list shows: read from the page's URL and from the API's
//! query string alike.
use serde::{Deserialize, Serialize};

use crate::domain::Rule;
use crate::error::FieldErrors;
use crate::url::query::{to_query, QueryReader};
use crate::AppError;

/// Narrows the list to one rule and/or one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IntegrityFilter {
    /// A rule id, e.g. `plan_mismatch`.
    pub rule: Option<String>,
    pub customer_id: Option<i64>,
}

impl IntegrityFilter {
    /// Reads a filter from query parameters; bad values are field errors naming the parameter.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Result<Self, AppError> {
        let mut read = QueryReader::new(get);
        let filter = IntegrityFilter {
            rule: read.text("rule"),
            customer_id: read.id("customer_id", "Customer id"),
        };
        read.finish(filter, IntegrityFilter::field_errors)
    }

    /// Problems with the values themselves, by parameter name.
    pub fn field_errors(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if let Some(rule) = &self.rule {
            if Rule::parse(rule).is_none() {
                let ids: Vec<&str> = Rule::ALL.iter().map(|r| r.as_str()).collect();
                errors.insert("rule".into(), format!("Rule must be one of: {}.", ids.join(", ")));
            }
        }
        errors
    }

    /// The filter as a query string (without `?`).
    pub fn to_query(&self) -> String {
        let rule = self.rule.clone().map(|r| ("rule", r));
        let customer = self.customer_id.map(|id| ("customer_id", id.to_string()));
        to_query(&[rule, customer].into_iter().flatten().collect::<Vec<_>>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_query_string() {
        let f = IntegrityFilter::from_query(|k| match k {
            "rule" => Some("plan_mismatch".into()),
            "customer_id" => Some(" 42 ".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(
            f,
            IntegrityFilter { rule: Some("plan_mismatch".into()), customer_id: Some(42) }
        );
        assert_eq!(f.to_query(), "rule=plan_mismatch&customer_id=42");
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let e = IntegrityFilter::from_query(|k| match k {
            "rule" => Some("nope".into()),
            "customer_id" => Some("-3".into()),
            _ => None,
        })
        .unwrap_err();
        assert!(e.field_message("rule").is_some());
        assert!(e.field_message("customer_id").is_some());
    }
}
