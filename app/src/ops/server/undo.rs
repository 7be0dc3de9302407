//! Undo: a reversible operation is reverted by a new, audited change that restores the
//! old values — only if the record still holds what the event left there.
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::plan::Grant;
use super::rows::{self, RowChange};
use super::Planned;
use crate::audit::stored::{StoredEvent, COLUMNS};
use crate::audit::{ActivityEvent, FieldChanges};
use crate::auth::server::caller;
use crate::auth::CurrentUser;
use crate::domain::{ops_policy, permission_of, title_of, AddOnKind, Operation, REVERSIBLE};
use crate::store::Tx;
use crate::{on_tx, AppError};

pub async fn plan(
    tx: &mut Tx,
    user: &CurrentUser,
    event_id: i64,
    today: NaiveDate,
) -> Result<Planned, AppError> {
    let sql = format!("SELECT {COLUMNS} FROM activity_events WHERE id = $1");
    let stored: Option<StoredEvent> = on_tx!(tx, |c| sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(event_id)
        .fetch_optional(c)
        .await)?;
    let event =
        stored.ok_or_else(|| AppError::NotFound(format!("Activity event {event_id}")))?.event;
    let title = title_of(&event.body.action).to_lowercase();
    if !REVERSIBLE.contains(&event.body.action.as_str()) {
        return Err(AppError::rule(format!(
            "Event {event_id} ({}) cannot be undone.",
            event.body.action
        )));
    }
    caller::check(
        user,
        permission_of(&event.body.action),
        &format!("undo a change of kind “{title}”"),
    )?;
    let undone: Option<i64> = on_tx!(tx, |c| {
        sqlx::query_scalar(
        "SELECT id FROM activity_events WHERE target_type = 'activity_event' AND target_id = $1 AND action = 'undo' LIMIT 1"
    )
    .bind(event_id)
    .fetch_optional(c)
    .await
    })?;
    if let Some(by) = undone {
        return Err(AppError::rule(format!("Event {event_id} was already undone by event {by}.")));
    }
    if event.body.changes.keys().any(|k| k.contains('.')) {
        return Err(AppError::rule(format!(
            "Event {event_id} changed several records; it cannot be undone in one step."
        )));
    }
    let row = match event.body.target_type.as_str() {
        "subscription" => {
            let before = rows::subscription(tx, event.body.target_id).await?;
            let after = restore(&before, &before.number, &event.body.changes)?;
            check_subscription(&after, today)?;
            RowChange::Subscription(before, after)
        }
        "namespace" => {
            let before = rows::namespace(tx, event.body.target_id).await?;
            let after = restore(&before, &before.path, &event.body.changes)?;
            if let Some(sub) = after.subscription_id.filter(|s| before.subscription_id != Some(*s))
            {
                let others = rows::linked_namespaces(tx, sub).await?;
                if let Some(other) = others.iter().find(|n| n.id != after.id) {
                    return Err(AppError::rule(format!(
                        "The subscription is now linked to {}; undoing would link it twice.",
                        other.path
                    )));
                }
            }
            RowChange::namespace(before, after)
        }
        other => return Err(AppError::rule(format!("Changes to a {other} cannot be undone."))),
    };
    let grant = compensating_grant(&event);
    let op = Operation::Undo { event_id };
    let target = ("activity_event", event_id, event.body.customer_id.unwrap_or_default());
    let mut planned = Planned::new(&op, target, vec![row], None)?;
    planned.grant = grant;
    Ok(planned)
}

/// `current` with every changed field set back to its old value, if each still holds the new one.
fn restore<T: Serialize + DeserializeOwned>(
    current: &T,
    record: &str,
    changes: &FieldChanges,
) -> Result<T, AppError> {
    let mut value = serde_json::to_value(current).map_err(AppError::internal)?;
    for (field, [old, new]) in changes {
        let slot = value
            .get_mut(field)
            .ok_or_else(|| AppError::rule(format!("{record} has no field {field} to restore.")))?;
        if slot != new {
            return Err(AppError::Conflict(format!(
                "{record}'s {field} is now {slot}, not {new} as the change left it; nothing was undone."
            )));
        }
        *slot = old.clone();
    }
    serde_json::from_value(value).map_err(AppError::internal)
}

fn check_subscription(
    after: &crate::domain::Subscription,
    today: NaiveDate,
) -> Result<(), AppError> {
    let status = after.status;
    ops_policy::seats(after.seats)
        .map(drop)
        .and_then(|_| ops_policy::end_date(after.start_date, after.end_date).map(drop))
        .and_then(|_| ops_policy::active_until(status, after.end_date, today))
        .map_err(|m| AppError::rule(format!("Undoing would leave the subscription invalid: {m}")))
}

/// Minutes and storage changes also take back (or give back) their add-on grant.
fn compensating_grant(event: &ActivityEvent) -> Option<Grant> {
    let (kind, [old, new]) =
        ["compute_minutes_extra", "compute_minutes_trial_extra", "storage_extra_mib"]
            .iter()
            .find_map(|f| event.body.changes.get(*f).map(|c| (*f, c.clone())))?;
    let quantity = old.as_i64()? - new.as_i64()?;
    let kind =
        if kind == "storage_extra_mib" { AddOnKind::Storage } else { AddOnKind::ComputeMinutes };
    (quantity != 0).then_some(Grant {
        namespace_id: event.body.target_id,
        kind,
        quantity,
        expires_on: None,
    })
}
