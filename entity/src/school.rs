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
    /// 学段类别.
    pub stage: Stage,
    /// 城乡属性.
    pub urban_rural: UrbanRural,
    pub teaching_point: bool,
    pub address: Option<String>,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

crate::state_enum! {
    /// 学段类别 of a school, and the 任教学段 of a teacher.
    pub enum Stage {
        /// 幼儿园.
        Kindergarten = "kindergarten",
        /// 小学.
        Primary = "primary",
        /// 初中.
        JuniorSecondary = "junior_secondary",
        /// 高中.
        SeniorSecondary = "senior_secondary",
        /// 九年一贯制.
        NineYear = "nine_year",
        /// 十二年一贯制.
        TwelveYear = "twelve_year",
        /// 完全中学.
        CompleteSecondary = "complete_secondary",
        /// 中职.
        Vocational = "vocational",
        /// 特殊教育.
        SpecialEducation = "special_education",
        /// 其他.
        Other = "other",
    }
}

crate::state_enum! {
    /// 城乡属性 of a school: 城区, 镇区 or 乡村.
    pub enum UrbanRural {
        Urban = "urban",
        Town = "town",
        Rural = "rural",
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
