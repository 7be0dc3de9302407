use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::audit::ActivityEvent;
use crate::domain::{
    BillingAccount, Contact, Customer, Invoice, License, Namespace, PendingApproval, Subscription,
};
use crate::domain::{Finding, Note};

/// Everything about one customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CustomerView {
    #[serde(flatten)]
    pub customer: Customer,
    /// The day the view was computed for (renewals, trials and licenses are relative to it).
    pub today: NaiveDate,
    /// The people who may ask for changes: owner, billing and technical contacts.
    pub contacts: Vec<Contact>,
    pub billing_accounts: Vec<BillingAccount>,
    pub subscriptions: Vec<Subscription>,
    pub namespaces: Vec<Namespace>,
    pub licenses: Vec<License>,
    pub invoices: Vec<Invoice>,
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub findings: Vec<Finding>,
    /// The newest events (see `activity_cursor` for the rest).
    pub activity: Vec<ActivityEvent>,
    /// `cursor` for `GET /api/v1/activity?customer_id=` continuing below `activity`.
    pub activity_cursor: Option<String>,
    /// Requests for this customer still waiting for a decision.
    pub pending_approvals: Vec<PendingApproval>,
    /// Internal notes: open ones first (pinned first), then resolved.
    pub notes: Vec<Note>,
    /// With a billing provider: each linked subscription's shared fields on both sides,
    /// the provider's as last seen, with the drift open on each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub billing_system: Vec<crate::domain::drift::LinkedSide>,
}

impl CustomerView {
    /// Seats in use on a subscription: the sum over the namespaces linked to it.
    pub fn seats_in_use(&self, subscription_id: i64) -> Option<i64> {
        let linked: Vec<&Namespace> =
            self.namespaces.iter().filter(|n| n.subscription_id == Some(subscription_id)).collect();
        (!linked.is_empty()).then(|| linked.iter().map(|n| n.seats_in_use).sum())
    }

    /// Who may ask for changes to this customer, for the forms' verdicts.
    pub fn known_requesters(&self) -> crate::ops::ui::KnownRequesters {
        crate::ops::ui::KnownRequesters {
            contacts: self.contacts.clone(),
            owners: self.namespaces.iter().map(|n| (n.id, n.owners.clone())).collect(),
        }
    }

    pub fn subscription(&self, id: i64) -> Option<&Subscription> {
        self.subscriptions.iter().find(|s| s.id == id)
    }
}
