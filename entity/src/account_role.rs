use sea_orm::entity::prelude::*;

/// One role of an account, bound to a node of the tree (a region code or a school code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_roles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub role: String,
    pub scope_code: String,
    /// region | school
    pub scope_kind: String,
    pub scope_path: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
