//! Search over every customer identifier: names, emails, companies, ids, account and
//! subscription numbers, namespace paths and names, license keys, CRM ids.

mod box_input;
mod palette;
mod results;
#[cfg(feature = "ssr")]
pub mod server;

pub use box_input::{debounced, navigate_results, SearchPage};
pub use palette::{open_palette, CommandPalette, PaletteOpen};
pub use results::{hit_href, ResultsList};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::client::CsrfClient;
use crate::domain::HitKind;
use crate::AppError;

/// One record that matches the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "subscription"))]
    pub kind: HitKind,
    /// Id of the matched record (of its kind).
    pub id: i64,
    pub customer_id: i64,
    /// Main line: the record's identifier or name.
    pub title: String,
    /// Second line: whose it is and what it is.
    pub subtitle: String,
    /// Which field matched: `name`, `email`, `company`, `id`, `crm_account_id`, `number`,
    /// `path`, `key`, `contact_email` (a contact's; the hit is the customer) or
    /// `namespace_owner` (an owner's username or email; the hit is the namespace).
    pub matched_field: String,
    /// The matched field's value.
    pub matched_text: String,
    /// Where the query sits in `matched_text`, in characters.
    pub match_start: u32,
    pub match_len: u32,
    /// Whether the whole field equals the query.
    pub exact: bool,
    /// Status flags worth seeing at a glance: `expired`, `cancelled`, `trial`, `overdue`,
    /// `note` (the customer has a pinned note).
    pub badges: Vec<String>,
}

/// Longest query considered; longer input is cut, never refused.
pub const MAX_QUERY_CHARS: usize = 100;
/// Results returned when the caller does not say.
pub const DEFAULT_LIMIT: u32 = 20;
/// Most results one query returns.
pub const MAX_LIMIT: u32 = 50;

/// Cleans a raw query: drops control characters (NUL included), collapses white space,
/// cuts it to [`MAX_QUERY_CHARS`] and lower-cases it. `None` when nothing is left.
pub fn normalize_query(raw: &str) -> Option<String> {
    let mut out = String::new();
    for word in raw.split(|c: char| c.is_whitespace() || c.is_control()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    let cut: String =
        out.chars().take(MAX_QUERY_CHARS).collect::<String>().trim_end().to_lowercase();
    (!cut.is_empty()).then_some(cut)
}

/// Splits `text` into (before, matched, after) for highlighting, by character offsets.
pub fn split_match(text: &str, start: u32, len: u32) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let s = (start as usize).min(chars.len());
    let e = (s + len as usize).min(chars.len());
    (chars[..s].iter().collect(), chars[s..e].iter().collect(), chars[e..].iter().collect())
}

/// Searches every identifier; best matches first.
#[server(client = CsrfClient, endpoint = "search")]
pub async fn search(q: String, limit: Option<u32>) -> Result<Vec<SearchHit>, AppError> {
    server::search_for_caller(&q, limit).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_cleaned_not_refused() {
        assert_eq!(normalize_query("  Ada \t Lovelace\n"), Some("ada lovelace".into()));
        assert_eq!(normalize_query("a\u{0}b"), Some("a b".into()));
        assert_eq!(normalize_query(" \u{0} \n"), None);
        assert_eq!(normalize_query(""), None);
        assert_eq!(normalize_query(&"x".repeat(10_000)).unwrap().chars().count(), MAX_QUERY_CHARS);
        assert_eq!(normalize_query("ÉLOÏSE"), Some("éloïse".into()));
        assert_eq!(normalize_query("שלום"), Some("שלום".into()));
        assert_eq!(normalize_query("%_*\\'\""), Some("%_*\\'\"".into()));
    }

    #[test]
    fn matches_split_by_characters() {
        assert_eq!(split_match("björn@x.io", 2, 3), ("bj".into(), "örn".into(), "@x.io".into()));
        assert_eq!(split_match("abc", 5, 3), ("abc".into(), "".into(), "".into()));
    }
}
