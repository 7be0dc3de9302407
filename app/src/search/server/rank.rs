//! Ranking, in Rust so both backends order alike: whole-field matches first, then
//! prefixes, then matches at a word start, then anywhere; identifiers before names
//! before companies; shorter fields first; then kind and id for a stable order.
//! Candidates are ranked once from the text that found them, so only the best few are
//! described, and the described hits again from the values they show.
use super::describe::Described;
use crate::domain::HitKind;
use crate::search::SearchHit;

fn field_rank(field: &str) -> u8 {
    match field {
        "id" | "number" | "email" | "path" | "key" | "crm_account_id" | "contact_email"
        | "namespace_owner" => 0,
        "name" => 1,
        _ => 2,
    }
}

/// What orders the hits, smallest first.
pub type RankKey = (u8, u8, usize, u8, i64);

/// Where `q` (lower-cased) first occurs in `text`: its start in characters, and the
/// key that ranks the match. `None` when `text` does not hold `q`.
pub fn place(q: &str, kind: HitKind, id: i64, field: &str, text: &str) -> Option<(usize, RankKey)> {
    let lower: Vec<char> = text.to_lowercase().chars().collect();
    let needle: Vec<char> = q.chars().collect();
    let start = (0..=lower.len().checked_sub(needle.len())?)
        .find(|i| lower[*i..*i + needle.len()] == needle[..])?;
    let word_start = start == 0 || !lower[start - 1].is_alphanumeric();
    let tier = if lower.len() == needle.len() {
        0
    } else if start == 0 {
        1
    } else if word_start {
        2
    } else {
        3
    };
    Some((start, (tier, field_rank(field), lower.len(), kind as u8, id)))
}

/// Ranks described candidates for `q` and keeps the best `limit`.
pub fn rank(q: &str, described: Vec<Described>, limit: usize) -> Vec<SearchHit> {
    let q_chars = q.chars().count() as u32;
    let mut scored: Vec<(RankKey, SearchHit)> = described
        .into_iter()
        .filter_map(|d| {
            let (start, key) = place(q, d.kind, d.id, d.field, &d.text)?;
            let hit = SearchHit {
                kind: d.kind,
                id: d.id,
                customer_id: d.customer_id,
                title: d.title,
                subtitle: d.subtitle,
                matched_field: d.field.to_string(),
                matched_text: d.text,
                match_start: start as u32,
                match_len: q_chars,
                exact: key.0 == 0,
                badges: d.badges,
            };
            Some((key, hit))
        })
        .collect();
    scored.sort_by_key(|(key, _)| *key);
    scored.into_iter().take(limit).map(|(_, hit)| hit).collect()
}
