//! Who is calling, as access decides on it: the roles bound to nodes (grants) and the session facts a decision
//! may need. Authentication (auth/) builds it; it lives here so the decider depends on nothing above it.
use sea_orm::ActiveEnum;

use super::{Role, RoleRules};
use crate::platform::error::AppError;

/// A role bound to a node of the tree.
#[derive(Debug, Clone)]
pub struct Grant {
    pub role: Role,
    pub scope_code: String,
    pub scope_path: String,
}

/// The authenticated caller of one request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub teacher_id: Option<i64>,
    pub grants: Vec<Grant>,
    pub ip: Option<String>,
    /// The sign-in this request belongs to; None for principals made outside a request (command-line tools).
    pub session: Option<SessionFacts>,
}

/// What a request knows about its session.
#[derive(Debug, Clone)]
pub struct SessionFacts {
    pub id: i64,
    /// The account has an active second factor.
    pub second_factor_active: bool,
    /// The last second-factor verification in this session.
    pub second_factor_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Principal {
    pub fn session_id(&self) -> Option<i64> {
        self.session.as_ref().map(|s| s.id)
    }

    /// THE check for operations that need a recent second-factor verification (revealing an ID number, changing
    /// roles, resetting a second factor, exporting personal data): a caller with an active second factor must have
    /// verified it in this session within `step_up_minutes`, else 403 `step_up_required`. Callers without one
    /// (allowed only where the policy does not require it) and command-line principals are not asked.
    pub fn require_step_up(
        &self,
        config: &crate::platform::config::Config,
    ) -> Result<(), AppError> {
        let Some(session) = self.session.as_ref().filter(|s| s.second_factor_active) else {
            return Ok(());
        };
        let window = chrono::Duration::minutes(config.step_up_minutes);
        let recent = session
            .second_factor_at
            .is_some_and(|at| at + window > chrono::Utc::now());
        if recent {
            Ok(())
        } else {
            Err(AppError::denied(
                crate::platform::i18n::catalogue::auth::StepUpRequired,
            ))
        }
    }
}

impl crate::platform::audit::Actor for Principal {
    fn account_id(&self) -> i64 {
        self.account_id
    }

    fn username(&self) -> &str {
        &self.username
    }

    fn ip(&self) -> Option<&str> {
        self.ip.as_deref()
    }
}

/// Questions about the caller's own grants that are not a permission check on one row: where they stand, what
/// roles they hold. Everything outside access/ asks through these instead of reading the grants.
impl Principal {
    /// Holds `role` somewhere.
    pub fn holds(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Holds one of the roles named (configuration lists roles by name).
    pub fn holds_any_named(&self, names: &[String]) -> bool {
        self.grants
            .iter()
            .any(|g| names.iter().any(|n| *n == g.role.to_value()))
    }

    /// The first grant carrying `permission`: the caller's home node for it, where what they create belongs.
    pub fn home_for(&self, permission: super::Permission) -> Option<&Grant> {
        self.grants.iter().find(|g| g.role.has(permission))
    }

    /// The node of the caller's first grant, whatever it carries.
    pub fn first_node(&self) -> Option<&Grant> {
        self.grants.first()
    }

    /// The caller's grants, to show them (who am I); decisions use the methods of this module.
    pub fn bound_roles(&self) -> &[Grant] {
        &self.grants
    }

    /// Some node of mine lies at or below `path`.
    pub fn sits_under(&self, path: &str) -> bool {
        self.grants.iter().any(|g| g.scope_path.starts_with(path))
    }

    /// Some node of mine lies at, above or below `path` (on one line of the tree with it).
    pub fn in_line_with(&self, path: &str) -> bool {
        self.grants
            .iter()
            .any(|g| path.starts_with(g.scope_path.as_str()) || g.scope_path.starts_with(path))
    }

    /// Every node at or above one of mine, as paths: where reference data that reaches down to me is owned.
    pub fn nodes_at_or_above(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .grants
            .iter()
            .flat_map(|g| {
                let mut up = super::ancestors(&g.scope_path);
                up.push(g.scope_path.clone());
                up
            })
            .collect();
        paths.sort();
        paths.dedup();
        paths
    }
}
