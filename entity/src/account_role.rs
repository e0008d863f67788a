use sea_orm::entity::prelude::*;

/// One role of an account, bound to a node of the tree (a region code or a school code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub role: Role,
    pub scope_code: String,
    pub scope_kind: ScopeKind,
    pub scope_path: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// A role an account holds at a node of the tree.
    pub enum Role {
        ProvinceAdmin = "province_admin",
        CityAdmin = "city_admin",
        CountyAdmin = "county_admin",
        SchoolAdmin = "school_admin",
        Teacher = "teacher",
        Reviewer = "reviewer",
        Tutor = "tutor",
        InstitutionAdmin = "institution_admin",
        /// 系统管理员: configuration, the job queue, reference data and backups. One of the three province system administrators (三员分立); no account holds two of them.
        SystemAdmin = "system_admin",
        /// 安全管理员: administrators' accounts and roles, password and second-factor policy, unlocks, second-factor resets and ending sessions.
        SecurityAdmin = "security_admin",
        /// 审计管理员: reads, searches, exports and verifies the whole audit log, and nothing else.
        AuditAdmin = "audit_admin",
    }
}

impl Role {
    /// The three system administrators (三员分立); an account may hold at most one of them.
    pub const SYSTEM_THREE: [Role; 3] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
}

crate::state_enum! {
    /// What kind of node a role is bound to: a school, or a region of any level.
    pub enum ScopeKind {
        School = "school",
        Region = "region",
    }
}
