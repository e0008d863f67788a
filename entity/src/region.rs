use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    /// A region is a province, city or county (schools have their own table).
    pub level: NodeLevel,
    pub parent_code: Option<String>,
    /// Materialized path: `/510000/510100/510104/`.
    pub path: String,
    pub poverty_county: bool,
    pub ethnic_area: bool,
}

crate::state_enum! {
    /// The level of a node of the tree: the three region levels and the schools below them.
    pub enum NodeLevel {
        Province = "province",
        City = "city",
        County = "county",
        School = "school",
    }
}

impl NodeLevel {
    /// The level of a materialized path (one segment per level): `/510000/510100/` is a city.
    pub fn of_path(path: &str) -> Option<NodeLevel> {
        match path.split('/').filter(|s| !s.is_empty()).count() {
            1 => Some(NodeLevel::Province),
            2 => Some(NodeLevel::City),
            3 => Some(NodeLevel::County),
            4 => Some(NodeLevel::School),
            _ => None,
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
