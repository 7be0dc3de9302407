//! Single sign-on's rules that need no network: the role a person's groups at the
//! identity provider give them. The mapping is a setting (`FC_OIDC_ROLE_MAP`,
//! `fc-admins=admin,fc-leads=lead,…`), applied at every sign-in.
use crate::{Permission, Role};

/// Which role each group at the identity provider gives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RoleMap(Vec<(String, Role)>);

impl RoleMap {
    /// Reads `group=role` pairs separated by commas; group names are kept exactly
    /// (providers compare them so). Each group maps to one role.
    pub fn parse(text: &str) -> Result<RoleMap, String> {
        let mut pairs: Vec<(String, Role)> = Vec::new();
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (group, role) =
                item.split_once('=').ok_or_else(|| format!("`{item}` is not `group=role`"))?;
            let (group, role) = (group.trim(), role.trim());
            if group.is_empty() {
                return Err(format!("`{item}` names no group"));
            }
            let role = Role::parse(role).ok_or_else(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                format!("`{role}` is not a role (one of {})", known.join(", "))
            })?;
            if pairs.iter().any(|(g, _)| g == group) {
                return Err(format!("group `{group}` is mapped twice"));
            }
            pairs.push((group.to_string(), role));
        }
        if pairs.is_empty() {
            return Err("no `group=role` pair".into());
        }
        Ok(RoleMap(pairs))
    }

    /// The role `groups` give: the one that may do most when several do, none when no
    /// group is mapped (no access).
    pub fn role_for<'a>(&self, groups: impl IntoIterator<Item = &'a str>) -> Option<Role> {
        groups
            .into_iter()
            .filter_map(|g| self.0.iter().find(|(group, _)| group == g).map(|(_, r)| *r))
            .max_by_key(|r| rank(*r))
    }

    /// The groups that give `role` (for the refusal page: whom to ask for what).
    pub fn groups_giving(&self, role: Role) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(_, r)| *r == role).map(|(g, _)| g.as_str())
    }
}

/// How much a role may do: the number of permissions it holds. Every role holds a
/// different number (a test keeps it so), so "the highest role" is always one role.
pub fn rank(role: Role) -> usize {
    Permission::ALL.iter().filter(|p| role.can(**p)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> RoleMap {
        RoleMap::parse(
            "fc-admins=admin, fc-leads=lead,fc-support=support,fc-billing=billing,fc-sales=sales",
        )
        .unwrap()
    }

    #[test]
    fn each_group_gives_its_role_and_unmapped_groups_give_none() {
        let m = map();
        assert_eq!(m.role_for(["fc-support"]), Some(Role::Support));
        assert_eq!(m.role_for(["fc-leads"]), Some(Role::Lead));
        assert_eq!(m.role_for(["everyone", "FC-ADMINS"]), None);
        assert_eq!(m.role_for([]), None);
    }

    #[test]
    fn several_groups_give_the_role_that_may_do_most() {
        let m = map();
        assert_eq!(m.role_for(["fc-sales", "fc-admins", "fc-support"]), Some(Role::Admin));
        assert_eq!(m.role_for(["fc-sales", "fc-billing"]), Some(Role::Billing));
        assert_eq!(m.role_for(["fc-billing", "fc-support"]), Some(Role::Support));
        assert_eq!(m.role_for(["fc-support", "fc-leads"]), Some(Role::Lead));
    }

    #[test]
    fn every_role_has_a_rank_of_its_own() {
        let mut ranks: Vec<usize> = Role::ALL.iter().map(|r| rank(*r)).collect();
        ranks.sort_unstable();
        ranks.dedup();
        assert_eq!(ranks.len(), Role::ALL.len());
        assert_eq!(Role::ALL.iter().max_by_key(|r| rank(**r)), Some(&Role::Admin));
    }

    #[test]
    fn a_bad_mapping_says_what_is_wrong() {
        assert!(RoleMap::parse("fc-admins").unwrap_err().contains("not `group=role`"));
        assert!(RoleMap::parse("=admin").unwrap_err().contains("names no group"));
        assert!(RoleMap::parse("g=owner").unwrap_err().contains("`owner` is not a role"));
        assert!(RoleMap::parse("g=admin,g=lead").unwrap_err().contains("mapped twice"));
        assert!(RoleMap::parse(" , ").unwrap_err().contains("no `group=role`"));
    }

    #[test]
    fn the_groups_giving_a_role_are_listed() {
        let m = RoleMap::parse("a=lead,b=admin,c=lead").unwrap();
        assert_eq!(m.groups_giving(Role::Lead).collect::<Vec<_>>(), ["a", "c"]);
    }
}
