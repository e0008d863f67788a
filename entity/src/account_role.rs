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
    /// region | school
    pub scope_kind: String,
    pub scope_path: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// A role an account holds at a node of the tree.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    poem_openapi::Enum,
    serde::Serialize,
    serde::Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[oai(rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[sea_orm(string_value = "province_admin")]
    ProvinceAdmin,
    #[sea_orm(string_value = "city_admin")]
    CityAdmin,
    #[sea_orm(string_value = "county_admin")]
    CountyAdmin,
    #[sea_orm(string_value = "school_admin")]
    SchoolAdmin,
    #[sea_orm(string_value = "teacher")]
    Teacher,
    #[sea_orm(string_value = "reviewer")]
    Reviewer,
    #[sea_orm(string_value = "tutor")]
    Tutor,
    #[sea_orm(string_value = "institution_admin")]
    InstitutionAdmin,
    /// 系统管理员: configuration, the job queue, reference data and backups. One of the three province system administrators (三员分立); no account holds two of them.
    #[sea_orm(string_value = "system_admin")]
    SystemAdmin,
    /// 安全管理员: administrators' accounts and roles, password and second-factor policy, unlocks, second-factor resets and ending sessions.
    #[sea_orm(string_value = "security_admin")]
    SecurityAdmin,
    /// 审计管理员: reads, searches, exports and verifies the whole audit log, and nothing else.
    #[sea_orm(string_value = "audit_admin")]
    AuditAdmin,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::ProvinceAdmin,
        Role::CityAdmin,
        Role::CountyAdmin,
        Role::SchoolAdmin,
        Role::Teacher,
        Role::Reviewer,
        Role::Tutor,
        Role::InstitutionAdmin,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
    ];

    /// The three system administrators (三员分立); an account may hold at most one of them.
    pub const SYSTEM_THREE: [Role; 3] = [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin];
}
