//! Who an announcement reaches, as pure rules on paths and roles: a reader is reached through a grant whose node
//! lies at or below the announcement's node and whose role is one it is for (no roles named: every role).
use entity::account_role::Role;

use crate::access::{Grant, Principal, ancestors};

/// The grant through which `principal` is reached by an announcement at `path` for `roles`, if any.
pub fn reaching_grant<'a>(
    principal: &'a Principal,
    path: &str,
    roles: &[Role],
) -> Option<&'a Grant> {
    principal
        .bound_roles()
        .iter()
        .find(|g| g.scope_path.starts_with(path) && (roles.is_empty() || roles.contains(&g.role)))
}

/// The nodes at or above a grant's node: the announcement paths that can reach it.
pub fn reachable_paths(grant: &Grant) -> Vec<String> {
    let mut paths = ancestors(&grant.scope_path);
    paths.push(grant.scope_path.clone());
    paths
}

/// The child of the announcement's node that `reader_path` lies under (its code), or None at the node itself.
pub fn child_code(announcement_path: &str, reader_path: &str) -> Option<String> {
    reader_path
        .strip_prefix(announcement_path)?
        .split('/')
        .find(|s| !s.is_empty())
        .map(str::to_string)
}

/// The stored form of a role list; matched in SQL by its quoted members.
pub fn roles_json(roles: &[Role]) -> String {
    let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
    serde_json::to_string(&names).unwrap_or_else(|_| "[]".into())
}

pub fn parse_roles(stored: &str) -> Vec<Role> {
    serde_json::from_str(stored).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(grants: &[(Role, &str)]) -> Principal {
        Principal {
            account_id: 1,
            username: "u".into(),
            display_name: "u".into(),
            teacher_id: None,
            grants: grants
                .iter()
                .map(|(role, path)| Grant {
                    role: *role,
                    scope_code: String::new(),
                    scope_path: (*path).to_string(),
                })
                .collect(),
            ip: None,
            session: None,
        }
    }

    #[test]
    fn reaches_down_the_subtree_for_the_named_roles_only() {
        let county = "/510000/510100/510104/";
        let teacher = principal(&[(Role::Teacher, "/510000/510100/510104/2151000001/")]);
        let reviewer = principal(&[(Role::Reviewer, county)]);
        let elsewhere = principal(&[(Role::Teacher, "/510000/510100/510105/2151000002/")]);
        assert!(reaching_grant(&teacher, county, &[]).is_some());
        assert!(reaching_grant(&teacher, county, &[Role::Teacher]).is_some());
        assert!(reaching_grant(&reviewer, county, &[Role::Teacher]).is_none());
        assert!(reaching_grant(&reviewer, county, &[]).is_some());
        assert!(reaching_grant(&elsewhere, county, &[]).is_none());
    }

    #[test]
    fn a_reader_is_counted_under_the_child_node_they_sit_in() {
        let city = "/510000/510100/";
        assert_eq!(
            child_code(city, "/510000/510100/510104/2151000001/").as_deref(),
            Some("510104")
        );
        assert_eq!(child_code(city, city), None);
        assert_eq!(child_code(city, "/510000/510700/"), None);
        assert_eq!(
            reachable_paths(&principal(&[(Role::Teacher, "/510000/510100/")]).grants[0]),
            vec!["/510000/", "/510000/510100/"]
        );
    }

    #[test]
    fn role_lists_round_trip() {
        let roles = [Role::Teacher, Role::SchoolAdmin];
        assert_eq!(parse_roles(&roles_json(&roles)), roles);
        assert!(parse_roles("[]").is_empty());
    }
}
