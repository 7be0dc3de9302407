use serde::{Deserialize, Serialize};

use crate::string_enum;

string_enum!(
    /// A staff member's role; decides what they may do (docs/PRODUCT.md "Roles").
    Role { Support => "support", Sales => "sales", Billing => "billing", Lead => "lead", Admin => "admin" }
);

/// Things a role may be allowed to do. The server checks these on every call; the UI
/// uses the same table only to hide what a role cannot do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Permission {
    ViewAll,
    EditSubscriptions,
    EditSeatsAndDates,
    NamespaceControls,
    TrialControls,
    ExtendTrials,
    Grants,
    SeatWaivers,
    RequestApprovals,
    ExtensionWizard,
    Invoices,
    Approve,
    Dashboards,
    IntegrityFixes,
    ManageStaff,
}

impl Permission {
    pub const ALL: &'static [Permission] = &[
        Permission::ViewAll,
        Permission::EditSubscriptions,
        Permission::EditSeatsAndDates,
        Permission::NamespaceControls,
        Permission::TrialControls,
        Permission::ExtendTrials,
        Permission::Grants,
        Permission::SeatWaivers,
        Permission::RequestApprovals,
        Permission::ExtensionWizard,
        Permission::Invoices,
        Permission::Approve,
        Permission::Dashboards,
        Permission::IntegrityFixes,
        Permission::ManageStaff,
    ];
}

impl Role {
    /// Whether this role holds `permission`.
    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => true,
            Role::Lead => permission != ManageStaff,
            Role::Support => matches!(
                permission,
                ViewAll
                    | EditSubscriptions
                    | EditSeatsAndDates
                    | NamespaceControls
                    | TrialControls
                    | ExtendTrials
                    | Grants
                    | RequestApprovals
                    | IntegrityFixes
            ),
            Role::Sales => {
                matches!(permission, ViewAll | ExtensionWizard | ExtendTrials | RequestApprovals)
            }
            Role::Billing => matches!(
                permission,
                ViewAll
                    | EditSeatsAndDates
                    | SeatWaivers
                    | Invoices
                    | RequestApprovals
                    | IntegrityFixes
            ),
        }
    }

    /// Human label for the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Support => "Support",
            Role::Sales => "Sales",
            Role::Billing => "Billing",
            Role::Lead => "Team lead",
            Role::Admin => "Admin",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_permission_once_in_order() {
        // The match is exhaustive: a new permission does not compile here until it has
        // a place, and the loop fails until `ALL` lists it there.
        fn position(p: Permission) -> usize {
            use Permission::*;
            match p {
                ViewAll => 0,
                EditSubscriptions => 1,
                EditSeatsAndDates => 2,
                NamespaceControls => 3,
                TrialControls => 4,
                ExtendTrials => 5,
                Grants => 6,
                SeatWaivers => 7,
                RequestApprovals => 8,
                ExtensionWizard => 9,
                Invoices => 10,
                Approve => 11,
                Dashboards => 12,
                IntegrityFixes => 13,
                ManageStaff => 14,
            }
        }
        for (i, p) in Permission::ALL.iter().enumerate() {
            assert_eq!(position(*p), i, "{p:?}");
        }
        assert_eq!(Permission::ALL.len(), 15);
    }

    #[test]
    fn only_admins_manage_staff_and_leads_approve() {
        for role in Role::ALL {
            assert_eq!(role.can(Permission::ManageStaff), *role == Role::Admin);
            assert_eq!(role.can(Permission::Approve), matches!(role, Role::Lead | Role::Admin));
            assert!(role.can(Permission::ViewAll));
        }
        assert!(Role::Sales.can(Permission::ExtensionWizard));
        assert!(!Role::Support.can(Permission::ExtensionWizard));
        assert!(!Role::Sales.can(Permission::NamespaceControls));
        assert!(Role::Billing.can(Permission::EditSeatsAndDates));
        assert!(!Role::Billing.can(Permission::EditSubscriptions));
        assert!(Role::Billing.can(Permission::SeatWaivers));
        assert!(!Role::Support.can(Permission::SeatWaivers));
    }
}
