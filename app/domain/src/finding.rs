//! Integrity rules and what they find: records in states that should not exist.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{string_enum, Operation, TargetType};

string_enum!(
    /// An integrity rule: a state records should never be in.
    Rule {
        PlanMismatch => "plan_mismatch",
        OrphanSubscription => "orphan_subscription",
        StalePaidPlan => "stale_paid_plan",
        DoubleLink => "double_link",
        ExpiredTrial => "expired_trial",
        MissingLicense => "missing_license",
        SeatOverage => "seat_overage",
        TrialOnPaid => "trial_on_paid",
        BillingDrift => "billing_drift",
    }
);

impl Rule {
    /// What is wrong, as a short heading.
    pub fn title(self) -> &'static str {
        match self {
            Rule::PlanMismatch => "Plan differs from subscription",
            Rule::OrphanSubscription => "Subscription linked to no namespace",
            Rule::StalePaidPlan => "Paid plan on an ended subscription",
            Rule::DoubleLink => "Subscription linked twice",
            Rule::ExpiredTrial => "Trial over, plan kept",
            Rule::MissingLicense => "No current license",
            Rule::SeatOverage => "More seats used than bought",
            Rule::TrialOnPaid => "Trial on a paid subscription",
            Rule::BillingDrift => "Billing system disagrees",
        }
    }

    /// What kind of record a finding points at.
    pub fn target_type(self) -> TargetType {
        match self {
            Rule::OrphanSubscription
            | Rule::DoubleLink
            | Rule::MissingLicense
            | Rule::BillingDrift => TargetType::Subscription,
            Rule::PlanMismatch
            | Rule::StalePaidPlan
            | Rule::ExpiredTrial
            | Rule::SeatOverage
            | Rule::TrialOnPaid => TargetType::Namespace,
        }
    }

    /// What the fix does, or how the finding is handled when no operation fixes it.
    pub fn fix_words(self) -> &'static str {
        match self {
            Rule::PlanMismatch => "Update plan",
            Rule::OrphanSubscription => "Link to a namespace (lead approval)",
            Rule::StalePaidPlan => "Clear subscription",
            Rule::DoubleLink => "Keep one link (lead approval)",
            Rule::ExpiredTrial | Rule::TrialOnPaid => "End trial",
            Rule::MissingLicense => "Issue license",
            Rule::SeatOverage => "Flag to sales",
            Rule::BillingDrift => "Take or send the value (Drift page)",
        }
    }
}

/// One unexpected state, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Finding {
    /// The stored finding's id (what `POST integrity/fix` takes); absent for a state
    /// seen on a customer page before the scan stored it.
    pub id: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rule: Rule,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_type: TargetType,
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
        match self.rule {
            Rule::PlanMismatch => Ok(Operation::UpdatePlan { namespace_id: id, version }),
            Rule::StalePaidPlan => Ok(Operation::ClearSubscription { namespace_id: id, version }),
            Rule::ExpiredTrial | Rule::TrialOnPaid => Ok(Operation::EndTrial { namespace_id: id, version }),
            Rule::MissingLicense => Ok(Operation::IssueLicense { subscription_id: id, version }),
            Rule::OrphanSubscription => match self.related_id {
                Some(ns) => Ok(Operation::ReplaceLink { namespace_id: ns, subscription_id: id, version: None }),
                None => Err("The customer has no single unlinked namespace: pick one with “Replace subscription link” on the customer page.".into()),
            },
            Rule::DoubleLink => match self.related_id {
                Some(ns) => Ok(Operation::ReplaceLink { namespace_id: ns, subscription_id: id, version: None }),
                None => Err("No linked namespace to keep was found.".into()),
            },
            Rule::SeatOverage => Err("No change fixes this here: flag it to sales for the true-up.".into()),
            Rule::BillingDrift => Err("Choose which side is right on the Drift page: take the billing system's value, or send the console's.".into()),
        }
    }

    /// Where a finding that no single operation fixes is handled, when that is a page
    /// of its own: billing drift on the Drift page, narrowed to the customer.
    pub fn handled_at(&self) -> Option<String> {
        match self.rule {
            Rule::BillingDrift => Some(format!("/drift?customer_id={}", self.customer_id)),
            Rule::PlanMismatch
            | Rule::OrphanSubscription
            | Rule::StalePaidPlan
            | Rule::DoubleLink
            | Rule::ExpiredTrial
            | Rule::MissingLicense
            | Rule::SeatOverage
            | Rule::TrialOnPaid => None,
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
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub rule: Rule,
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
    use crate::Action;

    fn finding(rule: Rule, related_id: Option<i64>) -> Finding {
        Finding {
            id: Some(1),
            rule,
            target_type: rule.target_type(),
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
        let action = |rule, related| finding(rule, related).fix().map(|op| op.action());
        assert_eq!(action(Rule::PlanMismatch, None), Ok(Action::UpdatePlan));
        assert_eq!(action(Rule::StalePaidPlan, None), Ok(Action::ClearSubscription));
        assert_eq!(action(Rule::ExpiredTrial, None), Ok(Action::EndTrial));
        assert_eq!(action(Rule::TrialOnPaid, None), Ok(Action::EndTrial));
        assert_eq!(action(Rule::MissingLicense, None), Ok(Action::IssueLicense));
        assert_eq!(action(Rule::DoubleLink, Some(9)), Ok(Action::ReplaceLink));
        assert_eq!(action(Rule::OrphanSubscription, Some(9)), Ok(Action::ReplaceLink));
        assert!(action(Rule::OrphanSubscription, None).is_err(), "no single namespace to link to");
        assert!(action(Rule::SeatOverage, None).is_err(), "flagged to sales instead");
        assert!(action(Rule::BillingDrift, None).is_err(), "fixed on the Drift page");
        assert_eq!(
            finding(Rule::BillingDrift, None).handled_at().as_deref(),
            Some("/drift?customer_id=3")
        );
        // The fix is based on the version the finding saw.
        assert_eq!(
            finding(Rule::PlanMismatch, None).fix(),
            Ok(Operation::UpdatePlan { namespace_id: 7, version: Some(4) })
        );
        assert_eq!(finding(Rule::PlanMismatch, None).href(), "/customers/3#namespace-7");
    }
}
