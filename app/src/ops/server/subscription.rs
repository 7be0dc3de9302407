//! Inline subscription edit: seats, end date, auto-renew, status.
use chrono::NaiveDate;

use super::namespace::unpaid_plan;
use super::rows::{self, RowChange};
use super::Planned;
use crate::domain::{
    ops_policy, Namespace, Operation, Subscription, SubscriptionStatus, TargetType,
};
use crate::store::Tx;
use crate::{AppError, FieldErrors};

pub async fn edit(tx: &mut Tx, op: &Operation, today: NaiveDate) -> Result<Planned, AppError> {
    let Operation::EditSubscription {
        subscription_id,
        version,
        seats,
        end_date,
        auto_renew,
        status,
    } = op
    else {
        unreachable!("planned as a subscription edit")
    };
    let before = rows::subscription(tx, *subscription_id).await?;
    rows::expect_version(
        &format!("Subscription {}", before.number),
        before.version,
        Some(*version),
    )?;
    let mut after = before.clone();
    let mut errors = FieldErrors::new();
    if let Some(seats) = seats {
        after.seats = *seats;
    }
    if let Some(end) = end_date {
        match ops_policy::end_date(before.start_date, *end) {
            Ok(end) => after.end_date = end,
            Err(m) => drop(errors.insert("end_date".into(), m)),
        }
    }
    if let Some(renew) = auto_renew {
        after.auto_renew = *renew;
    }
    let from = before.status;
    let mut to = from;
    if let Some(raw) = status {
        match ops_policy::status(raw)
            .and_then(|s| ops_policy::status_transition(from, s).map(|_| s))
        {
            Ok(s) => to = s,
            Err(m) => drop(errors.insert("status".into(), m)),
        }
        after.status = to;
    }
    if errors.is_empty() && (end_date.is_some() || to != from) {
        if let Err(m) = ops_policy::active_until(to, after.end_date, today) {
            errors.insert(if end_date.is_some() { "end_date" } else { "status" }.into(), m);
        }
    }
    let linked = rows::linked_namespaces(tx, before.id).await?;
    if let Some(busiest) = linked
        .iter()
        .max_by_key(|n| n.seats_in_use)
        .filter(|n| after.status == SubscriptionStatus::Active && n.seats_in_use > after.seats)
    {
        if seats.is_some() && !errors.contains_key("seats") {
            errors.insert("seats".into(), format!(
                "{} uses {} seats: the subscription cannot have fewer. Flag the true-up to sales instead.", busiest.path, busiest.seats_in_use
            ));
        }
    }
    if let Some(e) = AppError::from_fields(errors) {
        return Err(e);
    }
    let mut rows_changed = vec![RowChange::subscription(before.clone(), after.clone())];
    if to != from {
        rows_changed.extend(follow_status(&before, &after, linked, today)?);
    }
    let target = (TargetType::Subscription, before.id, before.customer_id);
    Planned::new(op, target, rows_changed, None)
}

/// A status change carries the linked namespaces' plans with it: an ended subscription
/// leaves them on free (or their running trial), a renewed one puts them back on its
/// product — so neither a paid plan without a subscription nor the reverse is left.
fn follow_status(
    before: &Subscription,
    after: &Subscription,
    linked: Vec<Namespace>,
    today: NaiveDate,
) -> Result<Vec<RowChange>, AppError> {
    let mut out = Vec::new();
    for ns in linked {
        let mut changed = ns.clone();
        if after.status == SubscriptionStatus::Active {
            if ns.trial_active(today) {
                return Err(AppError::field("status", format!(
                    "{} runs a trial; end it before renewing {} so no trial runs on a paid plan.", ns.path, before.number
                )));
            }
            changed.plan = after.product.plan();
        } else {
            changed.plan = unpaid_plan(&ns, today);
        }
        if changed.plan != ns.plan {
            out.push(RowChange::namespace(ns, changed));
        }
    }
    Ok(out)
}
