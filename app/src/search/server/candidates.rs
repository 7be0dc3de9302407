//! Candidate records for a query, from three index-backed lookups. Each returns at most
//! a bounded number of rows, so a query costs the same whatever its popularity.
use crate::search::HitKind;
use crate::store::Db;
use crate::{on_db, AppError};

/// Most candidates taken from each lookup.
const PREFIX_CAP: i64 = 25;
const SUBSTRING_CAP: i64 = 200;
/// Shortest query that a trigram index can answer.
pub const MIN_SUBSTRING_CHARS: usize = 3;

/// A record that may match, and the field that led to it (`None`: decide from the
/// record's fields).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Candidate {
    pub kind: HitKind,
    pub id: i64,
    pub customer_id: i64,
    pub field: Option<&'static str>,
}

#[derive(sqlx::FromRow)]
struct Row {
    kind: String,
    id: i64,
    customer_id: i64,
    field: String,
}

/// All candidates for `q` (already normalised: trimmed, lower-cased) when `limit`
/// results are wanted. The substring lookup, the costly one, is skipped when it cannot
/// change the answer: a whole identifier matched (a long identifier's trigrams are
/// costly to intersect and would only add weaker matches below it), or identifier
/// prefixes already fill the page (a substring match ranks below an identifier prefix).
pub async fn gather(db: &Db, q: &str, limit: usize) -> Result<Vec<Candidate>, AppError> {
    let upper = q.to_uppercase();
    let mut rows = exact(db, q, &upper).await?;
    let found_exact = !rows.is_empty();
    if q.chars().count() >= 2 {
        rows.extend(prefix(db, q, &upper).await?);
    }
    let mut out: Vec<Candidate> = rows.into_iter().filter_map(into_candidate).collect();
    if !found_exact && out.len() < limit && q.chars().count() >= MIN_SUBSTRING_CHARS {
        out.extend(substring(db, q).await?);
    }
    Ok(out)
}

fn into_candidate(r: Row) -> Option<Candidate> {
    let field = ["id", "email", "crm_account_id", "number", "path", "key"].into_iter().find(|f| *f == r.field)?;
    Some(Candidate { kind: HitKind::parse(&r.kind)?, id: r.id, customer_id: r.customer_id, field: Some(field) })
}

/// Whole identifiers: ids, emails, CRM ids, account and subscription numbers, paths, keys.
async fn exact(db: &Db, q: &str, upper: &str) -> Result<Vec<Row>, AppError> {
    let id: i64 = q.parse().ok().filter(|n: &i64| *n > 0).unwrap_or(-1);
    const SQL: &str = "
        SELECT 'customer' AS kind, id, id AS customer_id, 'id' AS field FROM customers WHERE id = $1
        UNION ALL SELECT 'customer', id, id, 'email' FROM customers WHERE email = $2
        UNION ALL SELECT 'customer', id, id, 'crm_account_id' FROM customers WHERE crm_account_id = $3
        UNION ALL SELECT 'billing_account', id, customer_id, 'number' FROM billing_accounts WHERE number = $3
        UNION ALL SELECT 'subscription', id, customer_id, 'number' FROM subscriptions WHERE number = $3
        UNION ALL SELECT 'namespace', id, customer_id, 'id' FROM namespaces WHERE id = $1
        UNION ALL SELECT 'namespace', id, customer_id, 'path' FROM namespaces WHERE path = $2
        UNION ALL SELECT 'license', id, customer_id, 'key' FROM licenses WHERE key = $3";
    let rows = on_db!(db, |p| sqlx::query_as(SQL).bind(id).bind(q).bind(upper).fetch_all(p).await)?;
    Ok(rows)
}

/// Identifiers that start with the query, through byte-ordered index ranges.
async fn prefix(db: &Db, q: &str, upper: &str) -> Result<Vec<Row>, AppError> {
    // Byte order: SQLite's default; PostgreSQL needs the "C" collation (and its indexes).
    let c = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => " COLLATE \"C\"",
    };
    let branch = |kind: &str, customer: &str, field: &str, table: &str, column: &str, lo: &str, hi: &str| {
        format!(
            "SELECT * FROM (SELECT '{kind}' AS kind, id, {customer} AS customer_id, '{field}' AS field FROM {table} \
             WHERE {column}{c} >= {lo} AND {column}{c} < {hi} ORDER BY {column}{c} LIMIT {PREFIX_CAP}) AS {table}_{field}"
        )
    };
    let sql = [
        branch("customer", "id", "email", "customers", "email", "$1", "$2"),
        branch("customer", "id", "crm_account_id", "customers", "crm_account_id", "$3", "$4"),
        branch("billing_account", "customer_id", "number", "billing_accounts", "number", "$3", "$4"),
        branch("subscription", "customer_id", "number", "subscriptions", "number", "$3", "$4"),
        branch("namespace", "customer_id", "path", "namespaces", "path", "$1", "$2"),
        branch("license", "customer_id", "key", "licenses", "key", "$3", "$4"),
    ]
    .join(" UNION ALL ");
    let end = |s: &str| format!("{s}\u{10FFFF}");
    let rows = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(q)
        .bind(end(q))
        .bind(upper)
        .bind(end(upper))
        .fetch_all(p)
        .await)?;
    Ok(rows)
}

#[derive(sqlx::FromRow)]
struct DocRow {
    kind: String,
    ref_id: i64,
    customer_id: i64,
}

/// Documents containing the query anywhere, through the trigram index.
async fn substring(db: &Db, q: &str) -> Result<Vec<Candidate>, AppError> {
    let rows: Vec<DocRow> = match db {
        Db::Sqlite(p) => {
            // A quoted FTS5 phrase over trigrams is an exact substring test.
            let phrase = format!("\"{}\"", q.replace('"', "\"\""));
            sqlx::query_as(
                "SELECT d.kind, d.ref_id, d.customer_id FROM search_trigrams t
                 JOIN search_documents d ON d.doc_id = t.rowid
                 WHERE search_trigrams MATCH $1 LIMIT $2",
            )
            .bind(phrase)
            .bind(SUBSTRING_CAP)
            .fetch_all(p)
            .await?
        }
        Db::Postgres(p) => {
            let pattern = format!("%{}%", escape_like(q));
            sqlx::query_as("SELECT kind, ref_id, customer_id FROM search_documents WHERE text LIKE $1 LIMIT $2")
                .bind(pattern)
                .bind(SUBSTRING_CAP)
                .fetch_all(p)
                .await?
        }
    };
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(Candidate { kind: HitKind::parse(&r.kind)?, id: r.ref_id, customer_id: r.customer_id, field: None }))
        .collect())
}

/// Escapes LIKE's wildcards (PostgreSQL's default escape character is `\`).
fn escape_like(q: &str) -> String {
    let mut out = String::with_capacity(q.len());
    for ch in q.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
