//! Fixing findings through the audited operations: one finding (its operation, with
//! the reason, permission checks, approval and event every operation has), many at
//! once (a dry run listing every change, then a confirmation that runs exactly the
//! changes shown and skips what moved meanwhile), and flagging an overage to sales.
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::audit::{record, EventBody};
use crate::checks::{rules, store};
use crate::domain::ops_policy::Justification;
use crate::domain::{Action, Finding, FixStatus, OpRequest, Outcome, Preview, Rule};
use crate::integrity::{BulkFixRequest, FixItem, BULK_LIMIT};
use crate::ops::server::{execute, execute_if, preview, Actor, Planned};
use crate::state::AppState;
use crate::store::{today as today_utc, Db};
use crate::{on_tx, validate, AppError};

/// The stored open finding `id`, checked against the records now: its current state
/// (new words, the target's current version), or why it cannot be fixed.
pub async fn current(db: &Db, id: i64, today: NaiveDate) -> Result<Finding, AppError> {
    let mut tx = db.begin_read().await?;
    let (stored, open) = store::get(&mut tx, id).await?;
    let live = rules::find_rule(&mut tx, stored.rule, Some(stored.customer_id), today).await?;
    tx.rollback().await?;
    if !open {
        return Err(AppError::Conflict(format!("Finding {id} is already resolved.")));
    }
    match live.into_iter().find(|f| store::same(f, &stored)) {
        Some(f) => Ok(store::with_stored(f, &stored)),
        None => Err(AppError::Conflict(format!(
            "{} no longer shows this problem; the next scan resolves finding {id}.",
            stored.record
        ))),
    }
}

/// Runs the fix of finding `id` (or files it for approval when its operation needs one).
pub async fn one(
    state: &AppState,
    actor: &Actor,
    id: i64,
    reason: &str,
    ticket_url: Option<String>,
    today: NaiveDate,
) -> Result<FixItem, AppError> {
    let finding = current(&state.db, id, today).await?;
    let op = finding.fix().map_err(AppError::rule)?;
    let request = OpRequest::fix(op, id, reason.into(), ticket_url);
    let outcome = execute(&state.db, &state.config.license_key, actor, &request, today).await?;
    Ok(done(&finding, outcome))
}

/// A bulk fix: the dry run (each finding's exact changes and their digest) or, with
/// `confirm`, exactly those changes — each finding in its own transaction, skipped
/// when its plan no longer matches the digest the person confirmed.
pub async fn bulk(
    state: &AppState,
    actor: &Actor,
    req: &BulkFixRequest,
    today: NaiveDate,
) -> Result<Vec<FixItem>, AppError> {
    if req.finding_ids.is_empty() {
        return Err(AppError::field("finding_ids", "Pick at least one finding."));
    }
    if req.finding_ids.len() > BULK_LIMIT {
        return Err(AppError::field(
            "finding_ids",
            format!("Fix at most {BULK_LIMIT} findings at once."),
        ));
    }
    let mut out = Vec::with_capacity(req.finding_ids.len());
    let Some(confirm) = &req.confirm else {
        for id in &req.finding_ids {
            out.push(dry_run(&state.db, actor, *id, today).await);
        }
        return Ok(out);
    };
    if let Some(missing) = req.finding_ids.iter().find(|id| !confirm.contains_key(id)) {
        return Err(AppError::field(
            "confirm",
            format!("Finding {missing} was not in the dry run: run the dry run again."),
        ));
    }
    if let Err(errors) =
        Justification::proactive(&req.reason, req.ticket_url.as_deref(), actor.user.role)
    {
        return Err(AppError::from_fields(errors)
            .unwrap_or_else(|| AppError::field("reason", "Give a reason.")));
    }
    for id in &req.finding_ids {
        let expected = confirm[id].clone();
        let item = match current(&state.db, *id, today).await {
            Err(e) => skipped(*id, String::new(), e.to_string()),
            Ok(finding) => match finding.fix() {
                Err(why) => refused(&finding, why),
                Ok(op) => {
                    let request =
                        OpRequest::fix(op, *id, req.reason.clone(), req.ticket_url.clone());
                    let frozen = |p: &Planned| {
                        if digest(&request.op, &p.preview) == expected {
                            Ok(())
                        } else {
                            Err(AppError::Conflict(
                                "its changes are no longer the ones the dry run showed".into(),
                            ))
                        }
                    };
                    match execute_if(
                        &state.db,
                        &state.config.license_key,
                        actor,
                        &request,
                        today,
                        frozen,
                    )
                    .await
                    {
                        Ok(outcome) => done(&finding, outcome),
                        Err(e @ (AppError::Conflict(_) | AppError::NotFound(_))) => skipped(
                            *id,
                            finding.record.clone(),
                            format!("Changed since the dry run: {e}"),
                        ),
                        Err(e) => refused(&finding, e.to_string()),
                    }
                }
            },
        };
        out.push(item);
    }
    Ok(out)
}

