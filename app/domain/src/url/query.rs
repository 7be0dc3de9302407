//! Filters kept in a query string (the timeline's, the integrity list's): read from a
//! page's URL and from the API's query alike, with one error per bad parameter, and
//! written back in a fixed key order.
use chrono::NaiveDate;

use super::{percent_encode, QUERY_VALUE};
use crate::error::FieldErrors;
use crate::AppError;

/// Reads typed values from query parameters (`get` returns a key's raw value), noting
/// a field error, named after the parameter, for each value it cannot read.
pub struct QueryReader<G> {
    get: G,
    errors: FieldErrors,
}

impl<G: Fn(&str) -> Option<String>> QueryReader<G> {
    pub fn new(get: G) -> Self {
        QueryReader { get, errors: FieldErrors::new() }
    }

    /// The trimmed text of `key`; `None` when absent or blank.
    pub fn text(&self, key: &str) -> Option<String> {
        (self.get)(key).map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
    }

    /// A positive record id (`label` names it in the message).
    pub fn id(&mut self, key: &str, label: &str) -> Option<i64> {
        crate::validate::positive_id((self.get)(key).as_deref(), label).unwrap_or_else(|m| {
            self.errors.insert(key.into(), m);
            None
        })
    }

    /// A day written `2026-11-27`.
    pub fn date(&mut self, key: &str, label: &str) -> Option<NaiveDate> {
        match self.text(key).map(|v| v.parse::<NaiveDate>()) {
            Some(Ok(d)) => match crate::validate::sane_date(d, label) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.errors.insert(key.into(), m);
                    None
                }
            },
            Some(Err(_)) => {
                self.errors.insert(key.into(), format!("{label} must be a date like 2026-11-27."));
                None
            }
            None => None,
        }
    }

    /// `value`, or every error noted while reading it and those of `checks` (problems
    /// with the values read, by parameter).
    pub fn finish<T>(
        mut self,
        value: T,
        checks: impl FnOnce(&T) -> FieldErrors,
    ) -> Result<T, AppError> {
        self.errors.extend(checks(&value));
        match AppError::from_fields(self.errors) {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}

/// `key=value` pairs as a query string (without `?`), each value percent-encoded.
pub fn to_query(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v, QUERY_VALUE)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn reader(pairs: &[(&str, &str)]) -> QueryReader<impl Fn(&str) -> Option<String>> {
        let map: HashMap<String, String> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        QueryReader::new(move |k: &str| map.get(k).cloned())
    }

    #[test]
    fn reads_values_and_names_each_bad_parameter() {
        let mut r = reader(&[
            ("a", "  x "),
            ("n", "12"),
            ("bad", "-3"),
            ("d", "2026-11-27"),
            ("e", "27/11"),
            ("far", "+262142-12-31"),
        ]);
        assert_eq!(r.text("a").as_deref(), Some("x"));
        assert_eq!(r.text("missing"), None);
        assert_eq!(r.id("n", "N"), Some(12));
        assert_eq!(r.id("bad", "Bad"), None);
        assert_eq!(r.date("d", "D"), NaiveDate::from_ymd_opt(2026, 11, 27));
        assert_eq!(r.date("e", "E"), None);
        assert_eq!(r.date("far", "To"), None);
        let err = r.finish((), |_| FieldErrors::new()).unwrap_err();
        assert!(err.field_message("bad").is_some());
        assert_eq!(err.field_message("e").as_deref(), Some("E must be a date like 2026-11-27."));
        assert!(err.field_message("n").is_none());
        assert_eq!(
            err.field_message("far").as_deref(),
            Some("To must be between 1900-01-01 and 9999-12-31.")
        );
    }

    #[test]
    fn checks_on_the_values_join_the_reading_errors() {
        let r = reader(&[]);
        let mut more = FieldErrors::new();
        more.insert("x".into(), "X is wrong.".into());
        let err = r.finish(1, |_| more).unwrap_err();
        assert_eq!(err.field_message("x").as_deref(), Some("X is wrong."));
        assert_eq!(reader(&[]).finish(7, |_| FieldErrors::new()).unwrap(), 7);
    }

    #[test]
    fn writes_pairs_in_order_encoded() {
        let pairs = [("actor", "a@b.c".to_string()), ("q", "two words".to_string())];
        assert_eq!(to_query(&pairs), "actor=a@b.c&q=two%20words");
        assert_eq!(to_query(&[]), "");
    }
}
