//! The customer's records as stored: one struct per table, in column order.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Deployment, InvoiceStatus, LicenseKind, Plan, Product, SubscriptionStatus};

/// The columns of [`Subscription`], in its field order.
pub const SUBSCRIPTION_COLUMNS: &str =
    "id, customer_id, billing_account_id, number, product, deployment, seats, start_date, \
    end_date, status, auto_renew, version";
/// The columns of [`Invoice`], in its field order.
pub const INVOICE_COLUMNS: &str =
    "id, customer_id, billing_account_id, number, amount_cents, currency, status, issued_on, due_on";
/// The columns of [`Namespace`], in its field order.
pub const NAMESPACE_COLUMNS: &str = "id, customer_id, path, name, plan, subscription_id, trial_plan, trial_starts_on, \
    trial_ends_on, trial_extensions_used, trial_extra_days, trial_reactivations, seats_in_use, max_seats_used, compute_minutes_quota, compute_minutes_used, \
    compute_minutes_extra, compute_minutes_trial_extra, storage_used_mib, storage_extra_mib, version";

/// The customer record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub company: String,
    pub country: String,
    pub crm_account_id: Option<String>,
    /// Where it lives at the billing provider, when it is linked.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<crate::billing::BillingLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct BillingAccount {
    pub id: i64,
    pub customer_id: i64,
    pub number: String,
    pub currency: String,
    pub payment_terms: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Subscription {
    pub id: i64,
    pub customer_id: i64,
    pub billing_account_id: i64,
    pub number: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub product: Product,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub deployment: Deployment,
    pub seats: i64,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: SubscriptionStatus,
    pub auto_renew: bool,
    pub version: i64,
    /// Where it lives at the billing provider, when it is linked.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<crate::billing::BillingLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Namespace {
    pub id: i64,
    pub customer_id: i64,
    pub path: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub plan: Plan,
    pub subscription_id: Option<i64>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub trial_plan: Option<Plan>,
    pub trial_starts_on: Option<NaiveDate>,
    pub trial_ends_on: Option<NaiveDate>,
    /// Extensions of its trials, counted across reactivations (what the approval
    /// policy counts).
    pub trial_extensions_used: i64,
    /// Days its trials' extensions added, counted across reactivations.
    pub trial_extra_days: i64,
    /// How many times a trial of it was reactivated.
    pub trial_reactivations: i64,
    pub seats_in_use: i64,
    pub max_seats_used: i64,
    pub compute_minutes_quota: i64,
    pub compute_minutes_used: i64,
    pub compute_minutes_extra: i64,
    pub compute_minutes_trial_extra: i64,
    pub storage_used_mib: i64,
    pub storage_extra_mib: i64,
    pub version: i64,
    /// Its owners on the product side (filled where a page shows them; empty inside
    /// operations).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub owners: Vec<crate::NamespaceOwner>,
}

/// Storage included with every namespace before add-ons, in MiB.
pub const INCLUDED_STORAGE_MIB: i64 = 10 * 1024;

impl Namespace {
    /// Whether a trial is running on `today`.
    pub fn trial_active(&self, today: NaiveDate) -> bool {
        self.trial_plan.is_some() && self.trial_ends_on.is_some_and(|end| end >= today)
    }

    /// Compute minutes available this period.
    pub fn compute_minutes_limit(&self) -> i64 {
        self.compute_minutes_quota + self.compute_minutes_extra + self.compute_minutes_trial_extra
    }

    /// Storage available, in MiB.
    pub fn storage_limit_mib(&self) -> i64 {
        INCLUDED_STORAGE_MIB + self.storage_extra_mib
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct License {
    pub id: i64,
    pub customer_id: i64,
    pub subscription_id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: LicenseKind,
    pub users: i64,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub key: String,
    pub revoked: bool,
    /// Issued with a signed license file (temporary extensions), downloadable.
    pub signed: bool,
}

/// Where a license stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LicenseState {
    Valid,
    Expiring,
    Expired,
    Revoked,
    NotStarted,
}

/// A license is "expiring" within this many days of its end.
pub const EXPIRING_WITHIN_DAYS: i64 = 30;

impl License {
    pub fn state(&self, today: NaiveDate) -> LicenseState {
        if self.revoked {
            LicenseState::Revoked
        } else if self.expires_on < today {
            LicenseState::Expired
        } else if self.starts_on > today {
            LicenseState::NotStarted
        } else if (self.expires_on - today).num_days() <= EXPIRING_WITHIN_DAYS {
            LicenseState::Expiring
        } else {
            LicenseState::Valid
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Invoice {
    pub id: i64,
    pub customer_id: i64,
    pub billing_account_id: i64,
    pub number: String,
    pub amount_cents: i64,
    pub currency: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub status: InvoiceStatus,
    pub issued_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Where it lives at the billing provider, when it is linked.
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<crate::billing::BillingLink>,
}

/// A change for this customer that waits for a lead's approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct PendingApproval {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub action: crate::Action,
    pub reason: String,
    pub requested_by_email: String,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}
