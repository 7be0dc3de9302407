use crate::domain::{Permission, Role};

/// One entry of the main navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NavItem {
    pub path: &'static str,
    pub label: &'static str,
    /// What the role needs to see the entry.
    pub needs: Permission,
}

const ITEMS: [NavItem; 8] = [
    NavItem { path: "/", label: "Search", needs: Permission::ViewAll },
    NavItem { path: "/activity", label: "Activity", needs: Permission::ViewAll },
    NavItem { path: "/extensions", label: "Renewals", needs: Permission::ExtensionWizard },
    NavItem { path: "/approvals", label: "Approvals", needs: Permission::Approve },
    NavItem { path: "/integrity", label: "Integrity", needs: Permission::IntegrityFixes },
    NavItem { path: "/drift", label: "Drift", needs: Permission::IntegrityFixes },
    NavItem { path: "/dashboard", label: "Dashboard", needs: Permission::Dashboards },
    NavItem { path: "/admin", label: "Admin", needs: Permission::ManageStaff },
];

/// The navigation entries a role sees.
pub fn nav_items(role: Role) -> Vec<NavItem> {
    ITEMS.iter().copied().filter(|i| role.can(i.needs)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(role: Role) -> Vec<&'static str> {
        nav_items(role).iter().map(|i| i.label).collect()
    }

    #[test]
    fn each_role_sees_its_entries() {
        assert_eq!(labels(Role::Support), ["Search", "Activity", "Integrity", "Drift"]);
        assert_eq!(labels(Role::Sales), ["Search", "Activity", "Renewals"]);
        assert_eq!(labels(Role::Billing), ["Search", "Activity", "Integrity", "Drift"]);
        assert_eq!(
            labels(Role::Lead),
            ["Search", "Activity", "Renewals", "Approvals", "Integrity", "Drift", "Dashboard"]
        );
        assert_eq!(
            labels(Role::Admin),
            [
                "Search",
                "Activity",
                "Renewals",
                "Approvals",
                "Integrity",
                "Drift",
                "Dashboard",
                "Admin"
            ]
        );
    }
}
