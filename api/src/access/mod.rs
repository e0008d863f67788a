//! THE one place that decides what a principal may see and do.
//!
//! A principal holds grants: a role bound to a node of the tree. Every node has a materialized path
//! (`/510000/510100/510104/` for a county, plus `2151000001/` for a school below it), and every scoped row stores
//! the path of the node it belongs to, so "this node and below" is one indexed prefix match. Services ask this
//! module for a [`Scope`] (turned into query conditions) or for a decision on one row's path; out of scope is 404.
pub mod files;
pub mod principal;
pub mod references;
pub mod roles;
pub mod scoped;

pub use principal::{Grant, Principal, SessionFacts};
pub use roles::{Permission, Role, RoleRules, check_separation};
pub use scoped::{Scoped, find_visible, sees};
use sea_orm::{
    Condition, ExprTrait,
    sea_query::{Expr, SimpleExpr},
};

use crate::platform::error::AppError;

/// Rows a principal may touch for one permission: everything under any of `prefixes`, plus (for a teacher)
/// their own teacher record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub prefixes: Vec<String>,
    pub own_teacher: Option<i64>,
}

impl Scope {
    pub fn is_empty(&self) -> bool {
        self.prefixes.is_empty() && self.own_teacher.is_none()
    }

    pub fn covers(&self, path: &str) -> bool {
        self.prefixes.iter().any(|p| path.starts_with(p.as_str()))
    }

    /// Condition on a path column; `teacher_id` is the column compared with the principal's own teacher record.
    pub fn condition(&self, path_column: SimpleExpr, teacher_id: Option<SimpleExpr>) -> Condition {
        let mut any = Condition::any();
        for prefix in &self.prefixes {
            any = any.add(under(path_column.clone(), prefix));
        }
        if let (Some(own), Some(column)) = (self.own_teacher, teacher_id) {
            any = any.add(column.eq(own));
        }
        if self.is_empty() {
            // Nothing visible: a condition no row satisfies.
            return Condition::all().add(Expr::val(1).eq(0));
        }
        any
    }
}

impl Scope {
    /// Shared reference data (a question bank): what sits at or below my nodes, and what nodes above me own.
    pub fn reaches(&self, path: &str) -> bool {
        self.covers(path) || self.prefixes.iter().any(|p| p.starts_with(path))
    }

    /// [`Scope::reaches`] as a condition on a path column.
    pub fn reach_condition(&self, path_column: SimpleExpr) -> Condition {
        let mut any = self.condition(path_column.clone(), None);
        let above: Vec<String> = self.prefixes.iter().flat_map(|p| ancestors(p)).collect();
        if !above.is_empty() {
            any = Condition::any().add(any).add(path_column.is_in(above));
        }
        any
    }
}

/// "`path_column` is `prefix` or below it": every descendant's path starts with its ancestor's, so this is the
/// range the path index answers in order (PostgreSQL's path columns order byte-wise since m0022).
pub fn under(path_column: SimpleExpr, prefix: &str) -> Condition {
    crate::platform::db::prefix_range(path_column, prefix)
}

/// The proper ancestors of a materialized path: `/510000/510100/` → [`/510000/`].
pub fn ancestors(path: &str) -> Vec<String> {
    let positions = path.match_indices('/').map(|(i, _)| i).skip(1);
    positions
        .map(|i| path[..=i].to_string())
        .filter(|p| p != path)
        .collect()
}

impl Principal {
    /// Everything this principal may reach with `permission`.
    pub fn scope(&self, permission: Permission) -> Scope {
        let mut scope = Scope::default();
        for grant in &self.grants {
            if grant.role.has(permission) {
                scope.prefixes.push(grant.scope_path.clone());
            }
        }
        if permission == Permission::TeacherRead
            && self.grants.iter().any(|g| g.role == Role::Teacher)
        {
            scope.own_teacher = self.teacher_id;
        }
        minimise(&mut scope.prefixes);
        scope
    }

    /// Like [`Principal::scope`], counting only grants bound to nodes of one level: a reviewer bound to a school
    /// grades its evidence, one bound to a county spot-checks the county's.
    pub fn scope_at(&self, permission: Permission, level: NodeLevel) -> Scope {
        let mut scope = Scope::default();
        for grant in &self.grants {
            if grant.role.has(permission) && NodeLevel::of_path(&grant.scope_path) == Some(level) {
                scope.prefixes.push(grant.scope_path.clone());
            }
        }
        minimise(&mut scope.prefixes);
        scope
    }

