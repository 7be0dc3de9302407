//! Drift: a record and field on which the console and the billing provider disagree and
//! that neither side settles on its own. The reconciliation (a webhook's hint, the
//! scheduled sweep) applies the provider's values where it may; everything else it
//! finds becomes a drift record, open until the two sides agree again.
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub mod invoice;

use crate::billing::{LinkedRecord, SubscriptionTerms};
use crate::{string_enum, SubscriptionStatus};

string_enum!(
    /// A field the console and the provider both hold (`record`: the record itself,
    /// when only one side has it).
    BillingField {
        Seats => "seats",
        EndDate => "end_date",
        AutoRenew => "auto_renew",
        Status => "status",
        Product => "product",
        Amount => "amount",
        Record => "record",
    }
);

impl BillingField {
    /// The field as the console's pages name it.
    pub fn label(self) -> &'static str {
        match self {
            BillingField::Seats => "Seats",
            BillingField::EndDate => "End date",
            BillingField::AutoRenew => "Auto-renew",
            BillingField::Status => "Status",
            BillingField::Product => "Product",
            BillingField::Amount => "Amount",
            BillingField::Record => "Record",
        }
    }

    /// Whether the provider owns the field (its value wins when nothing is waiting to
    /// be delivered); the console owns the others.
    pub fn provider_owned(self) -> bool {
        match self {
            BillingField::Seats
            | BillingField::EndDate
            | BillingField::AutoRenew
            | BillingField::Status
            | BillingField::Amount => true,
            BillingField::Product | BillingField::Record => false,
        }
    }
}

string_enum!(
    /// Why a disagreement is drift rather than something the sweep applied.
    DriftKind {
        DeliveryFailing => "delivery_failing",
        RulesRefuse => "rules_refuse",
        ConsoleOwned => "console_owned",
        OnlyAtProvider => "only_at_provider",
        MissingAtProvider => "missing_at_provider",
    }
);

impl DriftKind {
    /// The kind in words.
    pub fn label(self) -> &'static str {
        match self {
            DriftKind::DeliveryFailing => "Console change not accepted",
            DriftKind::RulesRefuse => "Provider value breaks a console rule",
            DriftKind::ConsoleOwned => "Console-owned field changed at the provider",
            DriftKind::OnlyAtProvider => "Only at the provider",
            DriftKind::MissingAtProvider => "Missing at the provider",
        }
    }
}

string_enum!(
    /// Which side's value a fix keeps.
    DriftSide { Provider => "provider", Console => "console" }
);

/// One open (or cleared) drift record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Drift {
    pub id: i64,
    /// The customer, where the console knows the record.
    pub customer_id: Option<i64>,
    pub customer_name: Option<String>,
    /// The record as people name it (a subscription's number, or the provider's id of
    /// a record only the provider has).
    pub record: String,
    /// The same label under the name the timeline's events use.
    pub target_label: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub record_type: LinkedRecord,
    /// Our id of the record (`None`: only the provider has it).
    pub record_id: Option<i64>,
    /// The record's version now (what an edit that takes the provider's value names).
    #[serde(default)]
    pub record_version: Option<i64>,
    /// The provider's id of the record.
    pub provider_id: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub field: BillingField,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: DriftKind,
    pub console_value: Option<String>,
    pub provider_value: Option<String>,
    /// What stopped it settling: the rule the provider's value breaks, the provider's
    /// answer to the console's change.
    pub detail: String,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleared_at: Option<DateTime<Utc>>,
}

/// A page of open drift, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriftPage {
    pub drift: Vec<Drift>,
    /// Pass as `cursor` for the next page; `None` on the last.
    pub next_cursor: Option<String>,
    /// Open drift counted by field and kind, over the whole filter.
    #[serde(default)]
    pub counts: Vec<DriftCount>,
}

/// Open drift of one field and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriftCount {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub field: BillingField,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: DriftKind,
    pub count: i64,
}

/// `POST /api/v1/drift/{id}/resolve`: which side's value to keep, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DriftResolve {
    /// `provider`: the console takes the provider's value; `console`: the console's
    /// value is sent to the provider.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub take: DriftSide,
    pub reason: String,
    #[serde(default)]
    pub ticket_url: Option<String>,
    #[serde(default)]
    pub requester: Option<String>,
}

impl Drift {
    /// The edit of our subscription that takes the provider's value of this drift's
    /// field, at `version`; why not, naming the field `take`.
    pub fn provider_edit(&self, version: i64) -> Result<crate::Operation, String> {
        let not = |why: &str| Err(why.to_string());
        let (Some(id), Some(value)) = (self.record_id, self.provider_value.as_deref()) else {
            return not("Only one side has this record: there is no value to take.");
        };
        if self.record_type != LinkedRecord::Subscription || !self.field.provider_owned() {
            return not("The console owns this field: send the console's value instead.");
        }
        let bad = || format!("The provider's value \"{value}\" cannot be read.");
        let pick = |f: BillingField| (self.field == f).then_some(value);
        Ok(crate::Operation::EditSubscription {
            subscription_id: id,
            version,
            seats: pick(BillingField::Seats).map(str::parse).transpose().map_err(|_| bad())?,
            end_date: pick(BillingField::EndDate).map(str::parse).transpose().map_err(|_| bad())?,
            auto_renew: pick(BillingField::AutoRenew)
                .map(str::parse)
                .transpose()
                .map_err(|_| bad())?,
            status: pick(BillingField::Status).map(str::to_string),
        })
    }
}

