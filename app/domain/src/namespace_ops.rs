//! Which operations a namespace offers in its current state: what its card's buttons
//! open. The server refuses anything else on its own; this keeps the buttons to the
//! ones that can apply.
use chrono::NaiveDate;

use crate::{Deployment, Namespace, Operation, Plan, Subscription, SubscriptionStatus};

/// The operations a namespace offers in its current state (each shown to the roles
/// that hold its permission), with the parameters their panels start from.
pub fn offered(ns: &Namespace, subscriptions: &[Subscription], today: NaiveDate) -> Vec<Operation> {
    let id = ns.id;
    let version = Some(ns.version);
    let linked = ns.subscription_id.and_then(|s| subscriptions.iter().find(|x| x.id == s));
    let mut ops = Vec::new();
    if let Some(sub) = linked {
        if sub.status == SubscriptionStatus::Active && sub.product.plan() != ns.plan {
            ops.push(Operation::UpdatePlan { namespace_id: id, version });
        }
        ops.push(Operation::ClearSubscription { namespace_id: id, version });
    }
    let linkable = subscriptions.iter().find(|s| {
        s.deployment == Deployment::Saas
            && s.status == SubscriptionStatus::Active
            && Some(s.id) != ns.subscription_id
    });
    if let Some(s) = linkable {
        ops.push(Operation::ReplaceLink { namespace_id: id, subscription_id: s.id, version });
    }
    if ns.trial_active(today) {
        ops.push(Operation::ExtendTrial { namespace_id: id, days: 7, version });
        ops.push(Operation::ChangeTrialPlan {
            namespace_id: id,
            plan: other_plan(ns.trial_plan),
            version,
        });
        ops.push(Operation::EndTrial { namespace_id: id, version });
    } else if ns.trial_plan.is_some() {
        ops.push(Operation::ReactivateTrial { namespace_id: id, plan: None, version });
        if ns.trial_plan == Some(ns.plan) {
            ops.push(Operation::EndTrial { namespace_id: id, version });
        }
    }
    ops.push(Operation::ComputeMinutes {
        namespace_id: id,
        delta: 1000,
        kind: "permanent".into(),
        version,
    });
    ops.push(Operation::Storage { namespace_id: id, delta_mib: 1024, version });
    if ns.max_seats_used > ns.seats_in_use {
        ops.push(Operation::ResetMaxSeats { namespace_id: id, version });
    }
    ops
}

fn other_plan(plan: Option<Plan>) -> String {
    let other = if plan == Some(Plan::Ultimate) { Plan::Premium } else { Plan::Ultimate };
    other.as_str().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Action;

    #[test]
    fn an_unlinked_namespace_offers_a_link_and_grants_and_no_plan_update() {
        let mut ns = Namespace {
            id: 3,
            customer_id: 1,
            path: "acme".into(),
            name: "Acme".into(),
            plan: Plan::Free,
            subscription_id: None,
            trial_plan: None,
            trial_starts_on: None,
            trial_ends_on: None,
            trial_extensions_used: 0,
            trial_extra_days: 0,
            trial_reactivations: 0,
            seats_in_use: 4,
            max_seats_used: 4,
            compute_minutes_quota: 400,
            compute_minutes_used: 0,
            compute_minutes_extra: 0,
            compute_minutes_trial_extra: 0,
            storage_used_mib: 0,
            storage_extra_mib: 0,
            version: 1,
            owners: Vec::new(),
        };
        let actions = |ns: &Namespace| -> Vec<Action> {
            offered(ns, &[], NaiveDate::MIN).iter().map(|o| o.action()).collect()
        };
        assert_eq!(actions(&ns), [Action::ComputeMinutes, Action::Storage]);
        ns.max_seats_used = 9;
        assert_eq!(actions(&ns).last(), Some(&Action::ResetMaxSeats), "a waiver to give");
    }
}
