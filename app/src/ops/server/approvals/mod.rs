//! The approvals engine: filing, listing, expiring, deciding.
mod store;

pub use store::{for_ticket, list};

use chrono::{Duration, NaiveDate};

use crate::audit::{record, EventBody, FieldChanges};
use crate::auth::server::caller;
use crate::auth::CurrentUser;
use crate::domain::ops_policy::{self, Justification, APPROVAL_TTL_HOURS};
use crate::domain::{
    Action, Approval, ApprovalStatus, EventSource, OpRequest, Operation, Permission, Preview, Role,
};
use crate::ops::server::{admit, apply, plan_asked, Actor};
use crate::state::LicenseKey;
use crate::store::{now, Db, Tx};
use crate::{on_db, on_tx, state, AppError};

/// Files `request` for approval inside the caller's transaction; the request's id.
pub async fn file(
    tx: &mut Tx,
    actor: &Actor,
    request: &OpRequest,
    why: &Justification,
    preview: &Preview,
) -> Result<i64, AppError> {
    let at = now();
    let payload = serde_json::to_string(request).map_err(AppError::internal)?;
    let frozen = serde_json::to_string(preview).map_err(AppError::internal)?;
    let id: i64 = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "INSERT INTO approval_requests (action, payload, preview, target_type, target_id, customer_id, reason, ticket_url,
            requested_by, requested_at, status, expires_at, requester, requester_verdict)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11, $12, $13) RETURNING id"
    )
    .bind(preview.action)
    .bind(&payload)
    .bind(&frozen)
    .bind(preview.target_type)
    .bind(preview.target_id)
    .bind(preview.customer_id)
    .bind(&why.reason)
    .bind(&why.ticket_url)
    .bind(actor.user.id)
    .bind(at)
    .bind(at + Duration::hours(APPROVAL_TTL_HOURS))
    .bind(&why.requester)
    .bind(why.verdict.map(|v| v.as_str()))
    .fetch_one(c)
    .await
    })?;
    let status =
        FieldChanges::from([("status".into(), [serde_json::Value::Null, "pending".into()])]);
    let mut filed = step(actor, Action::RequestApproval, preview, id, why.reason.clone(), status);
    filed.ticket_url = why.ticket_url.clone();
    filed.requester = why.requester.clone();
    filed.requester_verdict = why.verdict;
    record(tx, filed).await?;
    Ok(id)
}

fn step(
    actor: &Actor,
    action: Action,
    preview: &Preview,
    approval_id: i64,
    reason: String,
    changes: FieldChanges,
) -> EventBody {
    EventBody {
        actor_id: actor.staff_id(),
        actor_email: actor.user.email.clone(),
        action,
        target_type: preview.target_type,
        target_id: preview.target_id,
        customer_id: Some(preview.customer_id),
        reason,
        ticket_url: None,
        changes,
        source: actor.source,
        approval_id: Some(approval_id),
        requester: None,
        requester_verdict: None,
    }
}

fn status_change(from: ApprovalStatus, to: ApprovalStatus) -> FieldChanges {
    FieldChanges::from([("status".into(), [from.as_str().into(), to.as_str().into()])])
}

/// The system, as the actor of scheduled steps.
fn system() -> Actor {
    Actor {
        user: CurrentUser {
            id: 0,
            email: "system".into(),
            name: "System".into(),
            role: Role::Admin,
            single_sign_on: false,
        },
        source: EventSource::Scheduled,
    }
}

/// Marks pending request `a` expired, with its `approval.expire` event.
async fn expire(tx: &mut Tx, a: &Approval) -> Result<(), AppError> {
    set_status(tx, a.id, ApprovalStatus::Expired, None, None).await?;
    let reason = format!("Not decided within {APPROVAL_TTL_HOURS} hours.");
    let changes = status_change(ApprovalStatus::Pending, ApprovalStatus::Expired);
    record(tx, step(&system(), Action::ExpireApproval, &a.preview, a.id, reason, changes)).await?;
    Ok(())
}

/// Marks every pending request past its expiry as expired, each with its event.
pub async fn expire_due(db: &Db) -> Result<u64, AppError> {
    let due: Vec<i64> = on_db!(db, |p| {
        sqlx::query_scalar(
        "SELECT id FROM approval_requests WHERE status = 'pending' AND expires_at < $1 ORDER BY id"
    )
    .bind(now())
    .fetch_all(p)
    .await
    })?;
    let mut expired = 0;
    for id in due {
        let mut tx = db.begin().await?;
        let Some(a) = store::get_in(&mut tx, id).await? else { continue };
        if a.status == ApprovalStatus::Pending && a.expires_at < now() {
            expire(&mut tx, &a).await?;
            expired += 1;
        }
        tx.commit().await?;
    }
    Ok(expired)
}

/// Moves a pending request to `status`; a conflict when it is no longer pending.
async fn set_status(
    tx: &mut Tx,
    id: i64,
    status: ApprovalStatus,
    decided_by: Option<i64>,
    note: Option<&str>,
) -> Result<(), AppError> {
    let decided_at = decided_by.map(|_| now());
    let n = on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE approval_requests SET status = $1, decided_by = $2, decided_at = $3, note = $4 WHERE id = $5 AND status = 'pending'"
    )
    .bind(status.as_str())
    .bind(decided_by)
    .bind(decided_at)
    .bind(note)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if n == 1 {
        Ok(())
    } else {
        Err(AppError::Conflict(format!("Request {id} was decided meanwhile.")))
    }
}

