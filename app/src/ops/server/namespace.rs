//! Namespace controls: plan, subscription link, compute minutes, storage, max seats.
use chrono::NaiveDate;

use super::plan::Grant;
use super::rows::{self, RowChange};
use super::Planned;
use crate::domain::{
    ops_policy, AddOnKind, Deployment, Namespace, Operation, Plan, Subscription,
    SubscriptionStatus, TargetType,
};
use crate::store::Tx;
use crate::AppError;

/// Loads the namespace an operation targets, refusing a stale version.
pub async fn target(tx: &mut Tx, id: i64, version: Option<i64>) -> Result<Namespace, AppError> {
    let ns = rows::namespace(tx, id).await?;
    rows::expect_version(&format!("Namespace {}", ns.path), ns.version, version)?;
    Ok(ns)
}

/// The plan a namespace falls back to without a subscription: its running trial's, or free.
pub fn unpaid_plan(ns: &Namespace, today: NaiveDate) -> Plan {
    match ns.trial_plan {
        Some(plan) if ns.trial_active(today) => plan,
        _ => Plan::Free,
    }
}

fn paid_plan(sub: &Subscription) -> Plan {
    sub.product.plan()
}

pub async fn plan(tx: &mut Tx, op: &Operation, today: NaiveDate) -> Result<Planned, AppError> {
    match op {
        Operation::UpdatePlan { namespace_id, version } => {
            let ns = target(tx, *namespace_id, *version).await?;
            let Some(sub_id) = ns.subscription_id else {
                return Err(AppError::rule(format!(
                    "{} has no linked subscription to take the plan from.",
                    ns.path
                )));
            };
            let sub = rows::subscription(tx, sub_id).await?;
            if sub.status != SubscriptionStatus::Active {
                return Err(AppError::rule(format!(
                    "Subscription {} is {}; clear the link instead.",
                    sub.number, sub.status
                )));
            }
            let mut after = ns.clone();
            after.plan = paid_plan(&sub);
            single(op, ns, after, None)
        }
        Operation::ReplaceLink { namespace_id, subscription_id, version } => {
            replace_link(tx, op, *namespace_id, *subscription_id, *version, today).await
        }
        Operation::ClearSubscription { namespace_id, version } => {
            let ns = target(tx, *namespace_id, *version).await?;
            let Some(sub_id) = ns.subscription_id else {
                return Err(AppError::rule(format!("{} has no linked subscription.", ns.path)));
            };
            let sub = rows::subscription(tx, sub_id).await?;
            let links = rows::linked_namespaces(tx, sub_id).await?.len();
            if sub.status == SubscriptionStatus::Active
                && sub.deployment == Deployment::Saas
                && links == 1
            {
                return Err(AppError::rule(format!(
                    "Subscription {} is active: unlinking it would leave it linked to no namespace. Replace the link instead, or end the subscription first.",
                    sub.number
                )));
            }
            let mut after = ns.clone();
            after.subscription_id = None;
            after.plan = unpaid_plan(&ns, today);
            single(op, ns, after, None)
        }
        Operation::ComputeMinutes { namespace_id, delta, kind, version } => {
            let ns = target(tx, *namespace_id, *version).await?;
            let trial_only = kind == "trial_only";
            if trial_only && *delta > 0 && !ns.trial_active(today) {
                return Err(AppError::field(
                    "kind",
                    format!("{} has no running trial for trial-only minutes.", ns.path),
                ));
            }
            let mut after = ns.clone();
            let field = if trial_only {
                &mut after.compute_minutes_trial_extra
            } else {
                &mut after.compute_minutes_extra
            };
            let current = *field;
            *field = current + delta;
            if *field < 0 {
                return Err(AppError::field(
                    "delta",
                    format!("At most {current} minutes can be taken back."),
                ));
            }
            let expires_on = if trial_only { ns.trial_ends_on } else { None };
            let grant = Grant {
                namespace_id: ns.id,
                kind: AddOnKind::ComputeMinutes,
                quantity: *delta,
                expires_on,
            };
            single(op, ns, after, Some(grant))
        }
        Operation::Storage { namespace_id, delta_mib, version } => {
            let ns = target(tx, *namespace_id, *version).await?;
            let mut after = ns.clone();
            after.storage_extra_mib += delta_mib;
            if after.storage_extra_mib < 0 {
                return Err(AppError::field(
                    "delta_mib",
                    format!("At most {} MiB can be taken back.", ns.storage_extra_mib),
                ));
            }
            let grant = Grant {
                namespace_id: ns.id,
                kind: AddOnKind::Storage,
                quantity: *delta_mib,
                expires_on: None,
            };
            single(op, ns, after, Some(grant))
        }
        Operation::ResetMaxSeats { namespace_id, version } => {
            let ns = target(tx, *namespace_id, *version).await?;
            let waived = ns.max_seats_used - ns.seats_in_use;
            if waived <= 0 {
                return Err(AppError::rule(format!(
                    "{} uses no fewer seats than its maximum; nothing to reset.",
                    ns.path
                )));
            }
            let mut after = ns.clone();
            after.max_seats_used = ns.seats_in_use;
            let approval = ops_policy::seat_waiver_approval(waived);
            let target = (TargetType::Namespace, ns.id, ns.customer_id);
            Planned::new(op, target, vec![RowChange::namespace(ns, after)], approval)
        }
        _ => unreachable!("not a namespace operation"),
    }
}

