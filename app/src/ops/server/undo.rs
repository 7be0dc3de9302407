//! Undo: a reversible operation is reverted by a new, audited change that restores the
//! old values — only if the record still holds what the event left there. The undo is
//! the change it makes: a subscription's fields are set back by the inline edit itself
//! (its permission for exactly those fields, its rules, its transitions), and a
//! namespace's by the permission and approval rule of the direct change
//! (`domain::undo`), then the same integrity guard as any change.
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::plan::Grant;
use super::rows::{self, RowChange};
use super::{admit, namespace, subscription, Planned};
use crate::audit::stored::{StoredEvent, COLUMNS};
use crate::audit::{ActivityEvent, FieldChanges};
use crate::auth::server::caller;
use crate::auth::CurrentUser;
use crate::domain::undo::subscription_undo;
use crate::domain::{ops_policy, undo_policy, Action, AddOnKind, Operation, TargetType};
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
    let Some(policy) = undo_policy(event.body.action) else {
        return Err(AppError::rule(format!(
            "Event {event_id} ({}) cannot be undone.",
            event.body.action
        )));
    };
    let title = event.body.action.label().to_lowercase();
    caller::check(user, policy.permission, &format!("undo a change of kind “{title}”"))?;
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
    let op = Operation::Undo { event_id };
    let target = (TargetType::ActivityEvent, event_id, event.body.customer_id.unwrap_or_default());
    let planned = match event.body.target_type {
        TargetType::Subscription => {
            let current = rows::subscription(tx, event.body.target_id).await?;
            restore(&current, &current.number, &event.body.changes)?;
            let edit = subscription_undo(current.id, current.version, &event.body.changes)
                .map_err(AppError::rule)?;
            admit(user, &edit).map_err(|e| as_undo(e, &title))?;
            let mut planned =
                subscription::edit(tx, &edit, today).await.map_err(|e| as_undo(e, &title))?;
            let changes = std::mem::take(&mut planned.preview.changes);
            let approval = planned.preview.approval.take();
            let mut undo = Planned::issuing(&op, target, changes, approval);
            undo.rows = planned.rows;
            undo
        }
        TargetType::Namespace => {
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
                // Linking again meets the rules of a direct link.
                namespace::linkable(&rows::subscription(tx, sub).await?)
                    .and_then(|_| namespace::free_of_trial(&before, today))
                    .map_err(|m| {
                        AppError::rule(format!("Undoing would link the subscription again: {m}"))
                    })?;
            }
            let approval = policy.approval.map(str::to_string).or_else(|| {
                (event.body.action == Action::EndTrial)
                    .then(|| ops_policy::trial_reactivation_approval(&after))
                    .flatten()
            });
            let mut planned =
                Planned::new(&op, target, vec![RowChange::namespace(before, after)], approval)?;
            planned.grant = compensating_grant(&event);
            planned
        }
        other @ (TargetType::License
        | TargetType::BillingAccount
        | TargetType::Invoice
        | TargetType::StaffUser
        | TargetType::ApprovalRequest
        | TargetType::Note
        | TargetType::ActivityEvent) => {
            return Err(AppError::rule(format!("Changes to a {} cannot be undone.", other.words())))
        }
    };
    Ok(planned)
}

/// A refusal of the change an undo makes, worded as a refusal of the undo.
fn as_undo(e: AppError, title: &str) -> AppError {
    match e {
        AppError::Forbidden(m) => AppError::Forbidden(format!(
            "{m} (undoing a change of kind “{title}” makes that change)"
        )),
        AppError::Validation { message, fields } => AppError::Validation {
            message: format!("Undoing would break a rule of the change it makes: {message}"),
            fields,
        },
        other => other,
    }
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
