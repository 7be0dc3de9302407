use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{Deployment, LicenseKind, Preview, Product, RenewalKind, Subscription};

/// A temporary extension as the wizard and `POST /api/v1/extensions` submit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtensionRequest {
    pub subscription_id: i64,
    /// Days to extend by: up to 21 within policy, up to 30 with a lead's approval.
    pub days: i64,
    /// Users the temporary license allows (self-managed; recorded for SaaS).
    pub users_count: i64,
    pub reason: String,
    /// The CRM opportunity of the renewal this extension bridges.
    pub opportunity_id: String,
    #[serde(default)]
    pub ticket_url: Option<String>,
    /// Email of the person at the customer who asked, if someone did.
    #[serde(default)]
    pub requester: Option<String>,
}

/// One eligibility rule, checked against one subscription on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RuleCheck {
    /// `status`, `not_trial`, `window` or `once_per_term`.
    pub rule: String,
    /// The rule in plain words.
    pub label: String,
    pub passed: bool,
    /// What was found.
    pub detail: String,
    /// What to do instead, when the rule fails.
    pub instead: Option<String>,
}

/// The license a self-managed subscription runs on now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct CurrentLicense {
    pub id: i64,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: LicenseKind,
    pub users: i64,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
}

/// An earlier temporary extension of the same subscription term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriorExtension {
    pub issued_on: NaiveDate,
    pub new_end: NaiveDate,
}

/// Everything the eligibility rules and the review look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ExtensionFacts {
    pub customer_name: String,
    pub subscription: Subscription,
    /// Self-managed: the newest license that is not revoked.
    pub license: Option<CurrentLicense>,
    /// SaaS: the linked namespace's path when it runs a trial now.
    pub trial_namespace: Option<String>,
    /// SaaS: seats in use over the linked namespaces (`None` for self-managed).
    pub seats_in_use: Option<i64>,
    pub prior: Option<PriorExtension>,
}

/// A subscription's eligibility, rule by rule, on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Eligibility {
    pub facts: ExtensionFacts,
    pub on: NaiveDate,
    pub rules: Vec<RuleCheck>,
    pub eligible: bool,
    /// The users count the wizard suggests: the larger of seats and seats in use.
    pub suggested_users: i64,
}

/// A temporary license as issued: its fields and the signed text to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct IssuedLicense {
    pub id: i64,
    pub subscription_id: i64,
    pub customer_id: i64,
    pub users: i64,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
    /// The license key (its short identifier).
    pub key: String,
    /// The signed license file.
    pub certificate: String,
}

/// What happened to a submitted extension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ExtensionOutcome {
    /// Issued now: a license (self-managed) or a new end date (SaaS).
    Issued {
        event_id: i64,
        subscription_id: i64,
        new_end: NaiveDate,
        license: Option<IssuedLicense>,
        preview: Preview,
    },
    /// Waiting for a lead's approval; nothing issued yet.
    PendingApproval { approval_id: i64, preview: Preview },
}

/// One row of the renewal watchlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Renewal {
    /// `subscription_ending` or `extension_expiring`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: RenewalKind,
    pub subscription_id: i64,
    pub number: String,
    pub customer_id: i64,
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub product: Product,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub deployment: Deployment,
    pub seats: i64,
    /// The day it ends: the subscription's end date or the extension's new end.
    pub ends_on: NaiveDate,
    pub days_left: i64,
    pub auto_renew: bool,
}

/// The watchlist: ending subscriptions and expiring extensions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Watchlist {
    pub on: NaiveDate,
    pub within_days: i64,
    pub renewals: Vec<Renewal>,
    /// Rows beyond the first page (the list shows the most urgent first).
    pub more: i64,
}

/// What `license verify` reports: the signed fields of a license whose signature holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenseFields {
    pub license_id: i64,
    pub key: String,
    pub kind: String,
    pub customer_id: i64,
    pub customer: String,
    pub subscription: String,
    pub product: String,
    pub users: i64,
    pub starts_on: NaiveDate,
    pub expires_on: NaiveDate,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub issued_by: String,
}

/// The file name a license downloads as.
pub fn file_name(license: &IssuedLicense) -> String {
    format!("license-{}-{}.txt", license.key, license.expires_on)
}
