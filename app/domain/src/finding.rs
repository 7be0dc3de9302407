//! Integrity rules and what they find: records in states that should not exist.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Operation;

/// One rule of DESIGN.md's table, in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub id: &'static str,
    /// What is wrong, as a short heading.
    pub title: &'static str,
    /// What kind of record a finding points at.
    pub target_type: &'static str,
    /// What the fix does, or how the finding is handled when no operation fixes it.
    pub fix: &'static str,
}

/// Every rule, in DESIGN.md's order.
pub const RULES: [Rule; 8] = [
    Rule {
        id: "plan_mismatch",
        title: "Plan differs from subscription",
        target_type: "namespace",
        fix: "Update plan",
    },
    Rule {
        id: "orphan_subscription",
        title: "Subscription linked to no namespace",
        target_type: "subscription",
        fix: "Link to a namespace (lead approval)",
    },
    Rule {
        id: "stale_paid_plan",
        title: "Paid plan on an ended subscription",
        target_type: "namespace",
        fix: "Clear subscription",
    },
    Rule {
        id: "double_link",
        title: "Subscription linked twice",
        target_type: "subscription",
        fix: "Keep one link (lead approval)",
    },
    Rule {
        id: "expired_trial",
        title: "Trial over, plan kept",
        target_type: "namespace",
        fix: "End trial",
    },
    Rule {
        id: "missing_license",
        title: "No current license",
        target_type: "subscription",
        fix: "Issue license",
    },
    Rule {
        id: "seat_overage",
        title: "More seats used than bought",
        target_type: "namespace",
        fix: "Flag to sales",
    },
    Rule {
        id: "trial_on_paid",
        title: "Trial on a paid subscription",
        target_type: "namespace",
        fix: "End trial",
    },
];

/// The rule called `id`.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// One unexpected state, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Finding {
    /// The stored finding's id (what `POST integrity/fix` takes); absent for a state
    /// seen on a customer page before the scan stored it.
    pub id: Option<i64>,
    pub rule: String,
    pub target_type: String,
    pub target_id: i64,
    pub customer_id: i64,
    /// The customer's name, where the finding was read from the store.
    #[serde(default)]
    pub customer_name: Option<String>,
    /// The record as people name it (a namespace path, a subscription number).
    pub record: String,
    /// The same label under the name the timeline's events use.
    #[serde(default)]
    pub target_label: String,
    pub message: String,
    /// When a scan (or an operation) first saw this state.
    pub first_seen_at: Option<DateTime<Utc>>,
    /// Another record the fix needs: the namespace to link an orphan subscription to,
    /// the one link of a doubly linked subscription to keep.
    pub related_id: Option<i64>,
    /// The target's current version, so a fix based on this finding refuses a record
    /// that changed meanwhile.
    pub version: Option<i64>,
    /// Set once the finding has been flagged to sales (seat overage): that event.
    pub flagged_event: Option<i64>,
}

impl Finding {
    /// The operation that fixes this finding, or why there is none to run directly.
    pub fn fix(&self) -> Result<Operation, String> {
        let id = self.target_id;
        let version = self.version;
        match self.rule.as_str() {
            "plan_mismatch" => Ok(Operation::UpdatePlan { namespace_id: id, version }),
            "stale_paid_plan" => Ok(Operation::ClearSubscription { namespace_id: id, version }),
            "expired_trial" | "trial_on_paid" => Ok(Operation::EndTrial { namespace_id: id, version }),
            "missing_license" => Ok(Operation::IssueLicense { subscription_id: id, version }),
            "orphan_subscription" => match self.related_id {
                Some(ns) => Ok(Operation::ReplaceLink { namespace_id: ns, subscription_id: id, version: None }),
                None => Err("The customer has no single unlinked namespace: pick one with “Replace subscription link” on the customer page.".into()),
            },
            "double_link" => match self.related_id {
                Some(ns) => Ok(Operation::ReplaceLink { namespace_id: ns, subscription_id: id, version: None }),
                None => Err("No linked namespace to keep was found.".into()),
            },
            "seat_overage" => Err("No change fixes this here: flag it to sales for the true-up.".into()),
            other => Err(format!("Unknown rule {other}.")),
        }
    }

    /// Where the record lives in the console.
    pub fn href(&self) -> String {
        format!("/customers/{}#{}-{}", self.customer_id, self.target_type, self.target_id)
    }
}

/// Open findings per rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleCount {
    pub rule: String,
    pub count: i64,
}

/// The last finished scan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema, sqlx::FromRow))]
pub struct ScanSummary {
    pub finished_at: DateTime<Utc>,
    pub duration_ms: i64,
    pub found: i64,
    pub opened: i64,
    pub resolved: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, related_id: Option<i64>) -> Finding {
        Finding {
            id: Some(1),
            rule: rule.into(),
            target_type: super::rule(rule).unwrap().target_type.into(),
            target_id: 7,
            customer_id: 3,
            customer_name: None,
            record: "x".into(),
            target_label: "x".into(),
            message: String::new(),
            first_seen_at: None,
            related_id,
            version: Some(4),
            flagged_event: None,
        }
    }

    #[test]
    fn every_rule_names_its_fix() {
        let action = |rule: &str, related| finding(rule, related).fix().map(|op| op.action());
        assert_eq!(action("plan_mismatch", None), Ok("namespace.update_plan"));
        assert_eq!(action("stale_paid_plan", None), Ok("namespace.clear_subscription"));
        assert_eq!(action("expired_trial", None), Ok("trial.end"));
        assert_eq!(action("trial_on_paid", None), Ok("trial.end"));
        assert_eq!(action("missing_license", None), Ok("license.issue"));
        assert_eq!(action("double_link", Some(9)), Ok("namespace.replace_link"));
        assert_eq!(action("orphan_subscription", Some(9)), Ok("namespace.replace_link"));
        assert!(action("orphan_subscription", None).is_err(), "no single namespace to link to");
        assert!(action("seat_overage", None).is_err(), "flagged to sales instead");
        // The fix is based on the version the finding saw.
        assert_eq!(
            finding("plan_mismatch", None).fix(),
            Ok(Operation::UpdatePlan { namespace_id: 7, version: Some(4) })
        );
        assert_eq!(finding("plan_mismatch", None).href(), "/customers/3#namespace-7");
    }
}