/// One linked record on the customer page: each field the two systems share, side by
/// side, with the drift open on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedSide {
    #[serde(flatten)]
    pub link: crate::billing::BillingLink,
    pub record_type: LinkedRecord,
    pub record_id: i64,
    pub label: String,
    /// When the provider's values were last seen (`None`: not since linking).
    pub provider_seen_at: Option<DateTime<Utc>>,
    pub fields: Vec<SideBySide>,
}

/// One field on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideBySide {
    pub field: BillingField,
    pub console: String,
    pub provider: Option<String>,
    /// Open drift on the field: its kind and since when.
    pub drift: Option<(DriftKind, DateTime<Utc>)>,
}

/// A subscription as the provider has it, in the console's terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSubscription {
    pub seats: i64,
    /// The next billing date (see [`crate::billing::provider_end`]).
    pub end_date: NaiveDate,
    pub auto_renew: bool,
    /// Whether it still bills (not canceled).
    pub billed: bool,
    /// The provider's plan: names the product and deployment.
    pub plan: String,
}

impl ProviderSubscription {
    /// Each shared field's value as text, in the order the pages list them.
    pub fn values(&self) -> Vec<(BillingField, String)> {
        let mut out = vec![(BillingField::Status, self.status().to_string())];
        if self.billed {
            out.push((BillingField::Seats, self.seats.to_string()));
            out.push((BillingField::EndDate, self.end_date.to_string()));
            out.push((BillingField::AutoRenew, self.auto_renew.to_string()));
        }
        out.push((BillingField::Product, self.plan.clone()));
        out
    }

    /// The console status the provider's state means: billed is active; a canceled
    /// subscription is cancelled.
    pub fn status(&self) -> SubscriptionStatus {
        if self.billed {
            SubscriptionStatus::Active
        } else {
            SubscriptionStatus::Cancelled
        }
    }
}

impl SubscriptionTerms {
    /// The console's value of a provider-owned `field` as text, as drift records and
    /// the pages write it (`None`: the console owns the field).
    pub fn value(&self, field: BillingField) -> Option<String> {
        match field {
            BillingField::Seats => Some(self.seats.to_string()),
            BillingField::EndDate => Some(self.end_date.to_string()),
            BillingField::AutoRenew => Some(self.auto_renew.to_string()),
            BillingField::Status => Some(self.status.to_string()),
            BillingField::Product | BillingField::Amount | BillingField::Record => None,
        }
    }
}

/// One field on which the two sides differ, each side's value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: BillingField,
    pub console: String,
    pub provider: String,
}

/// Where the console's subscription (`console`, on plan `console_plan`) and the
/// provider's differ. Whether it bills is compared first: a subscription billed on one
/// side only differs in its status; the terms of one that bills nowhere do not matter.
pub fn differences(
    console: &SubscriptionTerms,
    console_plan: &str,
    provider: &ProviderSubscription,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |field: BillingField, console: String, provider: String| {
        if console != provider {
            out.push(Difference { field, console, provider });
        }
    };
    if console.billed() != provider.billed {
        differ(BillingField::Status, console.status.to_string(), provider.status().to_string());
    }
    if provider.billed {
        differ(BillingField::Seats, console.seats.to_string(), provider.seats.to_string());
        differ(BillingField::EndDate, console.end_date.to_string(), provider.end_date.to_string());
        differ(
            BillingField::AutoRenew,
            console.auto_renew.to_string(),
            provider.auto_renew.to_string(),
        );
    }
    differ(BillingField::Product, console_plan.to_string(), provider.plan.clone());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn console() -> SubscriptionTerms {
        SubscriptionTerms {
            seats: 10,
            end_date: d("2027-06-01"),
            auto_renew: true,
            status: SubscriptionStatus::Active,
        }
    }

    fn provider() -> ProviderSubscription {
        ProviderSubscription {
            seats: 10,
            end_date: d("2027-06-01"),
            auto_renew: true,
            billed: true,
            plan: "fc-premium-saas".into(),
        }
    }

    fn fields(diffs: &[Difference]) -> Vec<BillingField> {
        diffs.iter().map(|d| d.field).collect()
    }

    #[test]
    fn the_same_subscription_on_both_sides_differs_nowhere() {
        assert!(differences(&console(), "fc-premium-saas", &provider()).is_empty());
    }

    #[test]
    fn each_field_is_compared_with_both_values_as_text() {
        let p = ProviderSubscription {
            seats: 12,
            auto_renew: false,
            plan: "fc-ultimate-saas".into(),
            ..provider()
        };
        let diffs = differences(&console(), "fc-premium-saas", &p);
        assert_eq!(
            fields(&diffs),
            [BillingField::Seats, BillingField::AutoRenew, BillingField::Product]
        );
        assert_eq!((diffs[0].console.as_str(), diffs[0].provider.as_str()), ("10", "12"));
        assert!(!BillingField::Product.provider_owned() && BillingField::Seats.provider_owned());
    }

    #[test]
    fn billing_on_one_side_only_is_a_status_difference() {
        let canceled = ProviderSubscription { billed: false, seats: 3, ..provider() };
        let diffs = differences(&console(), "fc-premium-saas", &canceled);
        assert_eq!(fields(&diffs), [BillingField::Status]);
        assert_eq!(
            (diffs[0].console.as_str(), diffs[0].provider.as_str()),
            ("active", "cancelled")
        );
        let ended = SubscriptionTerms { status: SubscriptionStatus::Expired, ..console() };
        assert!(differences(&ended, "fc-premium-saas", &canceled).is_empty());
        let diffs = differences(&ended, "fc-premium-saas", &provider());
        assert_eq!(fields(&diffs), [BillingField::Status]);
    }
}
