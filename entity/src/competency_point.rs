use sea_orm::entity::prelude::*;

/// One card of a catalogue version: a micro-competency (A1–A13, B1–B10, C1–C7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "competency_points")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub catalog_id: i64,
    pub code: String,
    pub environment: Environment,
    /// Unset until confirmed.
    pub dimension: Option<Dimension>,
    pub name: String,
    pub description: String,
    /// JSON list of `{key, name, description, required}`.
    pub evidence_items: String,
    /// JSON list of strings: every one must hold for 优秀.
    pub excellent_criteria: String,
    /// JSON list of strings: every one must hold for 合格.
    pub pass_criteria: String,
    pub position: i32,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// The three environments: A 多媒体教学环境, B 混合学习环境, C 智慧学习环境.
    pub enum Environment {
        A = "A",
        B = "B",
        C = "C",
    }
}

crate::state_enum! {
    /// The four dimensions: 学情分析, 教学设计, 学法指导, 学业评价.
    pub enum Dimension {
        Analysis = "analysis",
        Design = "design",
        Guidance = "guidance",
        Assessment = "assessment",
    }
}
