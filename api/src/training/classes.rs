//! Classes (班级) of a program: the professional line's unit. Program managers create classes, assign tutor
//! accounts (辅导教师) and place approved enrolments in them (one class per enrolment). Who may do what to a class
//! — manager, tutor, placed teacher or nobody — is decided once, in [`access`]; coursework and attendance ask it too.
use crate::platform::i18n::{Text, catalogue::training as tm};
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use entity::enrollment::{ReviewStatus, TrainingStatus};
use entity::{account, account_role, class_member, class_tutor, enrollment, training_class};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::programs;
use crate::{
    access::{Permission, Role},
    auth::Principal,
    directory::service::{school_names, teachers_by_id},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, count_by, fetch, lookup, lookup_all, window},
    },
};

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ClassInput {
    #[oai(validator(min_length = 1, max_length = 128))]
    pub name: String,
    /// The training institution (培训机构/承训院校) running the class.
    #[oai(validator(max_length = 128))]
    pub institution: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TutorsInput {
    /// Accounts holding the tutor role; replaces the class's tutors.
    #[oai(validator(max_items = 20))]
    pub account_ids: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct PlacementInput {
    /// Approved enrolments of the class's program to place in it.
    #[oai(validator(min_items = 1, max_items = 500))]
    pub enrollment_ids: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct TutorView {
    pub account_id: i64,
    pub display_name: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ClassView {
    pub id: i64,
    pub program_id: i64,
    pub name: String,
    pub institution: Option<String>,
    pub tutors: Vec<TutorView>,
    /// Enrolments placed in the class.
    pub members: u64,
    pub created_at: DateTime<Utc>,
}

/// A placed teacher, with personal data masked as everywhere else.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ClassMemberView {
    pub enrollment_id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_name: String,
    /// e.g. `510104********1234`.
    pub id_card_masked: String,
    /// Absent when the member has no enrolment in the program.
    pub training_status: Option<TrainingStatus>,
    pub counted_hours: f64,
    pub placed_at: DateTime<Utc>,
}

/// What the caller is to a class.
#[derive(Debug, Clone)]
pub enum ClassRole {
    /// Holds program.manage over the program's owner.
    Manager,
    Tutor,
    /// A teacher whose enrolment is placed in the class.
    Member(class_member::Model),
}

#[derive(Debug, Clone)]
pub struct ClassAccess {
    pub class: training_class::Model,
    pub role: ClassRole,
}

impl ClassAccess {
    /// Managers and tutors run the class; a placed teacher sees it but may not (403).
    pub fn require_staff(&self) -> AppResult<()> {
        match self.role {
            ClassRole::Manager | ClassRole::Tutor => Ok(()),
            ClassRole::Member(_) => Err(AppError::Forbidden),
        }
    }

    pub fn require_manager(&self) -> AppResult<()> {
        match self.role {
            ClassRole::Manager => Ok(()),
            _ => Err(AppError::Forbidden),
        }
    }
}

/// Is this principal a tutor of this class: assigned to it, and still holding the tutor role.
pub async fn is_tutor(
    db: &impl ConnectionTrait,
    principal: &Principal,
    class_id: i64,
) -> AppResult<bool> {
    if !principal.holds(Role::Tutor) {
        return Ok(false);
    }
    Ok(class_tutor::Entity::find()
        .filter(class_tutor::Column::ClassId.eq(class_id))
        .filter(class_tutor::Column::AccountId.eq(principal.account_id))
        .count(db)
        .await?
        > 0)
}

/// The caller's relation to a class; 404 when they have none.
pub async fn access(
    db: &impl ConnectionTrait,
    principal: &Principal,
    class_id: i64,
) -> AppResult<ClassAccess> {
    access_in(db, principal, class_id).await
}

/// [`access`] on any connection, so it can run inside the caller's transaction.
pub async fn access_in(
    db: &impl ConnectionTrait,
    principal: &Principal,
    class_id: i64,
) -> AppResult<ClassAccess> {
    let class = training_class::Entity::find_by_id(class_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = if principal.can(Permission::ProgramManage, &class.path) {
        ClassRole::Manager
    } else if is_tutor(db, principal, class.id).await? {
        ClassRole::Tutor
    } else {
        match placement(db, principal, class.id).await? {
            Some(m) => ClassRole::Member(m),
            None => return Err(AppError::NotFound),
        }
    };
    Ok(ClassAccess { class, role })
}

/// The caller's own placement in a class, as a teacher.
async fn placement(
    db: &impl ConnectionTrait,
    principal: &Principal,
    class_id: i64,
) -> AppResult<Option<class_member::Model>> {
    let Some(teacher_id) = principal.teacher_id else {
        return Ok(None);
    };
    Ok(class_member::Entity::find()
        .filter(class_member::Column::ClassId.eq(class_id))
        .filter(class_member::Column::TeacherId.eq(teacher_id))
        .one(db)
        .await?)
}

/// The classes a principal reaches other than by managing their program: those they tutor and those they sit in.
/// Small per principal, so list conditions are built from it instead of from subqueries.
#[derive(Debug, Default)]
pub struct Reach {
    pub tutored: Vec<training_class::Model>,
    pub placed: Vec<(class_member::Model, training_class::Model)>,
}

impl Reach {
    pub fn class_ids(&self) -> Vec<i64> {
        let tutored = self.tutored.iter().map(|c| c.id);
        tutored
            .chain(self.placed.iter().map(|(_, c)| c.id))
            .collect()
    }

    pub fn program_ids(&self) -> BTreeSet<i64> {
        let tutored = self.tutored.iter().map(|c| c.program_id);
        tutored
            .chain(self.placed.iter().map(|(_, c)| c.program_id))
            .collect()
    }

    pub fn tutors(&self, class_id: i64) -> bool {
        self.tutored.iter().any(|c| c.id == class_id)
    }

    /// My placement in any class of a program (an enrolment sits in one class at most).
    pub fn placed_in_program(
        &self,
        program_id: i64,
    ) -> Option<&(class_member::Model, training_class::Model)> {
        self.placed.iter().find(|(_, c)| c.program_id == program_id)
    }
}

pub async fn reach(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<Reach> {
    let mut reach = Reach::default();
    if principal.holds(Role::Tutor) {
        let ids: Vec<i64> = class_tutor::Entity::find()
            .filter(class_tutor::Column::AccountId.eq(principal.account_id))
            .all(db)
            .await?
            .into_iter()
            .map(|t| t.class_id)
            .collect();
        reach.tutored = training_class::Entity::find()
            .filter(training_class::Column::Id.is_in(ids))
            .all(db)
            .await?;
    }
    if let Some(teacher_id) = principal.teacher_id {
        let members = class_member::Entity::find()
            .filter(class_member::Column::TeacherId.eq(teacher_id))
            .all(db)
            .await?;
        let classes = lookup(
            db,
            training_class::Entity::find(),
            training_class::Column::Id,
            members.iter().map(|m| m.class_id),
            |c| c.id,
        )
        .await?;
        for m in members {
            if let Some(c) = classes.get(&m.class_id).cloned() {
                reach.placed.push((m, c));
            }
        }
    }
    Ok(reach)
}

async fn view(db: &impl ConnectionTrait, c: training_class::Model) -> AppResult<ClassView> {
    views(db, vec![c])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("class view"))
}

/// Views of classes with their tutors and member counts: one statement per related table however many classes.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<training_class::Model>,
) -> AppResult<Vec<ClassView>> {
    let ids = || rows.iter().map(|c| c.id);
    let tutors = lookup_all(
        db,
        class_tutor::Entity::find(),
        class_tutor::Column::ClassId,
        ids(),
        |t| t.class_id,
    )
    .await?;
    let tutor_accounts: Vec<i64> = tutors.values().flatten().map(|t| t.account_id).collect();
    let accounts = crate::directory::service::accounts_by_id(db, tutor_accounts).await?;
    let members = count_by(
        db,
        class_member::Entity::find(),
        class_member::Column::ClassId,
        ids(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let tutor_ids: BTreeSet<i64> = tutors
                .get(&c.id)
                .into_iter()
                .flatten()
                .map(|t| t.account_id)
                .collect();
            ClassView {
                id: c.id,
                program_id: c.program_id,
                name: c.name,
                institution: c.institution,
                tutors: tutor_ids
                    .iter()
                    .filter_map(|id| accounts.get(id))
                    .map(|a| TutorView {
                        account_id: a.id,
                        display_name: a.display_name.clone(),
                    })
                    .collect(),
                members: members.get(&c.id).copied().unwrap_or_default(),
                created_at: c.created_at,
            }
        })
        .collect())
}

fn trimmed(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// A new class of a program I manage.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    program_id: i64,
    input: ClassInput,
) -> AppResult<ClassView> {
    let p = programs::find_visible(db, principal, program_id).await?;
    if !principal.can(Permission::ProgramManage, &p.owner_path) {
        return Err(AppError::Forbidden);
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        return Err(AppError::field("name", tm::ClassNameRequired));
    }
    let txn = begin_write(db).await?;
    let c = training_class::ActiveModel {
        program_id: Set(p.id),
        name: Set(name),
        institution: Set(trimmed(input.institution)),
        path: Set(p.owner_path.clone()),
        created_by: Set(principal.account_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "class.create",
        ("class", c.id, &c.path),
        serde_json::json!({ "name": c.name }),
    )
    .await?;
    txn.commit().await?;
    view(db, c).await
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<ClassView> {
    let a = access(db, principal, id).await?;
    view(db, a.class).await
}

/// Classes of programs I manage, classes I tutor and the class I sit in.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    program_id: Option<i64>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<ClassView>> {
    let (page, size, offset) = window(page, page_size)?;
    let reach = reach(db, principal).await?;
    let visible = Condition::any()
        .add(
            principal
                .scope(Permission::ProgramManage)
                .condition(training_class::Column::Path.into_simple_expr(), None),
        )
        .add(training_class::Column::Id.is_in(reach.class_ids()));
    let mut q = training_class::Entity::find().filter(visible);
    if let Some(p) = program_id {
        q = q.filter(training_class::Column::ProgramId.eq(p));
    }
    let (rows, total) = fetch(db, q.order_by_asc(training_class::Column::Id), offset, size).await?;
    Ok(Page {
        items: views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// An active account holding the tutor role, or the reason it cannot tutor.
async fn tutor_account(db: &impl ConnectionTrait, id: i64) -> AppResult<Result<(), Text>> {
    let Some(a) = account::Entity::find_by_id(id).one(db).await? else {
        return Ok(Err(tm::NoSuchAccount {
            value: id.to_string(),
        }
        .into()));
    };
    let holds_role = account_role::Entity::find()
        .filter(account_role::Column::AccountId.eq(a.id))
        .filter(account_role::Column::Role.eq(Role::Tutor))
        .count(db)
        .await?
        > 0;
    Ok(if !a.active {
        Err(tm::AccountInactive {
            value: id.to_string(),
        }
        .into())
    } else if !holds_role {
        Err(tm::AccountNotTutor {
            value: id.to_string(),
        }
        .into())
    } else {
        Ok(())
    })
}

/// Replaces the class's tutors (program managers).
pub async fn set_tutors(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: TutorsInput,
) -> AppResult<ClassView> {
    let a = access(db, principal, id).await?;
    a.require_manager()?;
    let wanted: BTreeSet<i64> = input.account_ids.iter().copied().collect();
    for account_id in &wanted {
        tutor_account(db, *account_id)
            .await?
            .map_err(|m| AppError::field("account_ids", m))?;
    }
    let txn = begin_write(db).await?;
    class_tutor::Entity::delete_many()
        .filter(class_tutor::Column::ClassId.eq(a.class.id))
        .filter(class_tutor::Column::AccountId.is_not_in(wanted.iter().copied()))
        .exec(&txn)
        .await?;
    let kept: BTreeSet<i64> = class_tutor::Entity::find()
        .filter(class_tutor::Column::ClassId.eq(a.class.id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| t.account_id)
        .collect();
    for account_id in wanted.difference(&kept) {
        class_tutor::ActiveModel {
            class_id: Set(a.class.id),
            account_id: Set(*account_id),
            assigned_by: Set(principal.account_id),
            assigned_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record_change(
        &txn,
        principal,
        "class.tutors",
        ("class", a.class.id, &a.class.path),
        serde_json::json!({ "account_ids": wanted }),
    )
    .await?;
    txn.commit().await?;
    view(db, a.class).await
}

/// Why an enrolment cannot be placed in `class`, if it cannot.
async fn placeable(
    db: &impl ConnectionTrait,
    class: &training_class::Model,
    enrollment_id: i64,
) -> AppResult<Result<enrollment::Model, AppError>> {
    let e = enrollment::Entity::find_by_id(enrollment_id)
        .one(db)
        .await?;
    let Some(e) =
        e.filter(|e| e.program_id == class.program_id && e.review_status == ReviewStatus::Approved)
    else {
        return Ok(Err(AppError::field(
            "enrollment_ids",
            tm::EnrolmentNotApprovedHere {
                value: enrollment_id.to_string(),
            },
        )));
    };
    let placed = class_member::Entity::find()
        .filter(class_member::Column::EnrollmentId.eq(e.id))
        .one(db)
        .await?;
    Ok(match placed {
        Some(m) if m.class_id != class.id => Err(AppError::conflict(
            "enrollment_ids",
            tm::EnrolmentInOtherClass {
                value: enrollment_id.to_string(),
            },
        )),
        _ => Ok(e),
    })
}

/// Places approved enrolments of the program in the class (program managers). Placing one already in this class
/// changes nothing; one in another class is a 409.
pub async fn place(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: PlacementInput,
) -> AppResult<ClassView> {
    let a = access(db, principal, id).await?;
    a.require_manager()?;
    let wanted: BTreeSet<i64> = input.enrollment_ids.iter().copied().collect();
    let mut enrolments = Vec::new();
    for eid in wanted {
        enrolments.push(placeable(db, &a.class, eid).await??);
    }
    let txn = begin_write(db).await?;
    let mut placed = Vec::new();
    for e in enrolments {
        let already = class_member::Entity::find()
            .filter(class_member::Column::EnrollmentId.eq(e.id))
            .count(&txn)
            .await?
            > 0;
        if already {
            continue;
        }
        class_member::ActiveModel {
            class_id: Set(a.class.id),
            enrollment_id: Set(e.id),
            teacher_id: Set(e.teacher_id),
            placed_by: Set(principal.account_id),
            placed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await
        // A concurrent placement in another class loses on the unique index.
        .map_err(|err| {
            crate::platform::error::map_unique(err, "enrollment_ids", tm::TheEnrolmentInOtherClass)
        })?;
        placed.push(e.id);
    }
    audit::record_change(
        &txn,
        principal,
        "class.place",
        ("class", a.class.id, &a.class.path),
        serde_json::json!({ "enrollment_ids": placed }),
    )
    .await?;
    txn.commit().await?;
    view(db, a.class).await
}

/// Views of class members with their enrolments, teachers and schools, one statement each for a whole page.
async fn member_views(
    db: &impl ConnectionTrait,
    rows: Vec<class_member::Model>,
) -> AppResult<Vec<ClassMemberView>> {
    let enrolments = lookup(
        db,
        enrollment::Entity::find(),
        enrollment::Column::Id,
        rows.iter().map(|m| m.enrollment_id),
        |e| e.id,
    )
    .await?;
    let teachers = teachers_by_id(db, rows.iter().map(|m| m.teacher_id)).await?;
    let schools = school_names(db, teachers.values().map(|t| t.school_id)).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let e = enrolments.get(&m.enrollment_id);
            let t = teachers.get(&m.teacher_id);
            ClassMemberView {
                enrollment_id: m.enrollment_id,
                teacher_id: m.teacher_id,
                teacher_name: t.map(|t| t.name.clone()).unwrap_or_default(),
                school_name: t
                    .and_then(|t| schools.get(&t.school_id))
                    .cloned()
                    .unwrap_or_default(),
                id_card_masked: t.map(|t| t.id_card_masked.clone()).unwrap_or_default(),
                training_status: e.map(|e| e.training_status),
                counted_hours: e
                    .map(|e| f64::from(e.counted_hours) / 2.0)
                    .unwrap_or_default(),
                placed_at: m.placed_at,
            }
        })
        .collect())
}

pub async fn member_of(
    db: &impl ConnectionTrait,
    class_id: i64,
    enrollment_id: i64,
) -> AppResult<Option<class_member::Model>> {
    Ok(class_member::Entity::find()
        .filter(class_member::Column::ClassId.eq(class_id))
        .filter(class_member::Column::EnrollmentId.eq(enrollment_id))
        .one(db)
        .await?)
}

/// The teachers of a class (its managers and tutors).
pub async fn members(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<ClassMemberView>> {
    let a = access(db, principal, id).await?;
    a.require_staff()?;
    let (page, size, offset) = window(page, page_size)?;
    let q = class_member::Entity::find()
        .filter(class_member::Column::ClassId.eq(a.class.id))
        .order_by_asc(class_member::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: member_views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}
