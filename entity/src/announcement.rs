use sea_orm::entity::prelude::*;

/// An announcement (通知公告) an administrator published to the subtree of their node.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "announcements")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub author_id: i64,
    /// The node it is published at (a region code or a school code); readers are at or below it.
    pub node_code: String,
    pub path: String,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// JSON array of the roles it is for; empty means every role.
    #[sea_orm(column_type = "Text")]
    pub roles: String,
    /// JSON array of the attached file ids.
    #[sea_orm(column_type = "Text")]
    pub attachments: String,
    pub valid_from: DateTimeUtc,
    pub valid_until: Option<DateTimeUtc>,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
