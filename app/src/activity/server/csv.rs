//! The CSV export: exactly the filtered timeline, newest first, written page by page
//! as it is read, so a million rows never sit in memory at once.
use bytes::Bytes;
use tokio::sync::mpsc::Sender;

use crate::audit::{query, ActivityEvent, ActivityFilter};
use crate::store::Db;

/// Rows read per page while exporting.
const CHUNK: i64 = 1_000;

/// The header line.
pub const HEADER: &str = "id,occurred_at,actor,action,target_type,target_id,customer_id,reason,ticket_url,approval_id,source,changes,requester,requester_verdict\n";

/// Streams the export of `filter` into `out`; stops early when the reader goes away.
pub async fn export(db: Db, filter: ActivityFilter, out: Sender<Result<Bytes, std::io::Error>>) {
    if out.send(Ok(Bytes::from_static(HEADER.as_bytes()))).await.is_err() {
        return;
    }
    let mut cursor: Option<String> = None;
    loop {
        let page = match query::bare_page(&db, &filter, cursor.as_deref(), Some(CHUNK)).await {
            Ok(page) => page,
            Err(e) => {
                tracing::error!(error = %e, "activity export stopped");
                let _ = out.send(Err(std::io::Error::other("export failed"))).await;
                return;
            }
        };
        let mut text = String::with_capacity(page.events.len() * 256);
        for event in &page.events {
            line(event, &mut text);
        }
        if !text.is_empty() && out.send(Ok(Bytes::from(text))).await.is_err() {
            return;
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return,
        }
    }
}

/// Appends one event as a CSV line.
pub fn line(e: &ActivityEvent, out: &mut String) {
    let changes = serde_json::to_string(&e.body.changes).unwrap_or_default();
    let fields = [
        e.id.to_string(),
        e.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        e.body.actor_email.clone(),
        e.body.action.to_string(),
        e.body.target_type.to_string(),
        e.body.target_id.to_string(),
        e.body.customer_id.map(|v| v.to_string()).unwrap_or_default(),
        e.body.reason.clone(),
        e.body.ticket_url.clone().unwrap_or_default(),
        e.body.approval_id.map(|v| v.to_string()).unwrap_or_default(),
        e.body.source.as_str().to_string(),
        changes,
        e.body.requester.clone().unwrap_or_default(),
        e.body.requester_verdict.map(|v| v.as_str().to_string()).unwrap_or_default(),
    ];
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        quote(field, out);
    }
    out.push('\n');
}

/// Writes `field`, quoted when it holds a separator, quote or line break. A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it as a formula.
fn quote(field: &str, out: &mut String) {
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    let needs = formula || field.contains([',', '"', '\n', '\r']);
    if !needs {
        out.push_str(field);
        return;
    }
    out.push('"');
    if formula {
        out.push('\'');
    }
    out.push_str(&field.replace('"', "\"\""));
    out.push('"');
}

/// Reads a whole export back into its rows (for tests and tools).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting_and_parses_back() {
        let mut out = String::new();
        for f in ["plain", "a,b", "say \"hi\"", "two\nlines", "=SUM(A1)", "-5"] {
            quote(f, &mut out);
            out.push(',');
        }
        out.push('\n');
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"'=SUM(A1)\",-5,\n");
        assert_eq!(
            parse(&out)[0],
            ["plain", "a,b", "say \"hi\"", "two\nlines", "'=SUM(A1)", "-5", ""]
        );
    }
}
