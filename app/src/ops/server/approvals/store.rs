//! Reading approval requests with the people and customer they name.
use chrono::{DateTime, Utc};

use crate::auth::CurrentUser;
use crate::domain::{Action, Approval, ApprovalStatus, Role, TargetType, Verdict};
use crate::store::{Db, Tx};
use crate::{on_db, on_tx, AppError};

/// Most requests one listing returns.
const LIST_LIMIT: i64 = 200;

const SELECT: &str = "SELECT a.id, a.action, a.target_type, a.target_id, a.customer_id, c.name AS customer_name, a.reason,
        a.ticket_url, a.requested_by, r.email AS requested_by_email, a.requested_at, a.status, d.email AS decided_by_email,
        a.decided_at, a.note, a.expires_at, a.preview, a.requester, a.requester_verdict
    FROM approval_requests a
    JOIN staff_users r ON r.id = a.requested_by
    LEFT JOIN staff_users d ON d.id = a.decided_by
    LEFT JOIN customers c ON c.id = a.customer_id";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    action: Action,
    target_type: TargetType,
    target_id: i64,
    customer_id: Option<i64>,
    customer_name: Option<String>,
    reason: String,
    ticket_url: Option<String>,
    requested_by: i64,
    requested_by_email: String,
    requested_at: DateTime<Utc>,
    status: ApprovalStatus,
    decided_by_email: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    note: Option<String>,
    expires_at: DateTime<Utc>,
    preview: String,
    requester: Option<String>,
    requester_verdict: Option<Verdict>,
}

impl Row {
    fn into_approval(self) -> Result<Approval, AppError> {
        Ok(Approval {
            id: self.id,
            action: self.action,
            target_type: self.target_type,
            target_id: self.target_id,
            customer_id: self.customer_id,
            customer_name: self.customer_name,
            reason: self.reason,
            ticket_url: self.ticket_url,
            requested_by: self.requested_by,
            requested_by_email: self.requested_by_email,
            requested_at: self.requested_at,
            status: self.status,
            decided_by_email: self.decided_by_email,
            decided_at: self.decided_at,
            note: self.note,
            expires_at: self.expires_at,
            preview: serde_json::from_str(&self.preview).map_err(AppError::internal)?,
            requester: self.requester,
            requester_verdict: self.requester_verdict,
        })
    }
}

/// Requests with `status` (or all), newest first.
pub async fn list(db: &Db, status: Option<ApprovalStatus>) -> Result<Vec<Approval>, AppError> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR a.status = $1) ORDER BY a.id DESC LIMIT $2");
    let rows: Vec<Row> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(status.map(|s| s.as_str()))
        .bind(LIST_LIMIT)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(Row::into_approval).collect()
}

/// Requests filed under the ticket `url`, oldest first.
pub async fn for_ticket(db: &Db, url: &str) -> Result<Vec<Approval>, AppError> {
    let sql = format!("{SELECT} WHERE a.ticket_url = $1 ORDER BY a.id LIMIT $2");
    let rows: Vec<Row> = on_db!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(url)
        .bind(LIST_LIMIT)
        .fetch_all(p)
        .await)?;
    rows.into_iter().map(Row::into_approval).collect()
}

/// The request inside a transaction, if it exists.
pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<Approval>, AppError> {
    let sql = format!("{SELECT} WHERE a.id = $1");
    let row: Option<Row> =
        on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?;
    row.map(Row::into_approval).transpose()
}

/// The frozen operation of a request.
pub async fn payload_in(tx: &mut Tx, id: i64) -> Result<String, AppError> {
    Ok(on_tx!(tx, |c| sqlx::query_scalar("SELECT payload FROM approval_requests WHERE id = $1")
        .bind(id)
        .fetch_one(c)
        .await)?)
}

/// The staff member who asked, as the operation's actor once approved, and whether
/// their account is still active.
pub async fn requester_in(tx: &mut Tx, id: i64) -> Result<(CurrentUser, bool), AppError> {
    let row: (i64, String, String, String, bool) = on_tx!(tx, |c| sqlx::query_as(
        "SELECT id, email, name, role, active FROM staff_users WHERE id = $1"
    )
    .bind(id)
    .fetch_one(c)
    .await)?;
    let role = Role::parse(&row.3)
        .ok_or_else(|| AppError::internal(format!("staff user {id} has an unknown role")))?;
    Ok((CurrentUser { id: row.0, email: row.1, name: row.2, role, single_sign_on: false }, row.4))
}
