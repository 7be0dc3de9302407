//! Which events the timeline shows: one filter type read from the page's URL and from
//! the API's query string alike, checked the same way in the browser and on the server.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::{Action, TargetType};
use crate::error::FieldErrors;
use crate::url::query::{to_query, QueryReader};
use crate::AppError;

/// What a timeline is narrowed to; every part is optional and they all combine.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ActivityFilter {
    /// Staff member who acted: e-mail address or staff id.
    pub actor: Option<String>,
    /// Exact action, e.g. `subscription.edit`.
    pub action: Option<String>,
    pub customer_id: Option<i64>,
    /// `subscription`, `namespace`, `license`, … (with `target_id`).
    pub target_type: Option<String>,
    pub target_id: Option<i64>,
    /// First day shown (UTC), inclusive.
    pub from: Option<NaiveDate>,
    /// Last day shown (UTC), inclusive.
    pub to: Option<NaiveDate>,
    /// Words the reason contains (case-insensitive).
    pub q: Option<String>,
    /// Email of the person at the customer who asked for the changes.
    pub requester: Option<String>,
    /// The ticket the changes were made under (its exact URL).
    pub ticket: Option<String>,
}

/// Longest free-text filter accepted.
pub const MAX_TEXT: usize = 100;

/// The query-string keys, in the order addresses are written.
const KEYS: [&str; 10] = [
    "actor",
    "action",
    "customer_id",
    "target_type",
    "target_id",
    "from",
    "to",
    "q",
    "requester",
    "ticket",
];

impl ActivityFilter {
    /// Reads a filter from query parameters (`get` returns a key's raw value). Unknown
    /// or malformed values are field errors naming the parameter.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Result<Self, AppError> {
        let mut read = QueryReader::new(get);
        let filter = ActivityFilter {
            actor: read.text("actor"),
            action: read.text("action"),
            customer_id: read.id("customer_id", "Customer id"),
            target_type: read.text("target_type"),
            target_id: read.id("target_id", "Target id"),
            from: read.date("from", "From"),
            to: read.date("to", "To"),
            q: read.text("q"),
            requester: read.text("requester").map(|r| r.to_lowercase()),
            ticket: read.text("ticket"),
        };
        read.finish(filter, ActivityFilter::field_errors)
    }

    /// Problems with the values themselves, by parameter name.
    pub fn field_errors(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from > to {
                errors.insert("to".into(), "To must be on or after From.".into());
            }
        }
        if self.action.as_deref().is_some_and(|a| Action::parse(a).is_none()) {
            errors.insert(
                "action".into(),
                "Action must be one the console records, e.g. subscription.edit.".into(),
            );
        }
        if self.target_type.as_deref().is_some_and(|t| TargetType::parse(t).is_none()) {
            let kinds: Vec<&str> = TargetType::ALL.iter().map(|t| t.as_str()).collect();
            errors.insert(
                "target_type".into(),
                format!("Target type must be one of: {}.", kinds.join(", ")),
            );
        }
        if self.target_id.is_some() && self.target_type.is_none() {
            errors
                .insert("target_type".into(), "Say which kind of record the target id is.".into());
        }
        if self.q.as_ref().is_some_and(|q| q.chars().count() > MAX_TEXT) {
            errors
                .insert("q".into(), format!("Search at most {MAX_TEXT} characters of the reason."));
        }
        if self.requester.as_ref().is_some_and(|r| crate::validate::email(r).is_err()) {
            errors.insert("requester".into(), "Requester must be an email address.".into());
        }
        if let Some(Err(message)) = self.ticket.as_deref().map(crate::validate::ticket_url) {
            errors.insert("ticket".into(), message);
        }
        errors
    }

    /// The filter's values as `(key, value)` pairs, empty parts left out.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let values = [
            self.actor.clone(),
            self.action.clone(),
            self.customer_id.map(|v| v.to_string()),
            self.target_type.clone(),
            self.target_id.map(|v| v.to_string()),
            self.from.map(|v| v.to_string()),
            self.to.map(|v| v.to_string()),
            self.q.clone(),
            self.requester.clone(),
            self.ticket.clone(),
        ];
        KEYS.into_iter().zip(values).filter_map(|(k, v)| v.map(|v| (k, v))).collect()
    }

    /// The filter as a query string (without `?`), for page and export addresses.
    pub fn to_query(&self) -> String {
        to_query(&self.pairs())
    }

    /// Whether nothing narrows the timeline.
    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<ActivityFilter, AppError> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        ActivityFilter::from_query(|k| map.get(k).cloned())
    }

    #[test]
    fn round_trips_through_the_query_string() {
        let f = parse(&[
            ("actor", "lead@example.com"),
            ("action", "trial.extend"),
            ("customer_id", "42"),
            ("from", "2026-11-01"),
            ("to", "2026-11-27"),
            ("q", "renewal & co"),
            ("target_type", "namespace"),
            ("target_id", "7"),
        ])
        .unwrap();
        let query = f.to_query();
        assert!(query.contains("q=renewal%20%26%20co"), "{query}");
        let decoded: HashMap<String, String> = query
            .split('&')
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                let v = v.replace("%20", " ").replace("%26", "&");
                (k.to_string(), v)
            })
            .collect();
        assert_eq!(ActivityFilter::from_query(|k| decoded.get(k).cloned()).unwrap(), f);
        assert!(parse(&[("q", "  ")]).unwrap().is_empty());
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let e = parse(&[("customer_id", "abc"), ("from", "27/11/2026")]).unwrap_err();
        assert!(e.field_message("customer_id").is_some());
        assert!(e.field_message("from").is_some());
        let e = parse(&[("from", "2026-11-27"), ("to", "2026-11-01")]).unwrap_err();
        assert_eq!(e.field_message("to").unwrap(), "To must be on or after From.");
        assert!(parse(&[("target_type", "planet")])
            .unwrap_err()
            .field_message("target_type")
            .is_some());
        assert!(parse(&[("target_id", "3")]).unwrap_err().field_message("target_type").is_some());
        assert!(parse(&[("action", "DROP TABLE")]).unwrap_err().field_message("action").is_some());
        assert!(parse(&[("q", &"x".repeat(MAX_TEXT + 1))])
            .unwrap_err()
            .field_message("q")
            .is_some());
    }
}
