//! Small lookups the other directory parts and domains share.
use entity::school;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::{AppState, platform::error::AppResult};

/// The display name of a node: a region by its 6-digit code or a school by its 10-digit code.
pub async fn node_name(state: &AppState, code: &str) -> AppResult<String> {
    if let Some(region) = state.regions.get(code) {
        return Ok(region.name.clone());
    }
    let school = school::Entity::find()
        .filter(school::Column::Code.eq(code))
        .one(&state.db)
        .await?;
    Ok(school.map(|s| s.name).unwrap_or_else(|| code.to_string()))
}

/// [`node_name`] of many codes in one query (the schools among them), for lists.
pub async fn node_names(
    state: &AppState,
    codes: impl IntoIterator<Item = String>,
) -> AppResult<std::collections::HashMap<String, String>> {
    let mut names = std::collections::HashMap::new();
    let mut schools = Vec::new();
    for code in codes {
        match state.regions.get(&code) {
            Some(region) => {
                names.insert(code, region.name.clone());
            }
            None => schools.push(code),
        }
    }
    if !schools.is_empty() {
        for s in school::Entity::find()
            .filter(school::Column::Code.is_in(schools.clone()))
            .all(&state.db)
            .await?
        {
            names.insert(s.code, s.name);
        }
        for code in schools {
            names.entry(code.clone()).or_insert(code);
        }
    }
    Ok(names)
}

/// Resolves a node code to (kind, level, path): regions by their 6-digit code, schools by their 10-digit code.
pub async fn resolve_node(
    state: &AppState,
    code: &str,
) -> AppResult<Option<(String, String, String)>> {
    if let Some(region) = state.regions.get(code) {
        return Ok(Some((
            "region".into(),
            region.level.clone(),
            region.path.clone(),
        )));
    }
    let school = school::Entity::find()
        .filter(school::Column::Code.eq(code))
        .one(&state.db)
        .await?;
    Ok(school.map(|s| ("school".into(), "school".into(), s.path)))
}
