//! Bulk loading: many-row INSERTs inside one transaction on SQLite, COPY on PostgreSQL.
use std::fmt::Write;

use app::store::Tx;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AssertSqlSafe, Postgres, Sqlite};

/// One column value of a generated row.
#[derive(Debug, Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    Bool(bool),
    Date(NaiveDate),
    Time(DateTime<Utc>),
    Null,
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Time(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}

/// Rows for one table, stored flat.
pub struct Rows {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    pub values: Vec<Value>,
}

impl Rows {
    pub fn new(table: &'static str, columns: &'static [&'static str]) -> Rows {
        Rows { table, columns, values: Vec::new() }
    }

    /// Appends one row; `row` must have one value per column.
    pub fn push<const N: usize>(&mut self, row: [Value; N]) {
        debug_assert_eq!(N, self.columns.len(), "row width for {}", self.table);
        self.values.extend(row);
    }

    pub fn len(&self) -> usize {
        self.values.len() / self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Writes `rows` inside `tx`.
pub async fn write(tx: &mut Tx, rows: &Rows) -> Result<(), sqlx::Error> {
    if rows.is_empty() {
        return Ok(());
    }
    match tx {
        Tx::Sqlite(t) => write_sqlite(t, rows).await,
        Tx::Postgres(t) => write_postgres(t, rows).await,
    }
}

/// Gives SQLite's connection a page cache big enough to hold the indexes being built
/// (random-order inserts into unique indexes otherwise thrash a small cache).
pub async fn tune_for_loading(tx: &mut Tx) -> Result<(), sqlx::Error> {
    if let Tx::Sqlite(t) = tx {
        sqlx::query("PRAGMA cache_size = -1048576").execute(&mut **t).await?;
    }
    Ok(())
}

/// SQLite allows 32 766 parameters per statement.
const SQLITE_MAX_PARAMS: usize = 32_000;

async fn write_sqlite(
    tx: &mut sqlx::Transaction<'static, Sqlite>,
    rows: &Rows,
) -> Result<(), sqlx::Error> {
    let width = rows.columns.len();
    let per_statement = (SQLITE_MAX_PARAMS / width).max(1);
    for chunk in rows.values.chunks(per_statement * width) {
        let sql = insert_sql(rows, chunk.len() / width);
        let mut q = sqlx::query::<Sqlite>(AssertSqlSafe(sql));
        for v in chunk {
            q = match v {
                Value::Int(i) => q.bind(*i),
                Value::Text(s) => q.bind(s.as_str()),
                Value::Bool(b) => q.bind(*b),
                Value::Date(d) => q.bind(*d),
                Value::Time(t) => q.bind(*t),
                Value::Null => q.bind(None::<i64>),
            };
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// A many-row INSERT with anonymous `?` parameters: SQLite resolves each in constant
/// time, where `$N` names are looked up in a list and make huge statements quadratic.
fn insert_sql(rows: &Rows, count: usize) -> String {
    let width = rows.columns.len();
    let tuple = format!("({})", vec!["?"; width].join(","));
    let mut sql = format!("INSERT INTO {} ({}) VALUES ", rows.table, rows.columns.join(", "));
    for r in 0..count {
        if r > 0 {
            sql.push(',');
        }
        sql.push_str(&tuple);
    }
    sql
}

async fn write_postgres(
    tx: &mut sqlx::Transaction<'static, Postgres>,
    rows: &Rows,
) -> Result<(), sqlx::Error> {
    let statement = format!("COPY {} ({}) FROM STDIN", rows.table, rows.columns.join(", "));
    let mut copy = tx.copy_in_raw(&statement).await?;
    let mut buf = String::with_capacity(1 << 20);
    for row in rows.values.chunks(rows.columns.len()) {
        for (i, v) in row.iter().enumerate() {
            if i > 0 {
                buf.push('\t');
            }
            copy_text(&mut buf, v);
        }
        buf.push('\n');
        if buf.len() > (1 << 20) {
            copy.send(buf.as_bytes()).await?;
            buf.clear();
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_bytes()).await?;
    }
    copy.finish().await?;
    Ok(())
}

/// One value in COPY's text format.
fn copy_text(buf: &mut String, v: &Value) {
    match v {
        Value::Int(i) => {
            let _ = write!(buf, "{i}");
        }
        Value::Bool(b) => buf.push(if *b { 't' } else { 'f' }),
        Value::Date(d) => {
            let _ = write!(buf, "{}", d.format("%Y-%m-%d"));
        }
        Value::Time(t) => {
            let _ = write!(buf, "{}", t.format("%Y-%m-%dT%H:%M:%S%.6fZ"));
        }
        Value::Null => buf.push_str("\\N"),
        Value::Text(s) => {
            for ch in s.chars() {
                match ch {
                    '\\' => buf.push_str("\\\\"),
                    '\t' => buf.push_str("\\t"),
                    '\n' => buf.push_str("\\n"),
                    '\r' => buf.push_str("\\r"),
                    c => buf.push(c),
                }
            }
        }
    }
}