    /// The root of the tree (the province) with `permission`: province-wide reference data such as the
    /// 能力点 catalogue.
    pub fn can_at_root(&self, permission: Permission) -> bool {
        self.grants.iter().any(|g| {
            g.role.has(permission) && NodeLevel::of_path(&g.scope_path) == Some(NodeLevel::Province)
        })
    }

    /// A log whose entries may name no node (sign-ins, password changes, exports, pool changes, the ministry
    /// export), as a condition on its path column: the entries under my nodes and, for whoever holds `permission`
    /// at the province, the unplaced ones too — they concern the whole tree, and nobody could read them otherwise.
    pub fn log_condition(&self, permission: Permission, path_column: SimpleExpr) -> Condition {
        let placed = self.scope(permission).condition(path_column.clone(), None);
        if self.can_at_root(permission) {
            Condition::any().add(placed).add(path_column.is_null())
        } else {
            placed
        }
    }

    pub fn can(&self, permission: Permission, path: &str) -> bool {
        self.scope(permission).covers(path)
    }

    /// For a row the caller has already located: 404 when it is outside what they can read at all,
    /// 403 when they can see it but not do this to it.
    pub fn require(
        &self,
        permission: Permission,
        read: Permission,
        path: &str,
    ) -> Result<(), AppError> {
        if self.can(permission, path) {
            Ok(())
        } else if self.can(read, path) {
            Err(AppError::Forbidden)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Rows about teachers (enrolments, hour entries …) that the principal may see: those under their
    /// `permission` scope, plus — for a teacher — their own.
    pub fn own_or_scoped(
        &self,
        permission: Permission,
        path: SimpleExpr,
        teacher_id: SimpleExpr,
    ) -> Condition {
        let scoped = self.scope(permission).condition(path, None);
        match self.teacher_id {
            Some(own) => Condition::any().add(scoped).add(teacher_id.eq(own)),
            None => scoped,
        }
    }

    /// The single-row form of [`Principal::own_or_scoped`].
    pub fn owns_or_can(&self, permission: Permission, teacher_id: i64, path: &str) -> bool {
        self.teacher_id == Some(teacher_id) || self.can(permission, path)
    }

    /// 403 when no grant of the principal carries `permission` anywhere: the operation is not theirs at all,
    /// whatever the target. (A permission held elsewhere in the tree makes a foreign target a 404 or 422 instead.)
    pub fn require_somewhere(&self, permission: Permission) -> Result<(), AppError> {
        if self.grants.iter().any(|g| g.role.has(permission)) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Decides a reference in a request (a teacher, a school, a region named by id or code in the body or query):
    /// `path` is the referenced object's node, `None` when no such object exists. The object must exist and lie in
    /// the caller's `permission` scope. Both failures give the same 422 on `field`, so the answer never tells
    /// whether something outside the caller's area exists.
    pub fn require_reference(
        &self,
        permission: Permission,
        path: Option<&str>,
        field: &str,
    ) -> Result<(), AppError> {
        match path {
            Some(path) if self.can(permission, path) => Ok(()),
            _ => Err(unusable_reference(field)),
        }
    }

    /// The highest administrative rank this principal holds over `path` with `permission`.
    pub fn rank_over(&self, permission: Permission, path: &str) -> Option<u8> {
        self.grants
            .iter()
            .filter(|g| g.role.has(permission) && path.starts_with(g.scope_path.as_str()))
            .map(|g| g.role.rank())
            .max()
    }

    pub fn permissions(&self) -> Vec<Permission> {
        let mut all: Vec<Permission> = self
            .grants
            .iter()
            .flat_map(|g| g.role.permissions().iter().copied())
            .collect();
        all.sort_by_key(|p| p.as_str());
        all.dedup();
        all
    }
}

/// The answer to a reference that does not exist or lies outside the caller's area (the two are not told apart).
pub fn unusable_reference(field: &str) -> AppError {
    AppError::field(field, crate::platform::i18n::catalogue::access::OutsideArea)
}

/// Maps the 404 of looking up a referenced object (a teacher id in a body, say) to the 422 of a reference on
/// `field`; other errors pass through. For lookups that already apply the caller's scope, like `find_visible`.
pub fn as_reference(field: &'static str) -> impl FnOnce(AppError) -> AppError {
    move |e| match e {
        AppError::NotFound => unusable_reference(field),
        other => other,
    }
}

pub use entity::{account_role::ScopeKind, region::NodeLevel};

/// A node of the tree as the deciders see it: a region (province, city, county) by its 6-digit code or a school by
/// its 10-digit code, with its level and materialized path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRef {
    pub code: String,
    pub level: NodeLevel,
    pub path: String,
}

impl NodeRef {
    pub fn is_school(&self) -> bool {
        self.level == NodeLevel::School
    }

    /// What a grant bound to this node stores as its scope kind: a school, or a region of any level.
    pub fn scope_kind(&self) -> ScopeKind {
        if self.is_school() {
            ScopeKind::School
        } else {
            ScopeKind::Region
        }
    }
}

/// Drops prefixes already covered by a shorter one, so conditions stay small.
fn minimise(prefixes: &mut Vec<String>) {
    prefixes.sort_by_key(|p| p.len());
    let mut kept: Vec<String> = Vec::new();
    for p in prefixes.drain(..) {
        if !kept.iter().any(|k| p.starts_with(k.as_str())) {
            kept.push(p);
        }
    }
    *prefixes = kept;
}

#[cfg(test)]
mod tests {
    use super::Grant;
    use super::*;

    #[test]
    fn shared_data_reaches_down_and_up_but_not_sideways() {
        assert_eq!(
            ancestors("/510000/510100/510104/"),
            vec!["/510000/", "/510000/510100/"]
        );
        assert!(ancestors("/510000/").is_empty());
        let scope = principal(&[(Role::CountyAdmin, "/510000/510100/510104/")])
            .scope(Permission::QuestionManage);
        assert!(scope.reaches("/510000/"));
        assert!(scope.reaches("/510000/510100/510104/S1/"));
        assert!(!scope.reaches("/510000/510100/510105/"));
        assert!(!scope.covers("/510000/"));
    }

    fn principal(grants: &[(Role, &str)]) -> Principal {
        Principal {
            account_id: 1,
            username: "u".into(),
            display_name: "U".into(),
            teacher_id: Some(9),
            grants: grants
                .iter()
                .map(|(role, path)| Grant {
                    role: *role,
                    scope_code: String::new(),
                    scope_path: path.to_string(),
                })
                .collect(),
            ip: None,
            session: None,
        }
    }

    #[test]
    fn county_admin_covers_own_county_only() {
        let p = principal(&[(Role::CountyAdmin, "/510000/510100/510104/")]);
        assert!(p.can(Permission::SchoolWrite, "/510000/510100/510104/2151000001/"));
        assert!(!p.can(Permission::SchoolWrite, "/510000/510100/510105/2151000002/"));
        assert!(!p.can(Permission::SchoolWrite, "/510000/510100/"));
    }

    #[test]
    fn outside_is_not_found_and_visible_without_right_is_forbidden() {
        let p = principal(&[(Role::SchoolAdmin, "/510000/510100/510104/2151000001/")]);
        let own = "/510000/510100/510104/2151000001/";
        assert!(matches!(
            p.require(Permission::SchoolWrite, Permission::SchoolRead, own),
            Err(AppError::Forbidden)
        ));
        let other = "/510000/510100/510104/2151000002/";
        assert!(matches!(
            p.require(Permission::SchoolWrite, Permission::SchoolRead, other),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn teacher_sees_own_record_only() {
        let p = principal(&[(Role::Teacher, "/510000/510100/510104/2151000001/")]);
        let scope = p.scope(Permission::TeacherRead);
        assert!(scope.prefixes.is_empty());
        assert_eq!(scope.own_teacher, Some(9));
        assert!(p.scope(Permission::TeacherWrite).is_empty());
    }

    #[test]
    fn level_bound_scopes() {
        let p = principal(&[
            (Role::Reviewer, "/510000/510100/510104/2151000001/"),
            (Role::Reviewer, "/510000/510100/510105/"),
            (Role::CityAdmin, "/510000/510100/"),
        ]);
        let school = p.scope_at(Permission::CompetencyReview, NodeLevel::School);
        assert_eq!(school.prefixes, vec!["/510000/510100/510104/2151000001/"]);
        let county = p.scope_at(Permission::CompetencyReview, NodeLevel::County);
        assert_eq!(county.prefixes, vec!["/510000/510100/510105/"]);
        assert!(!p.can_at_root(Permission::CompetencyCatalog));
        let province = principal(&[(Role::ProvinceAdmin, "/510000/")]);
        assert!(province.can_at_root(Permission::CompetencyCatalog));
    }

    #[test]
    fn nested_prefixes_collapse() {
        let mut v = vec![
            "/510000/510100/510104/".to_string(),
            "/510000/510100/".to_string(),
        ];
        minimise(&mut v);
        assert_eq!(v, vec!["/510000/510100/".to_string()]);
    }
}
