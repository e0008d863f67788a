use sea_orm::entity::prelude::*;

/// An account's TOTP secret (sealed with the data key). Active once `confirmed_at` is set; an enrolment in progress
/// keeps the new secret in `pending_secret_enc` until its first code confirms it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "second_factors")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub secret_enc: Option<String>,
    pub pending_secret_enc: Option<String>,
    pub confirmed_at: Option<DateTimeUtc>,
    /// The time step of the last accepted code: that code and older ones are refused.
    pub last_used_step: Option<i64>,
    /// Wrong codes since the last right one, over all challenges and step-ups.
    pub failures: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
