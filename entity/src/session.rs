use sea_orm::entity::prelude::*;

/// One sign-in: it owns a refresh-token family, and every access token issued in it names it (`sid`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    #[sea_orm(unique)]
    pub family: String,
    pub created_at: DateTimeUtc,
    /// Recorded at most once a minute.
    pub last_active_at: DateTimeUtc,
    pub ip: String,
    pub user_agent: String,
    pub ended_at: Option<DateTimeUtc>,
    pub end_reason: Option<String>,
    /// The account that ended it (the owner or a security administrator).
    pub ended_by: Option<i64>,
    /// The last second-factor verification in this session (sign-in or step-up).
    pub second_factor_at: Option<DateTimeUtc>,
    /// `password_change` or `second_factor_enrolment`: only that (and /me, sign-out) is allowed until done.
    pub restriction: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
