//! The billing provider's side of a record: where it lives there, whether the console's
//! changes have reached it, and the terms of a subscription as the provider is told them.
//!
//! Which system owns which field of a subscription: the provider owns what the customer
//! is billed for (seats, the term's end, auto-renew, status, and a SaaS temporary
//! extension's later end); the console owns everything else (namespaces, trials,
//! add-ons, licenses). The console changes a provider-owned field through its
//! operations, and the change is written through to the provider.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{string_enum, SubscriptionStatus};

string_enum!(
    /// Whether the console's changes to a linked record have reached the provider.
    SyncState { Synced => "synced", Pending => "pending", Failed => "failed" }
);

string_enum!(
    /// A billing provider the console can be connected to.
    Provider { Stripe => "stripe" }
);

impl Provider {
    /// The provider's name as people know it.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Stripe => "Stripe",
        }
    }
}

string_enum!(
    /// A kind of our record that can be linked to the provider's.
    LinkedRecord { Customer => "customer", Subscription => "subscription", Invoice => "invoice" }
);

/// A linked record's place at the billing provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BillingLink {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub provider: Provider,
    /// The provider's id of the record.
    pub id: String,
    /// `synced`, `pending` or `failed`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub sync: SyncState,
    /// When the provider last confirmed the console's values.
    pub synced_at: Option<DateTime<Utc>>,
    /// Why the last delivery failed, while it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When a failed delivery is tried again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_retry_at: Option<DateTime<Utc>>,
}

/// How one change stands with the provider (on the timeline, beside its event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangeSync {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub sync: SyncState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_retry_at: Option<DateTime<Utc>>,
}

/// A subscription's provider-owned fields as the console has them: what a write-through
/// sends. Absolute values, so delivering one twice changes nothing the second time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionTerms {
    pub seats: i64,
    /// The term's end: at the provider, the next billing date.
    pub end_date: NaiveDate,
    pub auto_renew: bool,
    pub status: SubscriptionStatus,
}

impl SubscriptionTerms {
    /// Whether the provider should still bill it.
    pub fn billed(&self) -> bool {
        match self.status {
            SubscriptionStatus::Active => true,
            SubscriptionStatus::Expired | SubscriptionStatus::Cancelled => false,
        }
    }
}

/// The console's end date as the provider expresses it. The provider has no end date:
/// a subscription bills again at its current period's end, and a trial end set later
/// than that pushes the next billing date. So the end date is the period's end, or a
/// trial end where the console's end is later (a temporary extension, a term that is
/// not a whole number of periods). `None`: nothing to set.
pub fn trial_end_for(
    end_date: NaiveDate,
    period_end: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    (end_date != period_end && end_date > today).then_some(end_date)
}

/// The next billing date the provider shows: a trial end, when it is later than the
/// current period's end, else the period's end.
pub fn provider_end(period_end: NaiveDate, trial_end: Option<NaiveDate>) -> NaiveDate {
    trial_end.filter(|t| *t > period_end).unwrap_or(period_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_end_date_is_a_period_end_or_a_later_trial_end() {
        let today = d("2026-12-06");
        assert_eq!(trial_end_for(d("2027-06-01"), d("2027-06-01"), today), None);
        assert_eq!(trial_end_for(d("2027-06-21"), d("2027-06-01"), today), Some(d("2027-06-21")));
        assert_eq!(trial_end_for(d("2026-01-01"), d("2027-06-01"), today), None, "past");
        assert_eq!(provider_end(d("2027-06-01"), Some(d("2027-06-21"))), d("2027-06-21"));
        assert_eq!(provider_end(d("2027-06-01"), Some(d("2027-05-01"))), d("2027-06-01"));
        assert_eq!(provider_end(d("2027-06-01"), None), d("2027-06-01"));
        for end in [d("2027-06-21"), d("2027-06-01")] {
            let period = d("2027-06-01");
            assert_eq!(provider_end(period, trial_end_for(end, period, today)), end);
        }
    }
}
