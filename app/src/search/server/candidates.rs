//! Candidate records for a query, from two index-backed statements. Each returns at
//! most a bounded number of rows, so a query costs the same whatever its popularity.
//! Candidates are ranked from the text that found them, and only the best are kept.
use std::collections::HashSet;
use std::sync::OnceLock;

use super::rank::{place, RankKey};
use crate::domain::HitKind;
use crate::store::{documents, Tx};
use crate::{on_tx, AppError};

/// Most candidates taken from each lookup.
const PREFIX_CAP: i64 = 25;
const SUBSTRING_CAP: i64 = 100;
/// Shortest query that a trigram index can answer.
pub const MIN_SUBSTRING_CHARS: usize = 3;

/// A record that may match, the field that led to it and the value that matched
/// (lower-cased when a search document held it), ranked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: HitKind,
    pub id: i64,
    pub customer_id: i64,
    pub field: &'static str,
    pub text: String,
    key: RankKey,
}

impl Candidate {
    /// The candidate for `field` = `text` of a record, if `text` holds `q`.
    fn new(
        q: &str,
        (kind, id, customer_id): (HitKind, i64, i64),
        field: &'static str,
        text: &str,
    ) -> Option<Candidate> {
        let (_, key) = place(q, kind, id, field, text)?;
        Some(Candidate { kind, id, customer_id, field, text: text.to_string(), key })
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    id: i64,
    customer_id: i64,
    field: String,
    /// The value that matched.
    text: String,
    /// Whether the field equals the query (else it only starts with it).
    exact: bool,
}

/// The best `limit` candidates for `q` (already normalised: trimmed, lower-cased), one
/// per record, read inside `tx` (one snapshot for the whole search). The
/// substring lookup, the costly one, is skipped when it cannot change the answer: a
/// whole identifier matched (a long identifier's trigrams are costly to intersect and
/// would only add weaker matches below it), or identifier prefixes already fill the
/// page (a substring match ranks below an identifier prefix).
pub async fn gather(tx: &mut Tx, q: &str, limit: usize) -> Result<Vec<Candidate>, AppError> {
    let rows = identifiers(tx, q).await?;
    let found_exact = rows.iter().any(|r| r.exact);
    let mut out: Vec<Candidate> = rows.into_iter().filter_map(|r| from_row(q, r)).collect();
    if !found_exact && out.len() < limit && q.chars().count() >= MIN_SUBSTRING_CHARS {
        out.extend(substring(tx, q).await?);
    }
    out.sort_by_key(|c| c.key);
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert((c.kind, c.id)));
    out.truncate(limit);
    Ok(out)
}

/// Fields an identifier lookup can match.
const FIELDS: [&str; 9] = [
    "id",
    "email",
    "crm_account_id",
    "number",
    "path",
    "key",
    "name",
    "contact_email",
    "namespace_owner",
];

fn from_row(q: &str, r: Row) -> Option<Candidate> {
    let field = FIELDS.into_iter().find(|f| *f == r.field)?;
    Candidate::new(q, (HitKind::parse(&r.kind)?, r.id, r.customer_id), field, &r.text)
}

/// Whole ids, identifiers (emails, CRM ids, account and subscription numbers, paths,
/// keys, contacts' emails, namespace owners' usernames and emails) equal to or starting
/// with the query, and customer names starting with it,
/// through byte-ordered index ranges: one statement. A whole identifier is the first
/// row of its range, so each range also finds the exact match. A one-character query
/// matches whole identifiers only.
async fn identifiers(tx: &mut Tx, q: &str) -> Result<Vec<Row>, AppError> {
    static SQL: [OnceLock<String>; 2] = [OnceLock::new(), OnceLock::new()];
    let upper = q.to_uppercase();
    let id: i64 = q.parse().ok().filter(|n: &i64| *n > 0).unwrap_or(-1);
    let prefixes = q.chars().count() >= 2;
    let cap = if prefixes { PREFIX_CAP } else { 1 };
    let end = |s: &str| format!("{s}\u{10FFFF}");
    let postgres = matches!(tx, Tx::Postgres(_));
    let sql = SQL[postgres as usize].get_or_init(|| identifiers_sql(postgres));
    let rows: Vec<Row> = on_tx!(tx, |c| {
        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(id)
            .bind(q)
            .bind(end(q))
            .bind(upper.as_str())
            .bind(end(&upper))
            .bind(cap)
            .fetch_all(c)
            .await
    })?;
    Ok(rows.into_iter().filter(|r| prefixes || r.exact).collect())
}

