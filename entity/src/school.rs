use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "schools")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// 10-digit 学校标识码.
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub county_code: String,
    /// County path plus the school code: `/510000/510100/510104/2151000001/`.
    pub path: String,
    /// 学段类别 (幼儿园, 小学, 初中, 高中, 九年一贯制, 完全中学, 中职, 特殊教育 …)
    pub stage: String,
    /// urban | town | rural
    pub urban_rural: String,
    pub teaching_point: bool,
    pub address: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
