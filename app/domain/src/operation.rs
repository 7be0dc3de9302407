use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Permission;

/// One operation with its parameters. `version`, where present, is the version of the
/// record the caller looked at: a change based on an older one is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "action")]
pub enum Operation {
    /// Inline subscription edit: any of seats, end date, auto-renew, status.
    #[serde(rename = "subscription.edit")]
    EditSubscription {
        subscription_id: i64,
        version: i64,
        #[serde(default)]
        seats: Option<i64>,
        #[serde(default)]
        end_date: Option<NaiveDate>,
        #[serde(default)]
        auto_renew: Option<bool>,
        #[serde(default)]
        status: Option<String>,
    },
    /// Set the namespace's plan from its linked subscription's product.
    #[serde(rename = "namespace.update_plan")]
    UpdatePlan {
        namespace_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Link `subscription_id` to this namespace, unlinking it from wherever it was.
    #[serde(rename = "namespace.replace_link")]
    ReplaceLink {
        namespace_id: i64,
        subscription_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Unlink the namespace's subscription; the namespace drops to free.
    #[serde(rename = "namespace.clear_subscription")]
    ClearSubscription {
        namespace_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    #[serde(rename = "trial.extend")]
    ExtendTrial {
        namespace_id: i64,
        days: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Restart an ended trial from today, on its old plan or `plan`.
    #[serde(rename = "trial.reactivate")]
    ReactivateTrial {
        namespace_id: i64,
        #[serde(default)]
        plan: Option<String>,
        #[serde(default)]
        version: Option<i64>,
    },
    #[serde(rename = "trial.change_plan")]
    ChangeTrialPlan {
        namespace_id: i64,
        plan: String,
        #[serde(default)]
        version: Option<i64>,
    },
    #[serde(rename = "trial.end")]
    EndTrial {
        namespace_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Add (or take back, when negative) compute minutes; `kind` is `permanent` or `trial_only`.
    #[serde(rename = "namespace.compute_minutes")]
    ComputeMinutes {
        namespace_id: i64,
        delta: i64,
        kind: String,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Add (or take back, when negative) storage, in MiB.
    #[serde(rename = "namespace.storage")]
    Storage {
        namespace_id: i64,
        delta_mib: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Set max seats used back to the seats in use now (a waiver of the difference).
    #[serde(rename = "namespace.reset_max_seats")]
    ResetMaxSeats {
        namespace_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// A temporary extension (the sales wizard): a signed temporary license for a
    /// self-managed subscription, a later end date for a SaaS one. Its dates and the
    /// eligibility window count from the day it is asked for, which the server decides
    /// (today, or an approved request's filing day): no client can name it.
    #[serde(rename = "extension.issue")]
    TemporaryExtension { subscription_id: i64, days: i64, users_count: i64, opportunity_id: String },
    /// Issue the standard license an active self-managed subscription is missing:
    /// its seats, from today to the subscription's end date.
    #[serde(rename = "license.issue")]
    IssueLicense {
        subscription_id: i64,
        #[serde(default)]
        version: Option<i64>,
    },
    /// Revert a reversible operation, recorded as a new compensating change.
    #[serde(rename = "undo")]
    Undo { event_id: i64 },
}

impl Operation {
    /// The action name recorded on the timeline.
    pub fn action(&self) -> &'static str {
        match self {
            Operation::EditSubscription { .. } => "subscription.edit",
            Operation::UpdatePlan { .. } => "namespace.update_plan",
            Operation::ReplaceLink { .. } => "namespace.replace_link",
            Operation::ClearSubscription { .. } => "namespace.clear_subscription",
            Operation::ExtendTrial { .. } => "trial.extend",
            Operation::ReactivateTrial { .. } => "trial.reactivate",
            Operation::ChangeTrialPlan { .. } => "trial.change_plan",
            Operation::EndTrial { .. } => "trial.end",
            Operation::ComputeMinutes { .. } => "namespace.compute_minutes",
            Operation::Storage { .. } => "namespace.storage",
            Operation::ResetMaxSeats { .. } => "namespace.reset_max_seats",
            Operation::TemporaryExtension { .. } => "extension.issue",
            Operation::IssueLicense { .. } => "license.issue",
            Operation::Undo { .. } => "undo",
        }
    }

    /// The namespace it changes, if it changes one (whose owners may ask for it).
    pub fn namespace_id(&self) -> Option<i64> {
        match self {
            Operation::UpdatePlan { namespace_id, .. }
            | Operation::ReplaceLink { namespace_id, .. }
            | Operation::ClearSubscription { namespace_id, .. }
            | Operation::ExtendTrial { namespace_id, .. }
            | Operation::ReactivateTrial { namespace_id, .. }
            | Operation::ChangeTrialPlan { namespace_id, .. }
            | Operation::EndTrial { namespace_id, .. }
            | Operation::ComputeMinutes { namespace_id, .. }
            | Operation::Storage { namespace_id, .. }
            | Operation::ResetMaxSeats { namespace_id, .. } => Some(*namespace_id),
            _ => None,
        }
    }

    /// A short human title.
    pub fn title(&self) -> &'static str {
        title_of(self.action())
    }

    /// What the caller's role must hold (undo is checked against the undone action).
    pub fn permission(&self) -> Permission {
        permission_of(self.action())
    }
}

/// Human title of an action name.
pub fn title_of(action: &str) -> &'static str {
    crate::action_label(action)
}

/// The permission an action needs.
pub fn permission_of(action: &str) -> Permission {
    match action {
        "subscription.edit" => Permission::EditSeatsAndDates,
        "trial.extend" => Permission::ExtendTrials,
        "trial.reactivate" | "trial.change_plan" | "trial.end" => Permission::TrialControls,
        "namespace.compute_minutes" | "namespace.storage" => Permission::Grants,
        "namespace.reset_max_seats" => Permission::SeatWaivers,
        "extension.issue" => Permission::ExtensionWizard,
        "license.issue" => Permission::IntegrityFixes,
        // Checked against the undone action once the event is loaded.
        "undo" => Permission::ViewAll,
        _ => Permission::NamespaceControls,
    }
}

/// Actions that can be reverted by an undo.
pub const REVERSIBLE: &[&str] = &[
    "subscription.edit",
    "namespace.update_plan",
    "namespace.clear_subscription",
    "trial.extend",
    "trial.reactivate",
    "trial.change_plan",
    "trial.end",
    "namespace.compute_minutes",
    "namespace.storage",
    "namespace.reset_max_seats",
];

/// An operation with the reason and ticket every change carries, and the email of the
/// person who asked for it (`requester`; required of support staff).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpRequest {
    pub op: Operation,
    pub reason: String,
    #[serde(default)]
    pub ticket_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requester: Option<String>,
    /// The integrity finding this change fixes: nobody asked for it, so it needs no
    /// requester and is recorded as `proactive` (the server checks that the finding is
    /// open and that this is its fix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finding_id: Option<i64>,
}

impl OpRequest {
    /// A change asked for by `requester` (an email), with its reason and ticket.
    pub fn asked(
        op: Operation,
        reason: String,
        ticket_url: Option<String>,
        requester: Option<String>,
    ) -> OpRequest {
        OpRequest { op, reason, ticket_url, requester, finding_id: None }
    }

    /// The fix of integrity finding `finding_id`, which nobody asked for.
    pub fn fix(
        op: Operation,
        finding_id: i64,
        reason: String,
        ticket_url: Option<String>,
    ) -> OpRequest {
        OpRequest { op, reason, ticket_url, requester: None, finding_id: Some(finding_id) }
    }

    /// The operation alone: what a preview needs.
    pub fn preview(op: Operation) -> OpRequest {
        OpRequest::asked(op, String::new(), None, None)
    }
}

/// The fields whose values differ between two versions of one record, as JSON
/// `(field, before, after)`, in field-name order, leaving out `skip`.
pub fn changed_fields<T: Serialize>(
    before: &T,
    after: &T,
    skip: &[&str],
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) =
        (serde_json::to_value(before), serde_json::to_value(after))
    else {
        return Vec::new();
    };
    a.into_iter()
        .filter(|(field, _)| !skip.contains(&field.as_str()))
        .filter_map(|(field, old)| {
            let new = b.get(&field).cloned().unwrap_or(serde_json::Value::Null);
            (old != new).then_some((field, old, new))
        })
        .collect()
}

/// One field of one record, before → after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Change {
    /// The record, as people name it (a namespace path, a subscription number).
    pub record: String,
    pub field: String,
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::any_value))]
    pub before: serde_json::Value,
    #[cfg_attr(feature = "ssr", schema(schema_with = crate::any_value))]
    pub after: serde_json::Value,
}

/// What an operation would change, computed against the current records.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Preview {
    pub action: String,
    pub title: String,
    pub target_type: String,
    pub target_id: i64,
    pub customer_id: i64,
    pub changes: Vec<Change>,
    /// Why this needs an approval, when it does.
    pub approval: Option<String>,
}

/// What happened to a submitted operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Applied now; `event_id` is its activity event.
    Applied { event_id: i64, preview: Preview },
    /// Filed for approval; nothing changed yet.
    PendingApproval { approval_id: i64, preview: Preview },
}

impl Outcome {
    pub fn preview(&self) -> &Preview {
        match self {
            Outcome::Applied { preview, .. } | Outcome::PendingApproval { preview, .. } => preview,
        }
    }
}
