use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Action, Permission, TargetType};

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
    /// Send the console's value of `field` to the billing system, where the two
    /// disagree (an open drift record): the subscription's terms are written through.
    #[serde(rename = "subscription.send_to_billing")]
    SendToBilling {
        subscription_id: i64,
        /// `seats`, `end_date`, `auto_renew` or `status`.
        #[cfg_attr(feature = "ssr", schema(value_type = String))]
        field: crate::drift::BillingField,
    },
    /// Set an invoice's status or amount. The billing system owns a linked invoice: only
    /// its own values, applied by reconciliation, change one.
    #[serde(rename = "invoice.edit")]
    EditInvoice {
        invoice_id: i64,
        /// `paid`, `open`, `overdue` or `void`.
        #[serde(default)]
        status: Option<String>,
        #[serde(default)]
        amount_cents: Option<i64>,
    },
    /// Record an invoice issued outside the console on one of the customer's billing
    /// accounts. Reconciliation records the billing system's invoices this way, each
    /// linked to the provider's (`provider_id`, which only the billing system may set).
    #[serde(rename = "invoice.record")]
    RecordInvoice {
        billing_account_id: i64,
        number: String,
        amount_cents: i64,
        /// `USD`, `EUR`, `GBP`, `JPY`, `AUD` or `CAD`.
        currency: String,
        /// `paid`, `open`, `overdue` or `void`.
        status: String,
        issued_on: NaiveDate,
        due_on: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider_id: Option<String>,
    },
    /// Revert a reversible operation, recorded as a new compensating change.
    #[serde(rename = "undo")]
    Undo { event_id: i64 },
}

impl Operation {
    /// The action recorded on the timeline.
    pub fn action(&self) -> Action {
        match self {
            Operation::EditSubscription { .. } => Action::EditSubscription,
            Operation::UpdatePlan { .. } => Action::UpdatePlan,
            Operation::ReplaceLink { .. } => Action::ReplaceLink,
            Operation::ClearSubscription { .. } => Action::ClearSubscription,
            Operation::ExtendTrial { .. } => Action::ExtendTrial,
            Operation::ReactivateTrial { .. } => Action::ReactivateTrial,
            Operation::ChangeTrialPlan { .. } => Action::ChangeTrialPlan,
            Operation::EndTrial { .. } => Action::EndTrial,
            Operation::ComputeMinutes { .. } => Action::ComputeMinutes,
            Operation::Storage { .. } => Action::Storage,
            Operation::ResetMaxSeats { .. } => Action::ResetMaxSeats,
            Operation::TemporaryExtension { .. } => Action::IssueExtension,
            Operation::IssueLicense { .. } => Action::IssueLicense,
            Operation::SendToBilling { .. } => Action::SendToBilling,
            Operation::EditInvoice { .. } => Action::EditInvoice,
            Operation::RecordInvoice { .. } => Action::RecordInvoice,
            Operation::Undo { .. } => Action::Undo,
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
            Operation::EditSubscription { .. }
            | Operation::TemporaryExtension { .. }
            | Operation::IssueLicense { .. }
            | Operation::SendToBilling { .. }
            | Operation::EditInvoice { .. }
            | Operation::RecordInvoice { .. }
            | Operation::Undo { .. } => None,
        }
    }

    /// A short human title.
    pub fn title(&self) -> &'static str {
        self.action().label()
    }

    /// What the caller's role must hold (an undo is checked again, once the event is
    /// loaded, as the change it makes: [`crate::undo_policy`]).
    pub fn permission(&self) -> Permission {
        match self {
            Operation::EditSubscription { .. } => Permission::EditSeatsAndDates,
            Operation::UpdatePlan { .. }
            | Operation::ReplaceLink { .. }
            | Operation::ClearSubscription { .. } => Permission::NamespaceControls,
            Operation::ExtendTrial { .. } => Permission::ExtendTrials,
            Operation::ReactivateTrial { .. }
            | Operation::ChangeTrialPlan { .. }
            | Operation::EndTrial { .. } => Permission::TrialControls,
            Operation::ComputeMinutes { .. } | Operation::Storage { .. } => Permission::Grants,
            Operation::ResetMaxSeats { .. } => Permission::SeatWaivers,
            Operation::TemporaryExtension { .. } => Permission::ExtensionWizard,
            Operation::IssueLicense { .. } | Operation::SendToBilling { .. } => {
                Permission::IntegrityFixes
            }
            Operation::EditInvoice { .. } | Operation::RecordInvoice { .. } => Permission::Invoices,
            Operation::Undo { .. } => Permission::ViewAll,
        }
    }
}

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
    /// The billing drift this change settles (taking the provider's value, or sending
    /// the console's): the server checks that the drift is open and on the record this
    /// changes, and the change's event clears it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_id: Option<i64>,
}

impl OpRequest {
    /// A change asked for by `requester` (an email), with its reason and ticket.
    pub fn asked(
        op: Operation,
        reason: String,
        ticket_url: Option<String>,
        requester: Option<String>,
    ) -> OpRequest {
        OpRequest { op, reason, ticket_url, requester, finding_id: None, drift_id: None }
    }

    /// The fix of integrity finding `finding_id`, which nobody asked for.
    pub fn fix(
        op: Operation,
        finding_id: i64,
        reason: String,
        ticket_url: Option<String>,
    ) -> OpRequest {
        OpRequest {
            op,
            reason,
            ticket_url,
            requester: None,
            finding_id: Some(finding_id),
            drift_id: None,
        }
    }

    /// The same request, settling billing drift `drift_id` (when given).
    pub fn settling(self, drift_id: Option<i64>) -> OpRequest {
        OpRequest { drift_id, ..self }
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
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub action: Action,
    pub title: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub target_type: TargetType,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// One operation of each kind.
    fn every_kind() -> Vec<Operation> {
        let ns = 1;
        vec![
            Operation::EditSubscription {
                subscription_id: 1,
                version: 1,
                seats: Some(2),
                end_date: None,
                auto_renew: None,
                status: None,
            },
            Operation::UpdatePlan { namespace_id: ns, version: None },
            Operation::ReplaceLink { namespace_id: ns, subscription_id: 1, version: None },
            Operation::ClearSubscription { namespace_id: ns, version: None },
            Operation::ExtendTrial { namespace_id: ns, days: 7, version: None },
            Operation::ReactivateTrial { namespace_id: ns, plan: None, version: None },
            Operation::ChangeTrialPlan { namespace_id: ns, plan: "premium".into(), version: None },
            Operation::EndTrial { namespace_id: ns, version: None },
            Operation::ComputeMinutes {
                namespace_id: ns,
                delta: 10,
                kind: "permanent".into(),
                version: None,
            },
            Operation::Storage { namespace_id: ns, delta_mib: 10, version: None },
            Operation::ResetMaxSeats { namespace_id: ns, version: None },
            Operation::TemporaryExtension {
                subscription_id: 1,
                days: 7,
                users_count: 1,
                opportunity_id: "OPP-1".into(),
            },
            Operation::IssueLicense { subscription_id: 1, version: None },
            Operation::Undo { event_id: 1 },
        ]
    }

    #[test]
    fn the_wire_tag_is_the_recorded_action() {
        for op in every_kind() {
            let json = serde_json::to_value(&op).unwrap();
            assert_eq!(json["action"], op.action().as_str(), "{op:?}");
            assert!(op.action().changes_commercial_state(), "{op:?}");
            assert_eq!(serde_json::from_value::<Operation>(json).unwrap(), op);
        }
    }
}
