//! Small lookups the other directory parts and domains share.
use std::collections::HashMap;

use entity::{account, school, teacher};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::{
    AppState,
    access::{NodeLevel, NodeRef, Permission},
    auth::Principal,
    platform::{
        error::{AppError, AppResult},
        paging::lookup,
    },
};

/// Teachers by id, in one query: the holders a page of rows names.
pub async fn teachers_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, teacher::Model>> {
    Ok(
        lookup(db, teacher::Entity::find(), teacher::Column::Id, ids, |t| {
            t.id
        })
        .await?,
    )
}

/// Teachers' names by id, in one query, for a page of rows.
pub async fn teacher_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    Ok(teachers_by_id(db, ids)
        .await?
        .into_iter()
        .map(|(id, t)| (id, t.name))
        .collect())
}

/// Accounts by id, in one query, for a page of rows that name them (reviewers, tutors, those who drew a sample).
pub async fn accounts_by_id(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, account::Model>> {
    Ok(
        lookup(db, account::Entity::find(), account::Column::Id, ids, |a| {
            a.id
        })
        .await?,
    )
}

/// Schools' names by id, in one query, for a page of rows.
pub async fn school_names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    Ok(
        lookup(db, school::Entity::find(), school::Column::Id, ids, |s| {
            s.id
        })
        .await?
        .into_iter()
        .map(|(id, s)| (id, s.name))
        .collect(),
    )
}

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

/// Resolves a node code: regions by their 6-digit code, schools by their 10-digit code.
pub async fn resolve_node(state: &AppState, code: &str) -> AppResult<Option<NodeRef>> {
    if let Some(region) = state.regions.get(code) {
        return Ok(Some(NodeRef {
            code: region.code.clone(),
            level: region.level,
            path: region.path.clone(),
        }));
    }
    let school = school::Entity::find()
        .filter(school::Column::Code.eq(code))
        .one(&state.db)
        .await?;
    Ok(school.map(|s| NodeRef {
        code: s.code,
        level: NodeLevel::School,
        path: s.path,
    }))
}

/// The node a report or sheet is about: the one asked for, or the caller's home node for `permission`; it must lie
/// where the caller holds `permission` (404 otherwise, so existence is not revealed).
pub async fn node_in_area(
    state: &AppState,
    principal: &Principal,
    node: Option<String>,
    permission: Permission,
) -> AppResult<NodeRef> {
    principal.require_somewhere(permission)?;
    let code = match node {
        Some(c) => c,
        None => principal
            .home_for(permission)
            .map(|g| g.scope_code.clone())
            .ok_or(AppError::Forbidden)?,
    };
    let node = resolve_node(state, code.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    if !principal.can(permission, &node.path) {
        return Err(AppError::NotFound);
    }
    Ok(node)
}
