//! The two migration trees describe one schema: both backends, freshly migrated, have
//! the same tables, the same columns (each nullable alike, of a type of the same kind),
//! the same indexes over the same columns (unique alike), and each table the same
//! number of CHECK constraints.
use std::collections::BTreeMap;

use crate::common::TestDb;
use app::store::Db;

/// A column: its type's kind and whether it may be NULL.
type Columns = BTreeMap<String, (&'static str, bool)>;
/// An index: its columns in order, and whether it is unique.
type Indexes = BTreeMap<String, (Vec<String>, bool)>;

#[derive(Debug, Default, PartialEq)]
struct Table {
    columns: Columns,
    indexes: Indexes,
    checks: usize,
}

/// The kind of a declared type: what both backends must agree on.
fn kind(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    match t.as_str() {
        "integer" | "bigint" | "smallint" | "int" | "int4" | "int8" => "integer",
        "boolean" | "bool" => "boolean",
        "real" | "double precision" | "float8" => "real",
        "blob" | "bytea" => "bytes",
        // SQLite keeps dates, times and JSON as text.
        "text" | "date" | "timestamp with time zone" | "jsonb" | "json" => "text",
        _ if t.starts_with("varchar") || t.starts_with("character") => "text",
        _ => "other",
    }
}

/// Tables of the schema both backends share: not the migration runner's, and not the
/// search index's own structures, which are each backend's (an FTS5 trigram table on
/// SQLite, hash partitions of `search_documents` on PostgreSQL).
fn ours(table: &str) -> bool {
    !table.starts_with("_sqlx")
        && !table.starts_with("sqlite_")
        && !table.starts_with("search_trigrams")
        && !table.starts_with("search_documents_p")
}

async fn sqlite_schema(db: &Db) -> BTreeMap<String, Table> {
    let Db::Sqlite(pool) = db else { panic!("a SQLite database") };
    let tables: Vec<(String, String)> =
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(pool)
            .await
            .unwrap();
    let mut out = BTreeMap::new();
    for (name, sql) in tables.into_iter().filter(|(n, _)| ours(n)) {
        let mut table = Table::default();
        let columns: Vec<(i64, String, String, bool, Option<String>, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("PRAGMA table_info({name})")))
                .fetch_all(pool)
                .await
                .unwrap();
        for (_, column, declared, not_null, _, pk) in columns {
            // An INTEGER PRIMARY KEY is the rowid: never NULL.
            table.columns.insert(column, (kind(&declared), !(not_null || pk > 0)));
        }
        let indexes: Vec<(i64, String, bool, String, bool)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!("PRAGMA index_list({name})")))
                .fetch_all(pool)
                .await
                .unwrap();
        for (_, index, unique, _, _) in indexes {
            let cols: Vec<(i64, i64, Option<String>)> =
                sqlx::query_as(sqlx::AssertSqlSafe(format!("PRAGMA index_info(\"{index}\")")))
                    .fetch_all(pool)
                    .await
                    .unwrap();
            let cols: Vec<String> =
                cols.into_iter().map(|(_, _, c)| c.unwrap_or_else(|| EXPR.into())).collect();
            table.indexes.insert(key(&index, &cols), (cols, unique));
        }
        table.checks = sql.matches("CHECK (").count() + sql.matches("CHECK(").count();
        out.insert(name, table);
    }
    out
}

async fn postgres_schema(db: &Db) -> BTreeMap<String, Table> {
    let Db::Postgres(pool) = db else { panic!("a PostgreSQL database") };
    let columns: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text
         FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out: BTreeMap<String, Table> = BTreeMap::new();
    for (table, column, declared, nullable) in columns.into_iter().filter(|c| ours(&c.0)) {
        let t = out.entry(table).or_default();
        t.columns.insert(column, (kind(&declared), nullable == "YES"));
    }
    let indexes: Vec<(String, String, bool, bool, Vec<String>)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisunique, x.indisprimary,
                ARRAY(SELECT COALESCE(a.attname::text, '(expression)') FROM unnest(x.indkey) WITH ORDINALITY k(n, o)
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.n ORDER BY k.o)
         FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace WHERE s.nspname = 'public'",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index, unique, primary, cols) in indexes.into_iter().filter(|i| ours(&i.0)) {
        // SQLite's rowid primary key has no index of its own.
        if primary && cols == ["id"] {
            continue;
        }
        let t = out.entry(table).or_default();
        t.indexes.insert(key(&index, &cols), (cols, unique));
    }
    let checks: Vec<(String, i64)> = sqlx::query_as(
        "SELECT t.relname::text, COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
         JOIN pg_namespace s ON s.oid = t.relnamespace
         WHERE s.nspname = 'public' AND c.contype = 'c' GROUP BY t.relname",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, n) in checks.into_iter().filter(|c| ours(&c.0)) {
        out.entry(table).or_default().checks = n as usize;
    }
    out
}

/// An index column that is an expression.
const EXPR: &str = "(expression)";

/// An index by its name, or (for the ones the backends name themselves: primary and
/// unique constraints) by its columns. PostgreSQL's `…_bytes` index is SQLite's index
/// of the same name in byte order, which its prefix searches (`LIKE 'x%'`) need.
fn key(name: &str, cols: &[String]) -> String {
    if name.starts_with("sqlite_autoindex_") || name.ends_with("_key") || name.ends_with("_pkey") {
        format!("({})", cols.join(", "))
    } else {
        name.to_string()
    }
}

/// An index only PostgreSQL has that it may have: a byte-order index for prefix
/// searches (SQLite's ordinary indexes serve those), or the search index's own.
fn postgres_only(table: &str, name: &str) -> bool {
    name.ends_with("_bytes") || table == "search_documents"
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_backends_have_one_schema() {
    let sqlite = TestDb::sqlite().await;
    let Some(postgres) = TestDb::postgres().await else { return };
    let (a, b) = (sqlite_schema(&sqlite.db).await, postgres_schema(&postgres.db).await);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>(), "tables");
    let mut differ = Vec::new();
    for (name, table) in &a {
        let other = &b[name];
        for (column, sqlite) in &table.columns {
            let pg = other.columns.get(column);
            if pg != Some(sqlite) {
                differ.push(format!("{name}.{column}: SQLite {sqlite:?}, PostgreSQL {pg:?}"));
            }
        }
        for column in other.columns.keys().filter(|c| !table.columns.contains_key(*c)) {
            differ.push(format!("{name}.{column}: only on PostgreSQL"));
        }
        for (index, sqlite) in &table.indexes {
            let pg =
                other.indexes.get(index).or_else(|| other.indexes.get(&format!("{index}_bytes")));
            if pg != Some(sqlite) && name != "search_documents" {
                differ.push(format!("{name} index {index}: SQLite {sqlite:?}, PostgreSQL {pg:?}"));
            }
        }
        for index in other.indexes.keys() {
            let same = table.indexes.contains_key(index)
                || table.indexes.contains_key(index.trim_end_matches("_bytes"));
            if !same && !postgres_only(name, index) {
                differ.push(format!("{name} index {index}: only on PostgreSQL"));
            }
        }
        if table.checks != other.checks {
            differ.push(format!(
                "{name}: {} CHECK constraints on SQLite, {} on PostgreSQL",
                table.checks, other.checks
            ));
        }
    }
    assert!(differ.is_empty(), "the backends' schemas differ:\n{}", differ.join("\n"));
}
