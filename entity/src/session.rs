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

crate::state_enum! {
    /// What a restricted session must do first.
    pub enum Restriction {
        /// Change the password (an administrator reset it, or it expired).
        PasswordChange = "password_change",
        /// Enrol a second factor, which the account's role requires.
        SecondFactorEnrolment = "second_factor_enrolment",
    }
}

crate::state_enum! {
    /// Why a session ended.
    pub enum SessionEndReason {
        /// The owner signed out.
        SignedOut = "signed_out",
        /// The owner ended it from another session.
        EndedByOwner = "ended_by_owner",
        /// A security administrator ended it.
        EndedByAdministrator = "ended_by_administrator",
        /// Not used for longer than the idle period.
        IdleTimeout = "idle_timeout",
        /// Older than the longest a session may live.
        LifetimeReached = "lifetime_reached",
        /// A refresh token was used twice: taken for stolen.
        RefreshReuse = "refresh_reuse",
        /// Every session of the account was revoked (password change, deactivation).
        Revoked = "revoked",
        /// A security administrator reset the account's second factor.
        SecondFactorReset = "second_factor_reset",
    }
}
