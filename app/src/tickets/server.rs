//! Gathering a ticket's view: its events (the timeline's own query, filtered by the
//! ticket), its approvals, the trial plans the reply names, and the reply.
use std::collections::HashMap;

use super::{TicketCustomer, TicketView};
use crate::audit::{query, ActivityEvent, ActivityFilter};
use crate::domain::reply::{self, Done};
use crate::domain::{Action, Approval, Permission, TargetType};
use crate::ops::server::approvals;
use crate::store::{by_ids_now, Db};
use crate::AppError;

/// Server function body: the ticket for a signed-in caller who may view customers.
pub async fn for_caller(url: &str) -> Result<TicketView, AppError> {
    crate::auth::server::caller::require(Permission::ViewAll, "view tickets")?;
    load(&crate::state::from_context()?.db, url).await
}

/// The view of the ticket `url` (422 `url` when it is not a ticket link).
pub async fn load(db: &Db, url: &str) -> Result<TicketView, AppError> {
    let url = crate::validate::ticket_url(url)
        .map_err(|m| AppError::field("url", m))?
        .ok_or_else(|| AppError::field("url", "Give the ticket's URL."))?;
    let filter = ActivityFilter { ticket: Some(url.clone()), ..Default::default() };
    let mut events = query::page(db, &filter, None, Some(query::MAX_PAGE)).await?.events;
    crate::billing::server::outbox::annotate(db, &mut events).await?;
    let approvals = approvals::for_ticket(db, &url).await?;
    let plans = trial_plans(db, &events).await?;
    Ok(TicketView {
        reply: reply_text(&events, &approvals, &plans),
        customers: customers(&events, &approvals),
        ticket_url: url,
        events,
        approvals,
    })
}

/// The reply: a sentence per change the customer is told about, oldest first, then one
/// per request still waiting or refused.
fn reply_text(
    events: &[ActivityEvent],
    approvals: &[Approval],
    plans: &HashMap<i64, String>,
) -> String {
    let done = events.iter().rev().filter_map(|e| {
        let label = e.target_label.clone().unwrap_or_default();
        let trial_plan = (e.body.target_type == TargetType::Namespace)
            .then(|| plans.get(&e.body.target_id).map(String::as_str))
            .flatten();
        reply::sentence(&Done {
            action: e.body.action,
            label: &label,
            trial_plan,
            changes: &e.body.changes,
        })
    });
    let waiting = approvals.iter().filter_map(|a| {
        let label = a.preview.changes.first().map(|c| c.record.as_str()).unwrap_or_default();
        reply::awaiting(a.action, a.target_type, label, a.status)
    });
    done.chain(waiting).collect::<Vec<_>>().join("\n")
}

/// The customers named by the events and approvals, first appearance first.
fn customers(events: &[ActivityEvent], approvals: &[Approval]) -> Vec<TicketCustomer> {
    let named = events
        .iter()
        .rev()
        .map(|e| (e.body.customer_id, e.customer_name.clone()))
        .chain(approvals.iter().map(|a| (a.customer_id, a.customer_name.clone())));
    let mut out: Vec<TicketCustomer> = Vec::new();
    for (id, name) in named {
        let Some(id) = id else { continue };
        if !out.iter().any(|c| c.id == id) {
            out.push(TicketCustomer { id, name: name.unwrap_or_else(|| format!("Customer {id}")) });
        }
    }
    out
}

#[derive(sqlx::FromRow)]
struct TrialPlan {
    id: i64,
    plan: String,
}

/// The current trial plan of each namespace the events changed: the reply names the
/// plan of a trial whose change did not touch it.
async fn trial_plans(db: &Db, events: &[ActivityEvent]) -> Result<HashMap<i64, String>, AppError> {
    let mut ids: Vec<i64> = events
        .iter()
        .filter(|e| {
            e.body.target_type == TargetType::Namespace
                && matches!(
                    e.body.action,
                    Action::ExtendTrial
                        | Action::ReactivateTrial
                        | Action::ChangeTrialPlan
                        | Action::EndTrial
                )
        })
        .map(|e| e.body.target_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let head = "SELECT id, trial_plan AS plan FROM namespaces WHERE trial_plan IS NOT NULL AND id";
    let rows: Vec<TrialPlan> = by_ids_now(db, &[(head, ids)]).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.plan)).collect())
}