/// Approves (running the operation once, re-validated against the current records)
/// or rejects request `id`. Nobody decides their own request.
pub async fn decide(
    db: &Db,
    key: &LicenseKey,
    actor: &Actor,
    id: i64,
    approve: bool,
    note: &str,
    today: NaiveDate,
) -> Result<Approval, AppError> {
    caller::check(&actor.user, Permission::Approve, "decide approval requests")?;
    let note = ops_policy::decision_note(note, !approve).map_err(|m| AppError::field("note", m))?;
    let mut tx = db.begin().await?;
    let a = store::get_in(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Approval request {id}")))?;
    if a.requested_by == actor.user.id {
        return Err(AppError::Forbidden(
            "You cannot decide your own request; another lead or admin must.".into(),
        ));
    }
    if a.status != ApprovalStatus::Pending {
        return Err(AppError::Conflict(format!("Request {id} is already {}.", a.status)));
    }
    if a.expires_at < now() {
        expire(&mut tx, &a).await?;
        tx.commit().await?;
        return Err(AppError::Conflict(format!(
            "Request {id} expired at {}; ask for a new one.",
            a.expires_at.format("%Y-%m-%d %H:%M UTC")
        )));
    }
    let decided = if approve { ApprovalStatus::Executed } else { ApprovalStatus::Rejected };
    if approve {
        let request: OpRequest = serde_json::from_str(&store::payload_in(&mut tx, id).await?)
            .map_err(AppError::internal)?;
        let (requester, active) = store::requester_in(&mut tx, a.requested_by).await?;
        still_allowed(&requester, active, &request.op)?;
        let moved = |detail: String| {
            AppError::Conflict(format!("The records changed since this request was made ({detail}). Nothing was changed; reject it or ask for a new one."))
        };
        let asked_on = a.requested_at.date_naive();
        let mut planned = match plan_asked(&mut tx, &requester, &request.op, today, asked_on).await
        {
            Ok(p) => p,
            Err(AppError::Internal(r)) => return Err(AppError::Internal(r)),
            Err(e) => return Err(moved(e.to_string())),
        };
        Actor { user: requester.clone(), source: actor.source }
            .may_plan(&mut tx, &request, &mut planned)
            .await?;
        if planned.preview.changes != a.preview.changes {
            return Err(moved("the changes it would make are no longer the ones approved".into()));
        }
        set_status(&mut tx, id, decided, Some(actor.user.id), Some(&note)).await?;
        record(
            &mut tx,
            step(
                actor,
                Action::Approve,
                &a.preview,
                id,
                note.clone(),
                status_change(ApprovalStatus::Pending, decided),
            ),
        )
        .await?;
        let why = Justification {
            reason: a.reason.clone(),
            ticket_url: a.ticket_url.clone(),
            requester: a.requester.clone(),
            verdict: a.requester_verdict,
        };
        apply(
            &mut tx,
            key,
            &Actor { user: requester, source: actor.source },
            &why,
            &planned,
            Some(id),
            today,
        )
        .await?;
    } else {
        set_status(&mut tx, id, decided, Some(actor.user.id), Some(&note)).await?;
        record(
            &mut tx,
            step(
                actor,
                Action::Reject,
                &a.preview,
                id,
                note.clone(),
                status_change(ApprovalStatus::Pending, decided),
            ),
        )
        .await?;
    }
    let after = store::get_in(&mut tx, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("Approval request {id}")))?;
    tx.commit().await?;
    Ok(after)
}

/// An approved request runs as its requester: only while their account is active and
/// their role may still ask for exactly this change (a role changed since filing, or a
/// leaver, leaves it to be rejected).
fn still_allowed(requester: &CurrentUser, active: bool, op: &Operation) -> Result<(), AppError> {
    let stale = |why: String| {
        AppError::Conflict(format!(
            "{why} Nothing was changed; reject the request or ask for a new one."
        ))
    };
    if !active {
        return Err(stale(format!("{} is no longer an active staff member.", requester.email)));
    }
    admit(requester, op)
        .and_then(|_| caller::check(requester, Permission::RequestApprovals, "request approvals"))
        .map_err(|e| match e {
            AppError::Forbidden(m) => {
                stale(format!("{} may no longer ask for this: {m}", requester.email))
            }
            other => other,
        })
}

/// The queue: requests with `status` (`all` or empty for every status), newest first,
/// after expiring what is due.
pub async fn queue(db: &Db, status: Option<&str>) -> Result<Vec<Approval>, AppError> {
    let status = match status.map(str::trim).filter(|s| !s.is_empty() && *s != "all") {
        Some(s) => Some(ApprovalStatus::parse(s).ok_or_else(|| {
            AppError::field("status", "Status must be pending, executed, rejected or expired.")
        })?),
        None => None,
    };
    expire_due(db).await?;
    list(db, status).await
}

/// Server function body: the queue for leads and admins.
pub async fn list_for_caller(status: Option<String>) -> Result<Vec<Approval>, AppError> {
    caller::require(Permission::Approve, "see the approvals queue")?;
    let state = state::from_context()?;
    queue(&state.db, status.as_deref()).await
}

/// Server function body: decide for the signed-in caller.
pub async fn decide_for_caller(id: i64, approve: bool, note: String) -> Result<Approval, AppError> {
    let caller = caller::require_signed_in()?;
    let state = state::from_context()?;
    decide(
        &state.db,
        &state.config.license_key,
        &Actor::from(&caller),
        id,
        approve,
        &note,
        crate::store::today(),
    )
    .await
}
