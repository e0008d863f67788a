//! References in a request body (a teacher, a school, an account named by id) resolved for writing.
//!
//! A reference is scope exactly like a path parameter: storing an id the caller may not reach would let them act
//! through it later (an account linked to a foreign teacher reads that teacher's records). So every stored
//! reference is resolved here against the caller's scope for the permission of the write. Unknown and out of
//! scope give the same 422 naming the field, so the answer never reveals whether a foreign row exists, and
//! nothing is written.
use crate::platform::i18n::catalogue::access as am;
use entity::{account, account_role, school, teacher};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::Permission;
use crate::{
    auth::Principal,
    platform::error::{AppError, AppResult},
};

/// The single answer for a reference the caller may not use: whether it is unknown or outside their area.
pub fn unusable(field: &str, what: impl crate::platform::i18n::Message) -> AppError {
    AppError::field(field, what)
}

/// A teacher record the caller may write a reference to: it exists and lies in the caller's `permission` scope.
pub async fn teacher_for_write(
    db: &impl ConnectionTrait,
    principal: &Principal,
    permission: Permission,
    id: i64,
    field: &str,
) -> AppResult<teacher::Model> {
    let found = teacher::Entity::find_by_id(id).one(db).await?;
    found
        .filter(|t| principal.can(permission, &t.path))
        .ok_or_else(|| unusable(field, am::TeacherOutsideArea))
}

/// A school the caller may write a reference to: it exists and lies in the caller's `permission` scope.
pub async fn school_for_write(
    db: &impl ConnectionTrait,
    principal: &Principal,
    permission: Permission,
    id: i64,
    field: &str,
) -> AppResult<school::Model> {
    let found = school::Entity::find_by_id(id).one(db).await?;
    found
        .filter(|s| principal.can(permission, &s.path))
        .ok_or_else(|| unusable(field, am::SchoolOutsideArea))
}

/// An active account the caller may write a reference to, with its grants: at least one grant lies in the
/// caller's `permission` scope and, when `role` is given, that grant is of this role.
pub async fn account_for_write(
    db: &impl ConnectionTrait,
    principal: &Principal,
    permission: Permission,
    role: Option<super::Role>,
    id: i64,
    field: &str,
) -> AppResult<(account::Model, account_role::Model)> {
    let Some(found) = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|a| a.active)
    else {
        return Err(unusable(field, am::AccountOutsideArea));
    };
    let mut grants =
        account_role::Entity::find().filter(account_role::Column::AccountId.eq(found.id));
    if let Some(role) = role {
        grants = grants.filter(account_role::Column::Role.eq(role.as_str()));
    }
    let grant = grants
        .all(db)
        .await?
        .into_iter()
        .find(|g| principal.can(permission, &g.scope_path))
        .ok_or_else(|| unusable(field, am::AccountOutsideArea))?;
    Ok((found, grant))
}
