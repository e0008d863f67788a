//! One way to load a row by id for a caller: rows that belong to a node of the tree (and, for some, to a teacher)
//! say so through [`Scoped`], and [`find_visible`] returns the row only when the caller may see it — its own row, or
//! one under a node where they hold the permission — and a 404 otherwise, so existence is never revealed.
use sea_orm::{ConnectionTrait, EntityTrait, PrimaryKeyTrait};

use super::{Permission, Principal};
use crate::platform::error::{AppError, AppResult};

/// A row placed in the tree.
pub trait Scoped {
    /// The materialized path of the node the row belongs to.
    fn scope_path(&self) -> &str;
    /// The teacher the row belongs to, who may always see it.
    fn owner_teacher(&self) -> Option<i64> {
        None
    }
    /// Whether `principal` may see the row when the operation asks for `permission`. Rows with a wider audience
    /// than "their teacher and whoever holds the permission over the path" (published programs, evidence seen by
    /// its reviewers) say so here, still through the principal's own checks.
    fn visible_to(&self, principal: &Principal, permission: Permission) -> bool {
        sees(principal, permission, self)
    }
}

/// [`Scoped`] for a model whose `path` column places it and whose `teacher_id` column names its teacher.
#[macro_export]
macro_rules! scoped_by_path_and_teacher {
    ($($model:ty),+ $(,)?) => {
        $(
            impl $crate::access::Scoped for $model {
                fn scope_path(&self) -> &str {
                    &self.path
                }
                fn owner_teacher(&self) -> Option<i64> {
                    Some(self.teacher_id)
                }
            }
        )+
    };
}

/// Whether `principal` may see `row` under `permission`.
pub fn sees(principal: &Principal, permission: Permission, row: &(impl Scoped + ?Sized)) -> bool {
    row.owner_teacher()
        .is_some_and(|t| principal.teacher_id == Some(t))
        || principal.can(permission, row.scope_path())
}

/// The row `id` of `E` when the caller may see it under `permission`; 404 when it does not exist or is out of sight.
pub async fn find_visible<E>(
    db: &impl ConnectionTrait,
    principal: &Principal,
    permission: Permission,
    id: i64,
) -> AppResult<E::Model>
where
    E: EntityTrait,
    E::Model: Scoped,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
{
    E::find_by_id(id)
        .one(db)
        .await?
        .filter(|row| row.visible_to(principal, permission))
        .ok_or(AppError::NotFound)
}
