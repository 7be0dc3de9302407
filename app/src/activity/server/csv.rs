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
        let mut text = Vec::with_capacity(page.events.len() * 256);
        let mut writer = csv::Writer::from_writer(&mut text);
        for event in &page.events {
            let _ = writer.write_record(fields(event));
        }
        drop(writer);
        if !text.is_empty() && out.send(Ok(Bytes::from(text))).await.is_err() {
            return;
        }
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return,
        }
    }
}

/// One event's fields, in the header's order.
fn fields(e: &ActivityEvent) -> [String; 14] {
    let changes = serde_json::to_string(&e.body.changes).unwrap_or_default();
    [
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
    ]
    .map(defused)
}

/// A field a spreadsheet would run as a formula (a leading `=`, `+`, `-` or `@`, and not
/// a number) gets a leading `'`, so it is shown as text.
fn defused(field: String) -> String {
    let formula = field.starts_with(['=', '+', '-', '@']) && field.parse::<f64>().is_err();
    if formula {
        format!("'{field}")
    } else {
        field
    }
}

/// Reads a whole export back into its rows (for tests and tools).
pub fn parse(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(String::from).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_what_needs_quoting_and_parses_back() {
        let fields = ["plain", "a,b", "say \"hi\"", "two\nlines", "=SUM(A1)", "-5", ""];
        let mut text = Vec::new();
        let mut writer = csv::Writer::from_writer(&mut text);
        writer.write_record(fields.map(|f| defused(f.to_string()))).unwrap();
        drop(writer);
        let text = String::from_utf8(text).unwrap();
        assert_eq!(text, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",'=SUM(A1),-5,\n");
        assert_eq!(
            parse(&text)[0],
            ["plain", "a,b", "say \"hi\"", "two\nlines", "'=SUM(A1)", "-5", ""]
        );
    }
}
