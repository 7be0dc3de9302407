/// Declares a closed set of values with its stored text, `as_str`, `parse` and `ALL`;
/// the database and the wire both carry the stored text.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                $name::parse(&text)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&text, &[$($text),+]))
            }
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The text stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The stored text in words (`self_managed` → `self managed`).
            pub fn words(self) -> String {
                self.as_str().replace('_', " ")
            }

            /// Parses the stored text; `None` for anything else.
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        // Read straight from a text column; an unknown value is a decoding error.
        #[cfg(feature = "ssr")]
        impl<DB: sqlx::Database> sqlx::Type<DB> for $name
        where
            String: sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <String as sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <String as sqlx::Type<DB>>::compatible(ty)
            }
        }

        #[cfg(feature = "ssr")]
        impl<'r, DB: sqlx::Database> sqlx::Decode<'r, DB> for $name
        where
            String: sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <String as sqlx::Decode<'r, DB>>::decode(value)?;
                $name::parse(&text)
                    .ok_or_else(|| format!("{text:?} is not a {}", stringify!($name)).into())
            }
        }

        #[cfg(feature = "ssr")]
        impl<'q, DB: sqlx::Database> sqlx::Encode<'q, DB> for $name
        where
            &'static str: sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as sqlx::Database>::ArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&'static str as sqlx::Encode<'q, DB>>::encode_by_ref(&self.as_str(), buf)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use string_enum;

string_enum!(
    /// What a subscription sells.
    Product { Premium => "premium", Ultimate => "ultimate" }
);
string_enum!(
    /// Where the customer runs the product.
    Deployment { Saas => "saas", SelfManaged => "self_managed" }
);
string_enum!(
    /// Lifecycle of a subscription.
    SubscriptionStatus { Active => "active", Expired => "expired", Cancelled => "cancelled" }
);
string_enum!(
    /// A namespace's plan.
    Plan { Free => "free", Premium => "premium", Ultimate => "ultimate" }
);
string_enum!(
    /// Kinds of license issued for self-managed subscriptions.
    LicenseKind { Standard => "standard", TemporaryExtension => "temporary_extension", Trial => "trial" }
);
string_enum!(
    /// Invoice lifecycle.
    InvoiceStatus { Paid => "paid", Open => "open", Overdue => "overdue", Void => "void" }
);
string_enum!(
    /// What an add-on grant adds to a namespace.
    AddOnKind { ComputeMinutes => "compute_minutes", Storage => "storage" }
);
string_enum!(
    /// Where an add-on grant came from.
    GrantSource { Purchase => "purchase", SupportGrant => "support_grant" }
);
string_enum!(
    /// How a change reached the console.
    EventSource { Console => "console", Api => "api", Scheduled => "scheduled", Billing => "billing" }
);
string_enum!(
    /// Lifecycle of an approval request.
    ApprovalStatus { Pending => "pending", Approved => "approved", Rejected => "rejected", Expired => "expired", Executed => "executed" }
);

string_enum!(
    /// Why a subscription is on the renewal watchlist.
    RenewalKind { SubscriptionEnding => "subscription_ending", ExtensionExpiring => "extension_expiring" }
);
string_enum!(
    /// What happened to one finding of a bulk fix.
    FixStatus {
        Planned => "planned",
        Fixed => "fixed",
        PendingApproval => "pending_approval",
        Skipped => "skipped",
        Refused => "refused",
    }
);

impl Product {
    /// The namespace plan that this product entitles.
    pub fn plan(self) -> Plan {
        match self {
            Product::Premium => Plan::Premium,
            Product::Ultimate => Plan::Ultimate,
        }
    }
}

string_enum!(
    /// What a search hit points at.
    HitKind {
        Customer => "customer",
        BillingAccount => "billing_account",
        Subscription => "subscription",
        Namespace => "namespace",
        License => "license",
    }
);

string_enum!(
    /// What a customer's contact may ask for on their behalf.
    ContactRole {
        Owner => "owner",
        Billing => "billing",
        Technical => "technical",
    }
);

string_enum!(
    /// Who the person asking for a change is to the customer, as the server found it:
    /// one of their contacts (by role), an owner of the namespace being changed, or
    /// nobody known. `proactive`: nobody asked (an integrity fix).
    Verdict {
        Owner => "owner",
        Billing => "billing",
        Technical => "technical",
        NamespaceOwner => "namespace_owner",
        Unverified => "unverified",
        Proactive => "proactive",
    }
);

string_enum!(
    /// The kind of record an activity event, an approval or a finding is about.
    TargetType {
        Subscription => "subscription",
        Namespace => "namespace",
        License => "license",
        BillingAccount => "billing_account",
        Invoice => "invoice",
        StaffUser => "staff_user",
        ApprovalRequest => "approval_request",
        Note => "note",
        ActivityEvent => "activity_event",
    }
);

#[cfg(test)]
mod tests {
    use serde::{de::DeserializeOwned, Serialize};

    use super::*;

    #[test]
    fn stored_text_round_trips() {
        for p in Plan::ALL {
            assert_eq!(Plan::parse(p.as_str()), Some(*p));
        }
        assert_eq!(Deployment::SelfManaged.as_str(), "self_managed");
        assert_eq!(serde_json::to_string(&Deployment::SelfManaged).unwrap(), "\"self_managed\"");
        assert_eq!(SubscriptionStatus::parse("Active"), None);
    }

    fn wire_round_trip<T>(all: &[T], text: fn(T) -> &'static str)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + Copy,
    {
        for v in all {
            let json = serde_json::to_string(v).unwrap();
            assert_eq!(json, format!("\"{}\"", text(*v)));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
        }
        assert!(serde_json::from_str::<T>("\"no_such_value\"").is_err());
        assert!(serde_json::from_str::<T>("3").is_err());
    }

    #[test]
    fn the_wire_carries_the_stored_text() {
        wire_round_trip(Plan::ALL, Plan::as_str);
        wire_round_trip(Deployment::ALL, Deployment::as_str);
        wire_round_trip(SubscriptionStatus::ALL, SubscriptionStatus::as_str);
        wire_round_trip(LicenseKind::ALL, LicenseKind::as_str);
        wire_round_trip(FixStatus::ALL, FixStatus::as_str);
        wire_round_trip(HitKind::ALL, HitKind::as_str);
        wire_round_trip(ContactRole::ALL, ContactRole::as_str);
        wire_round_trip(Verdict::ALL, Verdict::as_str);
        wire_round_trip(crate::Role::ALL, crate::Role::as_str);
        wire_round_trip(TargetType::ALL, TargetType::as_str);
        wire_round_trip(crate::Action::ALL, crate::Action::as_str);
        wire_round_trip(crate::Rule::ALL, crate::Rule::as_str);
        use crate::billing::{LinkedRecord, Provider, SyncState};
        wire_round_trip(LinkedRecord::ALL, LinkedRecord::as_str);
        wire_round_trip(Provider::ALL, Provider::as_str);
        wire_round_trip(SyncState::ALL, SyncState::as_str);
    }
}
