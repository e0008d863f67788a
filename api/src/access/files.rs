//! Who may read an uploaded file. The uploader, and whoever may read the teacher (or the area) the file belongs
//! to, always may. Beyond that each purpose has owners who know their own records (a coursework attachment is
//! read by those who grade the submission carrying it, 能力点 evidence by the submission's reviewers, a lesson's
//! items by whoever sees the lesson): those modules register a [`FileReadPolicy`] for their purpose where the
//! application is assembled, so the file store decides through this registry without importing any of them.
use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};

use entity::file::{self, FilePurpose};
use sea_orm::DatabaseConnection;

use super::{Permission, Principal};
use crate::platform::error::AppResult;

/// The answer of a policy; boxed so policies of different modules fit one registry.
pub type Decision<'a> = Pin<Box<dyn Future<Output = AppResult<bool>> + Send + 'a>>;

/// Grants read access to files of one purpose through the records that carry them.
pub trait FileReadPolicy: Send + Sync {
    /// The purpose this policy speaks for.
    fn purpose(&self) -> FilePurpose;
    fn may_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        file: &'a file::Model,
    ) -> Decision<'a>;
}

/// The registered policies by purpose. Cheap to clone.
#[derive(Clone, Default)]
pub struct FilePolicies {
    by_purpose: HashMap<FilePurpose, Vec<Arc<dyn FileReadPolicy>>>,
}

impl FilePolicies {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn register(mut self, policy: impl FileReadPolicy + 'static) -> Self {
        self.by_purpose
            .entry(policy.purpose())
            .or_default()
            .push(Arc::new(policy));
        self
    }

    /// Whether `principal` may read `f`: the rule every file shares, then the policies of its purpose.
    pub async fn readable(
        &self,
        db: &DatabaseConnection,
        principal: &Principal,
        f: &file::Model,
    ) -> AppResult<bool> {
        if readable_by(principal, f) {
            return Ok(true);
        }
        for policy in self.by_purpose.get(&f.purpose).into_iter().flatten() {
            if policy.may_read(db, principal, f).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

/// The uploader, or whoever may read the teacher (or the area) the file belongs to — the administrators who
/// approve a 补录 see its evidence.
pub fn readable_by(principal: &Principal, f: &file::Model) -> bool {
    f.uploaded_by == principal.account_id
        || match f.teacher_id {
            Some(t) => principal.owns_or_can(Permission::TeacherRead, t, &f.path),
            None => principal.can(Permission::TeacherRead, &f.path),
        }
}