async fn dry_run(db: &Db, actor: &Actor, id: i64, today: NaiveDate) -> FixItem {
    let finding = match current(db, id, today).await {
        Ok(f) => f,
        Err(e) => return skipped(id, String::new(), e.to_string()),
    };
    let op = match finding.fix() {
        Ok(op) => op,
        Err(why) => return refused(&finding, why),
    };
    let request = OpRequest::preview(op);
    match preview(db, actor, &request, today).await {
        Ok(p) => FixItem {
            finding_id: id,
            status: FixStatus::Planned,
            record: finding.record.clone(),
            message: finding.message.clone(),
            plan_digest: Some(digest(&request.op, &p)),
            preview: Some(p),
            event_id: None,
            approval_id: None,
        },
        Err(e) => refused(&finding, e.to_string()),
    }
}

/// The fingerprint of one plan: the operation (with the version it was based on) and
/// the exact changes and approval it would make.
pub fn digest(op: &crate::domain::Operation, p: &Preview) -> String {
    let text = serde_json::to_string(&(op, &p.changes, &p.approval)).unwrap_or_default();
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn done(f: &Finding, outcome: Outcome) -> FixItem {
    let (status, event_id, approval_id) = match &outcome {
        Outcome::Applied { event_id, .. } => (FixStatus::Fixed, Some(*event_id), None),
        Outcome::PendingApproval { approval_id, .. } => {
            (FixStatus::PendingApproval, None, Some(*approval_id))
        }
    };
    FixItem {
        finding_id: f.id.unwrap_or_default(),
        status,
        record: f.record.clone(),
        message: f.message.clone(),
        preview: Some(outcome.preview().clone()),
        plan_digest: None,
        event_id,
        approval_id,
    }
}

fn skipped(id: i64, record: String, message: String) -> FixItem {
    FixItem {
        finding_id: id,
        status: FixStatus::Skipped,
        record,
        message,
        preview: None,
        plan_digest: None,
        event_id: None,
        approval_id: None,
    }
}

fn refused(f: &Finding, message: String) -> FixItem {
    FixItem {
        finding_id: f.id.unwrap_or_default(),
        status: FixStatus::Refused,
        record: f.record.clone(),
        message,
        preview: None,
        plan_digest: None,
        event_id: None,
        approval_id: None,
    }
}

/// Flags seat-overage finding `id` to sales: one event on the namespace (the finding
/// stays open until the seats are trued up). The event's id.
pub async fn flag(db: &Db, actor: &Actor, id: i64, reason: &str) -> Result<i64, AppError> {
    let reason = validate::reason(reason).map_err(|m| AppError::field("reason", m))?;
    let finding = current(db, id, today_utc()).await?;
    if finding.rule != Rule::SeatOverage {
        return Err(AppError::rule(
            "Only a seat overage is flagged to sales; other findings have a fix.",
        ));
    }
    if let Some(event) = finding.flagged_event {
        return Err(AppError::Conflict(format!(
            "Finding {id} was already flagged to sales (event {event})."
        )));
    }
    let mut tx = db.begin().await?;
    let event_id = record(
        &mut tx,
        EventBody {
            actor_id: actor.staff_id(),
            actor_email: actor.user.email.clone(),
            action: Action::FlagToSales,
            target_type: finding.target_type,
            target_id: finding.target_id,
            customer_id: Some(finding.customer_id),
            reason,
            ticket_url: None,
            changes: Default::default(),
            source: actor.source,
            approval_id: None,
            requester: None,
            requester_verdict: None,
        },
    )
    .await?;
    let marked = on_tx!(&mut tx, |c| {
        sqlx::query(
        "UPDATE integrity_findings SET flagged_event = $1 WHERE id = $2 AND flagged_event IS NULL AND resolved_at IS NULL"
    )
    .bind(event_id)
    .bind(id)
    .execute(c)
    .await
    .map(|r| r.rows_affected())
    })?;
    if marked != 1 {
        return Err(AppError::Conflict(format!("Finding {id} was flagged or resolved meanwhile.")));
    }
    tx.commit().await?;
    Ok(event_id)
}
