use sea_orm::entity::prelude::*;

/// Failed sign-ins for one typed username (real or not) from one client address (a keyed hash of it). Locks grow
/// with each strike (a lock reached again without a successful sign-in in between).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_throttles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub username: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub address_hash: String,
    pub failures: i32,
    pub strikes: i32,
    pub locked_until: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
