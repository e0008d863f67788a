use sea_orm::entity::prelude::*;

/// A training program (培训项目).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub name: String,
    pub level: ProgramLevel,
    /// The program type as its administrator names it (信息技术应用能力提升 …): free text, not a closed set.
    pub kind: String,
    pub year: i32,
    pub enrolment_mode: EnrolmentMode,
    pub enrol_from: Option<DateTimeUtc>,
    pub enrol_until: Option<DateTimeUtc>,
    pub train_from: Option<Date>,
    pub train_until: Option<Date>,
    /// JSON: `{"kind":"cumulative"}` or `{"kind":"designated","caps":{"online":40,…}}` in half-hours.
    pub hour_rule: String,
    /// JSON: `{"required_total":100,"minimums":{"online":40,"practice":60}}` in half-hours.
    pub completion_rule: String,
    pub owner_code: String,
    pub owner_path: String,
    pub status: ProgramStatus,
    pub created_by: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

crate::state_enum! {
    /// 国培 / 省培 / 市培 / 县培 / 校本: who runs the program (and so which node owns it).
    pub enum ProgramLevel {
        National = "national",
        Provincial = "provincial",
        City = "city",
        County = "county",
        School = "school",
    }
}

crate::state_enum! {
    /// 计划 (assigned by administrators) or 自由 (teachers choose and are approved).
    pub enum EnrolmentMode {
        Assigned = "assigned",
        Free = "free",
    }
}

crate::state_enum! {
    /// Where a program is in its life: prepared, open to enrolment and training, or closed.
    pub enum ProgramStatus {
        Draft = "draft",
        Published = "published",
        Closed = "closed",
    }
}