/// The statement behind [`identifiers`]: `$1` id, `$2`/`$3` lower-case range, `$4`/`$5`
/// upper-case range, `$6` rows per range.
fn identifiers_sql(postgres: bool) -> String {
    // Byte order: SQLite's default; PostgreSQL needs the "C" collation (and its indexes).
    let c = if postgres { " COLLATE \"C\"" } else { "" };
    // `exact`: whether a row equal to the query is a whole identifier (a name is not).
    // `[kind, id, customer]`: the record found, as columns of `table`.
    let range = |[kind, id, customer]: [&str; 3],
                 field: &str,
                 table: &str,
                 column: &str,
                 [lo, hi]: [&str; 2]| {
        let exact = if field == "name" { "FALSE".to_string() } else { format!("{column} = {lo}") };
        let alias = format!("{table}_{}", column.replace(['(', ')'], ""));
        format!(
            "SELECT * FROM (SELECT '{kind}' AS kind, {id} AS id, {customer} AS customer_id, '{field}' AS field, \
             {column} AS text, {exact} AS exact \
             FROM {table} WHERE {column}{c} >= {lo} AND {column}{c} < {hi} ORDER BY {column}{c} LIMIT $6) AS {alias}"
        )
    };
    let customer = ["customer", "id", "id"];
    let lower = ["$2", "$3"];
    let upper = ["$4", "$5"];
    let owned = |kind| [kind, "id", "customer_id"];
    [
        "SELECT 'customer' AS kind, id, id AS customer_id, 'id' AS field, CAST(id AS TEXT) AS text, TRUE AS exact FROM customers WHERE id = $1".to_string(),
        "SELECT 'namespace', id, customer_id, 'id', CAST(id AS TEXT), TRUE FROM namespaces WHERE id = $1".to_string(),
        range(customer, "email", "customers", "email", lower),
        range(customer, "crm_account_id", "customers", "crm_account_id", upper),
        range(owned("billing_account"), "number", "billing_accounts", "number", upper),
        range(owned("subscription"), "number", "subscriptions", "number", upper),
        range(owned("namespace"), "path", "namespaces", "path", lower),
        range(owned("license"), "key", "licenses", "key", upper),
        range(customer, "name", "customers", "lower(name)", lower),
        range(["customer", "customer_id", "customer_id"], "contact_email", "contacts", "email", lower),
        range(["namespace", "namespace_id", "customer_id"], "namespace_owner", "namespace_owners", "username", lower),
        range(["namespace", "namespace_id", "customer_id"], "namespace_owner", "namespace_owners", "email", lower),
    ]
    .join(" UNION ALL ")
}

#[derive(sqlx::FromRow)]
struct DocRow {
    kind: String,
    ref_id: i64,
    customer_id: i64,
    text: String,
}

/// Documents containing the query anywhere, through the trigram index; each by its
/// best-ranked field.
async fn substring(tx: &mut Tx, q: &str) -> Result<Vec<Candidate>, AppError> {
    let rows: Vec<DocRow> = match tx {
        Tx::Sqlite(c) => {
            // A quoted FTS5 phrase over trigrams is an exact substring test.
            let phrase = format!("\"{}\"", q.replace('"', "\"\""));
            sqlx::query_as(
                "SELECT d.kind, d.ref_id, d.customer_id, d.text FROM search_trigrams t
                 JOIN search_documents d ON d.doc_id = t.rowid
                 WHERE search_trigrams MATCH $1 LIMIT $2",
            )
            .bind(phrase)
            .bind(SUBSTRING_CAP)
            .fetch_all(&mut **c)
            .await?
        }
        Tx::Postgres(c) => {
            // The documents are split in partitions, read in turn until enough match,
            // each through its trigram index: a sequential scan would read a whole
            // partition to find a rare substring. The plan is the same whatever the
            // pattern, and planning it anew would cost more than running it.
            sqlx::query(
                "SELECT set_config('enable_seqscan', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)",
            )
            .execute(&mut **c)
            .await?;
            let pattern = crate::store::dialect::contains(q);
            sqlx::query_as(
                "SELECT kind, ref_id, customer_id, text FROM search_documents WHERE text LIKE $1 LIMIT $2",
            )
            .bind(pattern)
            .bind(SUBSTRING_CAP)
            .fetch_all(&mut **c)
            .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let record = (HitKind::parse(&r.kind)?, r.ref_id, r.customer_id);
            documents::fields(record.0, &r.text)
                .filter_map(|(field, text)| Candidate::new(q, record, field, text))
                .min_by_key(|c| c.key)
        })
        .collect())
}
