//! Which drift the list shows: read from the page's URL and from the API's query string
//! alike.
use serde::{Deserialize, Serialize};

use crate::domain::drift::{BillingField, DriftKind};
use crate::error::FieldErrors;
use crate::url::query::{to_query, QueryReader};
use crate::AppError;

/// Narrows the list to one field, one kind and/or one customer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriftFilter {
    pub field: Option<BillingField>,
    pub kind: Option<DriftKind>,
    pub customer_id: Option<i64>,
}

impl DriftFilter {
    /// Reads a filter from query parameters; bad values are field errors naming the
    /// parameter.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Result<Self, AppError> {
        let mut read = QueryReader::new(get);
        let field = read.text("field");
        let kind = read.text("kind");
        let customer_id = read.id("customer_id", "Customer id");
        let mut errors = FieldErrors::new();
        let filter = DriftFilter {
            field: field.as_deref().and_then(|f| {
                let parsed = BillingField::parse(f);
                if parsed.is_none() {
                    errors.insert(
                        "field".into(),
                        one_of("Field", BillingField::ALL.iter().map(|f| f.as_str())),
                    );
                }
                parsed
            }),
            kind: kind.as_deref().and_then(|k| {
                let parsed = DriftKind::parse(k);
                if parsed.is_none() {
                    errors.insert(
                        "kind".into(),
                        one_of("Kind", DriftKind::ALL.iter().map(|k| k.as_str())),
                    );
                }
                parsed
            }),
            customer_id,
        };
        read.finish(filter, move |_| errors.clone())
    }

    /// The filter as a query string (without `?`).
    pub fn to_query(&self) -> String {
        let pairs = [
            self.field.map(|f| ("field", f.as_str().to_string())),
            self.kind.map(|k| ("kind", k.as_str().to_string())),
            self.customer_id.map(|id| ("customer_id", id.to_string())),
        ];
        to_query(&pairs.into_iter().flatten().collect::<Vec<_>>())
    }
}

fn one_of<'a>(what: &str, values: impl Iterator<Item = &'a str>) -> String {
    format!("{what} must be one of: {}.", values.collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_the_query_string() {
        let f = DriftFilter::from_query(|k| match k {
            "field" => Some("seats".into()),
            "customer_id" => Some("7".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(f.field, Some(BillingField::Seats));
        assert_eq!(f.to_query(), "field=seats&customer_id=7");
        let e = DriftFilter::from_query(|k| (k == "kind").then(|| "nope".to_string())).unwrap_err();
        assert!(e.field_message("kind").is_some());
    }
}
