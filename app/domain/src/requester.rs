//! Who may ask for a change: a customer's contacts and the owners of their namespaces.
//! [`classify`] is the one verdict on a requester, run by the form as the person types
//! and by the server before the change; an unverified requester's change waits for a
//! lead ([`unverified_approval`]).
use serde::{Deserialize, Serialize};

use crate::{validate, ContactRole, Verdict};

/// A person at the customer allowed to ask for changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct Contact {
    pub id: i64,
    #[serde(skip)]
    pub customer_id: i64,
    pub name: String,
    pub email: String,
    /// `owner`, `billing` or `technical`.
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub role: ContactRole,
}

/// An owner of a namespace (group) on the product side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow, utoipa::ToSchema))]
pub struct NamespaceOwner {
    #[serde(skip)]
    pub namespace_id: i64,
    pub username: String,
    pub email: String,
}

/// What `requester` is to the customer whose `contacts` these are, when the change is
/// to a record owned by `owners` (the namespace's owners; none for other records).
/// A contact's role wins over namespace ownership. An email that does not parse is
/// unverified.
pub fn classify(requester: &str, contacts: &[Contact], owners: &[NamespaceOwner]) -> Verdict {
    let Ok(email) = validate::email(requester) else { return Verdict::Unverified };
    if let Some(c) = contacts.iter().find(|c| c.email == email) {
        return match c.role {
            ContactRole::Owner => Verdict::Owner,
            ContactRole::Billing => Verdict::Billing,
            ContactRole::Technical => Verdict::Technical,
        };
    }
    if owners.iter().any(|o| o.email == email) {
        return Verdict::NamespaceOwner;
    }
    Verdict::Unverified
}

/// The verdict in words, for forms, the timeline and approvals.
pub fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Owner => "verified: owner contact",
        Verdict::Billing => "verified: billing contact",
        Verdict::Technical => "verified: technical contact",
        Verdict::NamespaceOwner => "verified: namespace owner",
        Verdict::Unverified => "unverified",
        Verdict::Proactive => "proactive (nobody asked)",
    }
}

/// Why a change needs a lead's approval because of who asked, if it does.
pub fn unverified_approval(requester: Option<&str>, verdict: Verdict) -> Option<String> {
    (verdict == Verdict::Unverified).then(|| {
        format!(
            "{} is not a contact of this customer or an owner of the namespace; a lead must approve.",
            requester.unwrap_or("The requester")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(email: &str, role: ContactRole) -> Contact {
        Contact { id: 1, customer_id: 1, name: "A Person".into(), email: email.into(), role }
    }

    fn owner(email: &str) -> NamespaceOwner {
        NamespaceOwner { namespace_id: 1, username: "someone".into(), email: email.into() }
    }

    #[test]
    fn contacts_are_classified_by_role_and_owners_by_namespace() {
        let contacts = [
            contact("ann@acme.test", ContactRole::Owner),
            contact("bill@acme.test", ContactRole::Billing),
            contact("tech@acme.test", ContactRole::Technical),
        ];
        let owners = [owner("dev@acme.test"), owner("tech@acme.test")];
        assert_eq!(classify(" Ann@ACME.test ", &contacts, &owners), Verdict::Owner);
        assert_eq!(classify("bill@acme.test", &contacts, &owners), Verdict::Billing);
        assert_eq!(classify("tech@acme.test", &contacts, &owners), Verdict::Technical);
        assert_eq!(classify("dev@acme.test", &contacts, &owners), Verdict::NamespaceOwner);
        assert_eq!(classify("dev@acme.test", &contacts, &[]), Verdict::Unverified);
        assert_eq!(classify("stranger@else.test", &contacts, &owners), Verdict::Unverified);
        assert_eq!(classify("not an email", &contacts, &owners), Verdict::Unverified);
    }

    #[test]
    fn only_unverified_requesters_need_approval() {
        assert!(unverified_approval(Some("x@y.test"), Verdict::Unverified)
            .is_some_and(|m| m.starts_with("x@y.test")));
        for v in [Verdict::Owner, Verdict::NamespaceOwner, Verdict::Proactive] {
            assert_eq!(unverified_approval(Some("x@y.test"), v), None);
        }
    }
}
