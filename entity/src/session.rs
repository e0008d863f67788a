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
    pub end_reason: Option<SessionEndReason>,
    /// The account that ended it (the owner or a security administrator).
    pub ended_by: Option<i64>,
    /// The last second-factor verification in this session (sign-in or step-up).
    pub second_factor_at: Option<DateTimeUtc>,
    /// `password_change` or `second_factor_enrolment`: only that (and /me, sign-out) is allowed until done.
    pub restriction: Option<Restriction>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// What a restricted session must do first.
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
pub enum Restriction {
    /// Change the password (an administrator reset it, or it expired).
    #[sea_orm(string_value = "password_change")]
    PasswordChange,
    /// Enrol a second factor, which the account's role requires.
    #[sea_orm(string_value = "second_factor_enrolment")]
    SecondFactorEnrolment,
}

/// Why a session ended.
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
pub enum SessionEndReason {
    /// The owner signed out.
    #[sea_orm(string_value = "signed_out")]
    SignedOut,
    /// The owner ended it from another session.
    #[sea_orm(string_value = "ended_by_owner")]
    EndedByOwner,
    /// A security administrator ended it.
    #[sea_orm(string_value = "ended_by_administrator")]
    EndedByAdministrator,
    /// Not used for longer than the idle period.
    #[sea_orm(string_value = "idle_timeout")]
    IdleTimeout,
    /// Older than the longest a session may live.
    #[sea_orm(string_value = "lifetime_reached")]
    LifetimeReached,
    /// A refresh token was used twice: taken for stolen.
    #[sea_orm(string_value = "refresh_reuse")]
    RefreshReuse,
    /// Every session of the account was revoked (password change, deactivation).
    #[sea_orm(string_value = "revoked")]
    Revoked,
    /// A security administrator reset the account's second factor.
    #[sea_orm(string_value = "second_factor_reset")]
    SecondFactorReset,
}
