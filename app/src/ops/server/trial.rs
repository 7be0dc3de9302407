//! Trial controls. A trial never runs on top of a paid subscription.
use chrono::{Duration, NaiveDate};

use super::namespace::target;
use super::rows::{self, RowChange};
use super::Planned;
use crate::domain::{
    ops_policy, Namespace, Operation, Plan, Product, SubscriptionStatus, TargetType,
};
use crate::store::Tx;
use crate::AppError;

pub async fn plan(tx: &mut Tx, op: &Operation, today: NaiveDate) -> Result<Planned, AppError> {
    let (id, version) = match op {
        Operation::ExtendTrial { namespace_id, version, .. }
        | Operation::ReactivateTrial { namespace_id, version, .. }
        | Operation::ChangeTrialPlan { namespace_id, version, .. }
        | Operation::EndTrial { namespace_id, version } => (*namespace_id, *version),
        _ => unreachable!("not a trial operation"),
    };
    let ns = target(tx, id, version).await?;
    let paid = paid_subscription(tx, &ns).await?;
    let mut after = ns.clone();
    let mut approval = None;
    match op {
        Operation::ExtendTrial { days, .. } => {
            let (_, end) = running(&ns, today)?;
            refuse_on_paid(&ns, &paid)?;
            after.trial_ends_on = Some(end + Duration::days(*days));
            after.trial_extensions_used += 1;
            after.trial_extra_days += days;
            approval = ops_policy::trial_extension_approval(
                ns.trial_extensions_used,
                ns.trial_extra_days,
                *days,
            );
        }
        Operation::ReactivateTrial { plan, .. } => {
            let Some(old_plan) = ns.trial_plan else {
                return Err(AppError::rule(format!(
                    "{} never had a trial to reactivate.",
                    ns.path
                )));
            };
            if ns.trial_active(today) {
                return Err(AppError::rule(format!(
                    "{}'s trial is still running; extend it instead.",
                    ns.path
                )));
            }
            refuse_on_paid(&ns, &paid)?;
            if ns.plan != Plan::Free && ns.plan != old_plan {
                return Err(AppError::rule(format!(
                    "{} is on the paid {} plan; a trial cannot run on top of it.",
                    ns.path, ns.plan
                )));
            }
            let plan = match plan {
                Some(p) => ops_policy::trial_plan(p).map_err(|m| AppError::field("plan", m))?,
                None => old_plan,
            };
            after.trial_plan = Some(plan);
            after.trial_starts_on = Some(today);
            after.trial_ends_on = Some(today + Duration::days(ops_policy::TRIAL_DAYS));
            // The extensions and extra days stay counted: a new run is no new allowance.
            after.trial_reactivations += 1;
            after.plan = plan;
            approval = ops_policy::trial_reactivation_approval(&ns);
        }
        Operation::ChangeTrialPlan { plan, .. } => {
            running(&ns, today)?;
            refuse_on_paid(&ns, &paid)?;
            let plan = ops_policy::trial_plan(plan).map_err(|m| AppError::field("plan", m))?;
            if ns.trial_plan == Some(plan) {
                return Err(AppError::field("plan", format!("The trial is already on {plan}.")));
            }
            after.trial_plan = Some(plan);
            after.plan = plan;
        }
        Operation::EndTrial { .. } => {
            let stuck = ns.trial_plan == Some(ns.plan);
            if !ns.trial_active(today) && !stuck {
                return Err(AppError::rule(format!("{} has no trial to end.", ns.path)));
            }
            after.plan = paid.map_or(Plan::Free, Product::plan);
            if ns.trial_active(today) {
                let yesterday = today - Duration::days(1);
                if ns.trial_starts_on.is_some_and(|s| yesterday > s) {
                    after.trial_ends_on = Some(yesterday);
                } else {
                    // Started today or yesterday: no earlier end date is valid, so the trial is withdrawn.
                    after.trial_plan = None;
                    after.trial_starts_on = None;
                    after.trial_ends_on = None;
                }
            }
        }
        _ => unreachable!(),
    }
    let target = (TargetType::Namespace, ns.id, ns.customer_id);
    Planned::new(op, target, vec![RowChange::namespace(ns, after)], approval)
}

/// The running trial's start and end, or a refusal.
fn running(ns: &Namespace, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), AppError> {
    match (ns.trial_starts_on, ns.trial_ends_on) {
        (Some(start), Some(end)) if ns.trial_active(today) => Ok((start, end)),
        _ => Err(AppError::rule(format!("{} has no running trial.", ns.path))),
    }
}

/// The product of the active paid subscription linked to `ns`, if any.
async fn paid_subscription(tx: &mut Tx, ns: &Namespace) -> Result<Option<Product>, AppError> {
    let Some(id) = ns.subscription_id else { return Ok(None) };
    let sub = rows::subscription(tx, id).await?;
    Ok((sub.status == SubscriptionStatus::Active).then_some(sub.product))
}

fn refuse_on_paid(ns: &Namespace, paid: &Option<Product>) -> Result<(), AppError> {
    match paid {
        Some(product) => Err(AppError::rule(format!(
            "{} has an active {product} subscription; a trial never runs on top of a paid plan.",
            ns.path
        ))),
        None => Ok(()),
    }
}