fn single(
    op: &Operation,
    before: Namespace,
    after: Namespace,
    grant: Option<Grant>,
) -> Result<Planned, AppError> {
    let target = (TargetType::Namespace, before.id, before.customer_id);
    let mut planned = Planned::new(op, target, vec![RowChange::namespace(before, after)], None)?;
    planned.grant = grant;
    Ok(planned)
}

/// Only an active subscription can be linked (a direct link, or an undo that links one
/// again).
pub fn linkable(sub: &Subscription) -> Result<(), String> {
    match sub.status {
        SubscriptionStatus::Active => Ok(()),
        status => Err(format!(
            "Subscription {} is {status}; only an active one can be linked.",
            sub.number
        )),
    }
}

/// A namespace running a trial takes no paid subscription until the trial ends.
pub fn free_of_trial(ns: &Namespace, today: NaiveDate) -> Result<(), String> {
    if ns.trial_active(today) {
        Err(format!("{} runs a trial; end it before linking a paid subscription.", ns.path))
    } else {
        Ok(())
    }
}

/// Links a SaaS subscription to namespace B in one step: every namespace it was linked
/// to drops to free, B takes the subscription's plan. Always needs a lead's approval.
async fn replace_link(
    tx: &mut Tx,
    op: &Operation,
    namespace_id: i64,
    subscription_id: i64,
    version: Option<i64>,
    today: NaiveDate,
) -> Result<Planned, AppError> {
    let b = target(tx, namespace_id, version).await?;
    let sub = match rows::subscription(tx, subscription_id).await {
        Err(AppError::NotFound(_)) => {
            return Err(AppError::field("subscription_id", "No subscription has this id."))
        }
        other => other?,
    };
    if sub.customer_id != b.customer_id {
        return Err(AppError::field(
            "subscription_id",
            format!("Subscription {} belongs to another customer.", sub.number),
        ));
    }
    if sub.deployment != Deployment::Saas {
        return Err(AppError::field(
            "subscription_id",
            format!(
                "Subscription {} is self-managed; only SaaS subscriptions link to namespaces.",
                sub.number
            ),
        ));
    }
    linkable(&sub).map_err(|m| AppError::field("subscription_id", m))?;
    let linked = rows::linked_namespaces(tx, sub.id).await?;
    let keeps_one_of_several = b.subscription_id == Some(sub.id) && linked.len() > 1;
    if b.subscription_id == Some(sub.id) && !keeps_one_of_several {
        return Err(AppError::rule(format!("{} is already linked to {}.", b.path, sub.number)));
    }
    if let Some(other) = b.subscription_id.filter(|_| !keeps_one_of_several) {
        let held = rows::subscription(tx, other).await?;
        if held.status == SubscriptionStatus::Active {
            return Err(AppError::rule(format!(
                "{} holds active subscription {}; clear it first.",
                b.path, held.number
            )));
        }
    }
    free_of_trial(&b, today).map_err(AppError::rule)?;
    let mut rows_changed = Vec::new();
    for a in linked.into_iter().filter(|a| a.id != b.id) {
        let mut after = a.clone();
        after.subscription_id = None;
        after.plan = unpaid_plan(&a, today);
        rows_changed.push(RowChange::namespace(a, after));
    }
    let mut after = b.clone();
    after.subscription_id = Some(sub.id);
    after.plan = paid_plan(&sub);
    let target = (TargetType::Namespace, b.id, b.customer_id);
    rows_changed.push(RowChange::namespace(b, after));
    Planned::new(
        op,
        target,
        rows_changed,
        Some("Replacing a subscription link needs a lead's approval.".into()),
    )
}
