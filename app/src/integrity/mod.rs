//! Integrity: records in states that should not exist (DESIGN.md "Integrity checks").
//! `check_customer` states each rule over one customer's loaded records; the same
//! rules run set-based in SQL for the whole database (`counts`).

#[cfg(feature = "ssr")]
pub mod counts;

use serde::{Deserialize, Serialize};

use crate::customer::CustomerView;

/// One unexpected state, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub target_type: String,
    pub target_id: i64,
    pub message: String,
}

fn finding(rule: &str, target_type: &str, target_id: i64, message: String) -> Finding {
    Finding { rule: rule.into(), target_type: target_type.into(), target_id, message }
}

/// Every rule over one customer's records, on the view's day.
pub fn check_customer(view: &CustomerView) -> Vec<Finding> {
    let today = view.today;
    let mut out = Vec::new();
    for ns in &view.namespaces {
        let linked = ns.subscription_id.and_then(|id| view.subscription(id));
        if let Some(sub) = linked {
            let active = sub.status == "active";
            if active && ns.plan != sub.product && ns.trial_plan.is_none() {
                out.push(finding("plan_mismatch", "namespace", ns.id, format!(
                    "{} is on the {} plan but its subscription {} is {}.", ns.path, ns.plan, sub.number, sub.product)));
            }
            if !active && ns.plan != "free" {
                out.push(finding("stale_paid_plan", "namespace", ns.id, format!(
                    "{} is still on {} although subscription {} is {}.", ns.path, ns.plan, sub.number, sub.status)));
            }
            if active && ns.seats_in_use > sub.seats {
                out.push(finding("seat_overage", "subscription", sub.id, format!(
                    "{} uses {} seats; subscription {} has {}.", ns.path, ns.seats_in_use, sub.number, sub.seats)));
            }
            if active && ns.trial_active(today) {
                out.push(finding("trial_on_paid", "namespace", ns.id, format!(
                    "{} runs a trial on top of paid subscription {}.", ns.path, sub.number)));
            }
        }
        if let (Some(plan), Some(end)) = (&ns.trial_plan, ns.trial_ends_on) {
            if end < today && &ns.plan == plan {
                out.push(finding("expired_trial", "namespace", ns.id, format!(
                    "{}'s {} trial ended on {end} but the namespace is still on {}.", ns.path, plan, ns.plan)));
            }
        }
    }
    for sub in view.subscriptions.iter().filter(|s| s.status == "active") {
        let links = view.namespaces.iter().filter(|n| n.subscription_id == Some(sub.id)).count();
        if sub.deployment == "saas" && links == 0 {
            out.push(finding("orphan_subscription", "subscription", sub.id, format!(
                "Active SaaS subscription {} is linked to no namespace.", sub.number)));
        }
        if links > 1 {
            out.push(finding("double_link", "subscription", sub.id, format!(
                "Subscription {} is linked to {links} namespaces.", sub.number)));
        }
        let current = view.licenses.iter().any(|l| {
            l.subscription_id == sub.id && !l.revoked && l.starts_on <= today && l.expires_on >= today
        });
        if sub.deployment == "self_managed" && !current {
            out.push(finding("missing_license", "subscription", sub.id, format!(
                "Active self-managed subscription {} has no current license.", sub.number)));
        }
    }
    out
}
