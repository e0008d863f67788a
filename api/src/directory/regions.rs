//! The region tree: reference data loaded once, and the scoped endpoints that read it.
use std::collections::HashMap;

use entity::region;
use poem_openapi::{
    Object, OpenApi,
    param::{Path, Query},
    payload::Json,
};
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryOrder};

use crate::{
    AppState,
    access::{NodeLevel, Permission},
    auth::{BearerAuth, Principal},
    platform::error::{AppError, AppResult},
    tags::Tag,
};

pub struct RegionIndex {
    by_code: HashMap<String, region::Model>,
    /// Codes in code order (parents before children).
    ordered: Vec<String>,
}

impl RegionIndex {
    pub async fn load(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let rows = region::Entity::find()
            .order_by_asc(region::Column::Code)
            .all(db)
            .await?;
        Ok(Self::from_rows(rows))
    }

    pub fn from_rows(rows: Vec<region::Model>) -> Self {
        let ordered = rows.iter().map(|r| r.code.clone()).collect();
        Self {
            by_code: rows.into_iter().map(|r| (r.code.clone(), r)).collect(),
            ordered,
        }
    }

    pub fn get(&self, code: &str) -> Option<&region::Model> {
        self.by_code.get(code)
    }

    /// The path to filter a list by region; an unknown code gives a path no row has, so nothing matches.
    pub fn filter_path(&self, code: &str) -> String {
        self.get(code)
            .map(|r| r.path.clone())
            .unwrap_or_else(|| "/nowhere/".into())
    }

    /// The two-digit province prefix that every school code of this deployment carries.
    pub fn province_prefix(&self) -> String {
        self.ordered
            .first()
            .map(|c| c[..2].to_string())
            .unwrap_or_else(|| "51".into())
    }

    pub fn all(&self) -> impl Iterator<Item = &region::Model> {
        self.ordered.iter().filter_map(|c| self.by_code.get(c))
    }

    /// A region is visible when it is in the caller's subtree, or is an ancestor of it (for context).
    pub fn visible(&self, principal: &Principal, code: &str) -> bool {
        let Some(region) = self.get(code) else {
            return false;
        };
        principal
            .scope(Permission::RegionRead)
            .prefixes
            .iter()
            .any(|p| region.path.starts_with(p.as_str()) || p.starts_with(region.path.as_str()))
    }
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct RegionView {
    /// 6-digit 行政区划代码.
    pub code: String,
    pub name: String,
    pub level: NodeLevel,
    pub parent_code: Option<String>,
    pub poverty_county: bool,
    pub ethnic_area: bool,
}

impl From<&region::Model> for RegionView {
    fn from(r: &region::Model) -> Self {
        Self {
            code: r.code.clone(),
            name: r.name.clone(),
            level: r.level,
            parent_code: r.parent_code.clone(),
            poverty_county: r.poverty_county,
            ethnic_area: r.ethnic_area,
        }
    }
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct RegionNode {
    pub code: String,
    pub name: String,
    pub level: NodeLevel,
    pub children: Vec<RegionNode>,
}

fn build_tree(index: &RegionIndex, principal: &Principal, parent: Option<&str>) -> Vec<RegionNode> {
    index
        .all()
        .filter(|r| r.parent_code.as_deref() == parent && index.visible(principal, &r.code))
        .map(|r| RegionNode {
            code: r.code.clone(),
            name: r.name.clone(),
            level: r.level,
            children: build_tree(index, principal, Some(&r.code)),
        })
        .collect()
}

pub struct RegionsApi;

#[OpenApi(tag = "Tag::Regions")]
impl RegionsApi {
    /// The region tree as far as I may see it: my own part, with its ancestors for context.
    #[oai(path = "/regions/tree", method = "get", operation_id = "regionTree")]
    async fn tree(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<Vec<RegionNode>>> {
        Ok(Json(build_tree(&state.regions, &auth.0, None)))
    }

    /// Child regions of `parent` (or the top visible regions when absent).
    #[oai(path = "/regions", method = "get", operation_id = "listRegions")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        parent: Query<Option<String>>,
    ) -> AppResult<Json<Vec<RegionView>>> {
        if let Some(p) = parent.0.as_deref()
            && !state.regions.visible(&auth.0, p)
        {
            return Err(AppError::NotFound);
        }
        let items = state
            .regions
            .all()
            .filter(|r| {
                r.parent_code.as_deref() == parent.0.as_deref()
                    && state.regions.visible(&auth.0, &r.code)
            })
            .map(RegionView::from)
            .collect();
        Ok(Json(items))
    }

    /// One region by its 6-digit code.
    #[oai(path = "/regions/:code", method = "get", operation_id = "getRegion")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        code: Path<String>,
    ) -> AppResult<Json<RegionView>> {
        if !state.regions.visible(&auth.0, &code.0) {
            return Err(AppError::NotFound);
        }
        state
            .regions
            .get(&code.0)
            .map(|r| Json(r.into()))
            .ok_or(AppError::NotFound)
    }
}
