//! Teachers (一人一号): 身份证号 and phone are encrypted at rest with a keyed hash for lookup and shown masked;
//! the full values only through `reveal`, which needs its own permission and is audited.
use chrono::{NaiveDate, Utc};
use entity::{school, teacher};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

use super::{
    labels::{Gender, Labelled, Stage},
    validate,
};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        bulk::BulkOutcome,
        crypto::{mask_id_card, mask_phone},
        db::{begin_write, contains_text, prefix_range},
        error::{AppError, AppResult, FieldError, map_unique},
        paging::{Page, SortOrder, fetch, window},
    },
    // Teacher counts per node are report numbers maintained with every change to a teacher.
    training::stats,
};

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherView {
    pub id: i64,
    pub name: String,
    pub gender: Gender,
    pub school_id: i64,
    pub school_code: String,
    pub school_name: String,
    /// Masked 身份证号, e.g. `510104********1234`.
    pub id_card_masked: String,
    /// Masked phone, e.g. `138****1234`.
    pub phone_masked: Option<String>,
    pub email: Option<String>,
    pub teacher_number: Option<String>,
    pub birth_date: NaiveDate,
    /// 任教学段.
    pub stage: Stage,
    /// 任教学科.
    pub subject: String,
    /// 职称.
    pub title: Option<String>,
    /// 学历.
    pub education: Option<String>,
    /// 教龄 in years.
    pub teaching_years: Option<i32>,
    pub active: bool,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherInput {
    #[oai(validator(max_length = 64))]
    pub name: String,
    /// 18-character 身份证号 in clear; stored encrypted.
    #[oai(validator(max_length = 18))]
    pub id_card: String,
    pub school_id: i64,
    #[oai(validator(max_length = 20))]
    pub phone: Option<String>,
    #[oai(validator(max_length = 128))]
    pub email: Option<String>,
    #[oai(validator(max_length = 32))]
    pub teacher_number: Option<String>,
    /// 任教学段: a `Stage` value, or its label (spreadsheets and older clients send 小学, 初中 …).
    #[oai(validator(max_length = 32))]
    pub stage: String,
    #[oai(validator(max_length = 32))]
    pub subject: String,
    #[oai(validator(max_length = 32))]
    pub title: Option<String>,
    #[oai(validator(max_length = 32))]
    pub education: Option<String>,
    #[oai(validator(minimum(value = "0"), maximum(value = "60")))]
    pub teaching_years: Option<i32>,
}

/// The full personal data, for callers allowed to see it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RevealedTeacher {
    pub id: i64,
    pub id_card: String,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Copy, Enum, Default)]
#[oai(rename_all = "snake_case")]
pub enum TeacherSort {
    #[default]
    Name,
    Id,
    SchoolId,
    Subject,
    CreatedAt,
}

/// 批量启用 / 停用: the teachers to change (at most 500, distinct ids counted once).
#[derive(Debug, Clone, Object)]
pub struct TeachersActiveRequest {
    #[oai(validator(min_items = 1, max_items = 500))]
    pub teacher_ids: Vec<i64>,
    /// `true` activates, `false` deactivates.
    pub active: bool,
}

#[derive(Debug, Default, Clone)]
pub struct TeacherFilter {
    pub region: Option<String>,
    pub school_id: Option<i64>,
    pub stage: Option<Stage>,
    pub subject: Option<String>,
    pub active: Option<bool>,
    /// A name's start (from two characters, any part of it), a teacher number or e-mail address; or an exact
    /// 身份证号 / phone, found through the keyed hash alone.
    pub keyword: Option<String>,
}

/// A validated teacher with its sensitive fields sealed, ready to store.
pub struct PreparedTeacher {
    pub name: String,
    pub gender: Gender,
    pub id_card_enc: String,
    pub id_card_hash: String,
    /// The ID number's hashes under older keys, which a row not yet rekeyed may still carry.
    pub id_card_older_hashes: Vec<String>,
    pub id_card_masked: String,
    pub birth_date: NaiveDate,
    pub phone_enc: Option<String>,
    pub phone_hash: Option<String>,
    pub phone_masked: Option<String>,
    pub email: Option<String>,
    pub teacher_number: Option<String>,
    pub stage: Stage,
    pub subject: String,
    pub title: Option<String>,
    pub education: Option<String>,
    pub teaching_years: Option<i32>,
}

fn blank_to_none(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks every field (all problems at once) and seals the personal data.
pub fn prepare(state: &AppState, input: &TeacherInput) -> Result<PreparedTeacher, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = match validate::human_name(&input.name) {
        Ok(n) => n,
        Err(e) => {
            errors.push(FieldError::new("name", e));
            String::new()
        }
    };
    let id = match validate::id_card(&input.id_card) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(FieldError::new("id_card", e));
            None
        }
    };
    let phone = match blank_to_none(&input.phone).map(|p| validate::phone(&p)) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            errors.push(FieldError::new("phone", e));
            None
        }
        None => None,
    };
    let email = match blank_to_none(&input.email).map(|e| validate::email(&e)) {
        Some(Ok(e)) => Some(e),
        Some(Err(e)) => {
            errors.push(FieldError::new("email", e));
            None
        }
        None => None,
    };
    let stage = Stage::from_input(&input.stage);
    if stage.is_none() {
        errors.push(FieldError::new(
            "stage",
            crate::platform::i18n::catalogue::directory::TeacherStageInvalid {
                allowed: Stage::allowed(),
            },
        ));
    }
    if input.subject.trim().is_empty() {
        errors.push(FieldError::new(
            "subject",
            crate::platform::i18n::catalogue::directory::SubjectRequired,
        ));
    }
    let (Some((id_card, birth_date)), Some(stage), true) = (id, stage, errors.is_empty()) else {
        return Err(errors);
    };
    let keys = &state.keys;
    let mut id_card_hashes = keys.lookup_hashes(&id_card);
    let id_card_hash = id_card_hashes.remove(0);
    Ok(PreparedTeacher {
        name,
        gender: validate::gender_from_id(&id_card),
        id_card_enc: keys.encrypt(&id_card),
        id_card_hash,
        id_card_older_hashes: id_card_hashes,
        id_card_masked: mask_id_card(&id_card),
        birth_date,
        phone_enc: phone.as_deref().map(|p| keys.encrypt(p)),
        phone_hash: phone.as_deref().map(|p| keys.lookup_hash(p)),
        phone_masked: phone.as_deref().map(mask_phone),
        email,
        teacher_number: blank_to_none(&input.teacher_number),
        stage,
        subject: input.subject.trim().to_string(),
        title: blank_to_none(&input.title),
        education: blank_to_none(&input.education),
        teaching_years: input.teaching_years,
    })
}

impl PreparedTeacher {
    /// Fills an active model (new or existing) with these values for `school`.
    pub fn apply(self, active: &mut teacher::ActiveModel, school: &school::Model) {
        active.name = Set(self.name);
        active.gender = Set(self.gender);
        active.school_id = Set(school.id);
        active.path = Set(school.path.clone());
        active.id_card_enc = Set(self.id_card_enc);
        active.id_card_hash = Set(self.id_card_hash);
        active.id_card_masked = Set(self.id_card_masked);
        active.birth_date = Set(self.birth_date);
        active.phone_enc = Set(self.phone_enc);
        active.phone_hash = Set(self.phone_hash);
        active.phone_masked = Set(self.phone_masked);
        active.email = Set(self.email);
        active.teacher_number = Set(self.teacher_number);
        active.stage = Set(self.stage);
        active.subject = Set(self.subject);
        active.title = Set(self.title);
        active.education = Set(self.education);
        active.teaching_years = Set(self.teaching_years);
        active.updated_at = Set(Utc::now());
    }
}

pub fn view(m: teacher::Model, school: Option<&school::Model>) -> TeacherView {
    TeacherView {
        id: m.id,
        name: m.name,
        gender: m.gender,
        school_id: m.school_id,
        school_code: school.map(|s| s.code.clone()).unwrap_or_default(),
        school_name: school.map(|s| s.name.clone()).unwrap_or_default(),
        id_card_masked: m.id_card_masked,
        phone_masked: m.phone_masked,
        email: m.email,
        teacher_number: m.teacher_number,
        birth_date: m.birth_date,
        stage: m.stage,
        subject: m.subject,
        title: m.title,
        education: m.education,
        teaching_years: m.teaching_years,
        active: m.active,
    }
}

pub fn scoped_query(
    state: &AppState,
    principal: &Principal,
    filter: &TeacherFilter,
) -> sea_orm::Select<teacher::Entity> {
    let scope = principal.scope(Permission::TeacherRead);
    let mut q = teacher::Entity::find().filter(scope.condition(
        teacher::Column::Path.into_simple_expr(),
        Some(teacher::Column::Id.into_simple_expr()),
    ));
    if let Some(code) = &filter.region {
        let path = state.regions.filter_path(code);
        q = q.filter(crate::access::under(
            teacher::Column::Path.into_simple_expr(),
            &path,
        ));
    }
    if let Some(id) = filter.school_id {
        q = q.filter(teacher::Column::SchoolId.eq(id));
    }
    if let Some(stage) = filter.stage {
        q = q.filter(teacher::Column::Stage.eq(stage));
    }
    if let Some(subject) = &filter.subject {
        q = q.filter(teacher::Column::Subject.eq(subject.clone()));
    }
    if let Some(active) = filter.active {
        q = q.filter(teacher::Column::Active.eq(active));
    }
    if let Some(kw) = filter
        .keyword
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        q = q.filter(keyword_condition(state, kw));
    }
    q
}

/// The search box's keyword, read by its shape so that each kind is an index lookup: an 18-character 身份证号
/// or an 11-digit phone only through its keyed hash (a name never looks like either); otherwise a name by its
/// start, a teacher number or an e-mail address exactly, and — from two characters on — a part of a name, which
/// no index answers on SQLite and is only affordable inside the caller's scope, where it always is.
fn keyword_condition(state: &AppState, kw: &str) -> sea_orm::Condition {
    let number = teacher::Column::TeacherNumber.eq(kw);
    let id_card = kw.to_uppercase();
    if looks_like_id_card(&id_card) {
        // Every readable key's hash: rows not yet rekeyed carry an older one.
        let hashes = state.keys.lookup_hashes(&id_card);
        return sea_orm::Condition::any()
            .add(teacher::Column::IdCardHash.is_in(hashes))
            .add(number);
    }
    if let Ok(phone) = validate::phone(kw) {
        let hashes = state.keys.lookup_hashes(&phone);
        return sea_orm::Condition::any()
            .add(teacher::Column::PhoneHash.is_in(hashes))
            .add(number);
    }
    let mut any = sea_orm::Condition::any()
        .add(prefix_range(teacher::Column::Name.into_simple_expr(), kw))
        .add(number)
        .add(sea_orm::ExprTrait::eq(
            sea_orm::sea_query::Func::lower(teacher::Column::Email.into_simple_expr()),
            kw.to_lowercase(),
        ));
    if kw.chars().count() >= 2 {
        any = any.add(contains_text(teacher::Column::Name, kw));
    }
    any
}

/// The shape of a 身份证号 (17 digits and a digit or X), whether or not its check digit holds: such a keyword is
/// an ID number someone typed, never a name.
fn looks_like_id_card(kw: &str) -> bool {
    kw.len() == 18
        && kw.is_ascii()
        && kw[..17].bytes().all(|b| b.is_ascii_digit())
        && kw.ends_with(|c: char| c.is_ascii_digit() || c == 'X')
}

async fn schools_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> AppResult<std::collections::HashMap<i64, school::Model>> {
    let rows = school::Entity::find()
        .filter(school::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|s| (s.id, s)).collect())
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    filter: TeacherFilter,
    sort: TeacherSort,
    order: SortOrder,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<TeacherView>> {
    let (page, size, offset) = window(page, page_size)?;
    let q = scoped_query(state, principal, &filter);
    let column = match sort {
        TeacherSort::Name => teacher::Column::Name,
        TeacherSort::Id => teacher::Column::Id,
        TeacherSort::SchoolId => teacher::Column::SchoolId,
        TeacherSort::Subject => teacher::Column::Subject,
        TeacherSort::CreatedAt => teacher::Column::CreatedAt,
    };
    let (rows, total) = fetch(
        &state.db,
        q.order_by(column, order.to_sea())
            .order_by_asc(teacher::Column::Id),
        offset,
        size,
    )
    .await?;
    let schools = schools_by_id(&state.db, rows.iter().map(|t| t.school_id).collect()).await?;
    let items = rows.into_iter().map(|t| {
        let school = schools.get(&t.school_id);
        view(t, school)
    });
    Ok(Page {
        items: items.collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// A teacher is placed at their school, and is their own.
impl crate::access::Scoped for teacher::Model {
    fn scope_path(&self) -> &str {
        &self.path
    }
    fn owner_teacher(&self) -> Option<i64> {
        Some(self.id)
    }
}

/// The teacher if the caller may read them; otherwise 404 whether or not they exist.
pub async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<teacher::Model> {
    crate::access::find_visible::<teacher::Entity>(db, principal, Permission::TeacherRead, id).await
}

fn can_read(principal: &Principal, t: &teacher::Model) -> bool {
    crate::access::sees(principal, Permission::TeacherRead, t)
}

/// 404 outside what the caller can read; 403 when they can read the teacher but not do `permission`.
fn require(principal: &Principal, permission: Permission, t: &teacher::Model) -> AppResult<()> {
    if principal.can(permission, &t.path) {
        Ok(())
    } else if can_read(principal, t) {
        Err(AppError::Forbidden)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<TeacherView> {
    let t = find_visible(db, principal, id).await?;
    let school = school::Entity::find_by_id(t.school_id).one(db).await?;
    Ok(view(t, school.as_ref()))
}

/// The school a teacher is (to be) placed in, if the caller may put teachers there.
async fn writable_school(
    db: &impl ConnectionTrait,
    principal: &Principal,
    school_id: i64,
) -> AppResult<school::Model> {
    crate::access::references::school_for_write(
        db,
        principal,
        Permission::TeacherWrite,
        school_id,
        "school_id",
    )
    .await
}

fn audit_event(action: &'static str, m: &teacher::Model) -> AuditEvent<'static> {
    AuditEvent {
        action,
        target_type: "teacher",
        target_id: Some(m.id.to_string()),
        target_path: Some(m.path.clone()),
        detail: serde_json::json!({ "name": m.name, "id_card": m.id_card_masked }),
    }
}

const DUPLICATE_ID: crate::platform::i18n::catalogue::directory::IdCardTaken =
    crate::platform::i18n::catalogue::directory::IdCardTaken;

/// The unique index sees only the current key's hash; until a rekey has finished, the same ID number may be
/// registered under an older key's hash, which this catches.
async fn refuse_older_registration(
    db: &impl ConnectionTrait,
    prepared: &PreparedTeacher,
    except: Option<i64>,
) -> AppResult<()> {
    if prepared.id_card_older_hashes.is_empty() {
        return Ok(());
    }
    let mut q = teacher::Entity::find()
        .filter(teacher::Column::IdCardHash.is_in(prepared.id_card_older_hashes.clone()));
    if let Some(id) = except {
        q = q.filter(teacher::Column::Id.ne(id));
    }
    if q.count(db).await? > 0 {
        return Err(AppError::conflict("id_card", DUPLICATE_ID));
    }
    Ok(())
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: TeacherInput,
) -> AppResult<TeacherView> {
    principal.require_somewhere(Permission::TeacherWrite)?;
    let prepared = prepare(state, &input).map_err(AppError::Validation)?;
    let school = writable_school(&state.db, principal, input.school_id).await?;
    let now = Utc::now();
    let mut active = teacher::ActiveModel {
        active: Set(true),
        created_at: Set(now),
        ..Default::default()
    };
    let txn = begin_write(&state.db).await?;
    refuse_older_registration(&txn, &prepared, None).await?;
    prepared.apply(&mut active, &school);
    let model = active
        .insert(&txn)
        .await
        .map_err(|e| map_unique(e, "id_card", DUPLICATE_ID))?;
    stats::teacher_changed(&txn, None, &model).await?;
    audit::record(&txn, Some(principal), audit_event("teacher.create", &model)).await?;
    txn.commit().await?;
    Ok(view(model, Some(&school)))
}

/// An edit of a teacher. The sensitive fields are optional so an editor need not know (or see) them:
/// an absent `id_card` or `phone` keeps the stored value; an empty `phone` clears it.
#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct TeacherUpdate {
    #[oai(validator(max_length = 64))]
    pub name: String,
    /// New 18-character 身份证号; omit to keep the current one.
    #[oai(validator(max_length = 18))]
    pub id_card: Option<String>,
    pub school_id: i64,
    /// New phone; omit to keep the current one, send "" to remove it.
    #[oai(validator(max_length = 20))]
    pub phone: Option<String>,
    #[oai(validator(max_length = 128))]
    pub email: Option<String>,
    #[oai(validator(max_length = 32))]
    pub teacher_number: Option<String>,
    /// 任教学段: a `Stage` value, or its label (spreadsheets and older clients send 小学, 初中 …).
    #[oai(validator(max_length = 32))]
    pub stage: String,
    #[oai(validator(max_length = 32))]
    pub subject: String,
    #[oai(validator(max_length = 32))]
    pub title: Option<String>,
    #[oai(validator(max_length = 32))]
    pub education: Option<String>,
    #[oai(validator(minimum(value = "0"), maximum(value = "60")))]
    pub teaching_years: Option<i32>,
}

impl TeacherUpdate {
    /// The full input, with kept values unsealed from the stored record so they pass the same checks.
    fn into_input(self, state: &AppState, existing: &teacher::Model) -> AppResult<TeacherInput> {
        let id_card = match self.id_card {
            Some(v) => v,
            None => state.keys.decrypt(&existing.id_card_enc)?,
        };
        let phone = match self.phone {
            Some(v) => Some(v),
            None => existing
                .phone_enc
                .as_deref()
                .map(|p| state.keys.decrypt(p))
                .transpose()?,
        };
        Ok(TeacherInput {
            name: self.name,
            id_card,
            school_id: self.school_id,
            phone,
            email: self.email,
            teacher_number: self.teacher_number,
            stage: self.stage,
            subject: self.subject,
            title: self.title,
            education: self.education,
            teaching_years: self.teaching_years,
        })
    }
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: i64,
    update: TeacherUpdate,
) -> AppResult<TeacherView> {
    let existing = find_visible(&state.db, principal, id).await?;
    require(principal, Permission::TeacherWrite, &existing)?;
    let input = update.into_input(state, &existing)?;
    let prepared = prepare(state, &input).map_err(AppError::Validation)?;
    let school = writable_school(&state.db, principal, input.school_id).await?;
    let txn = begin_write(&state.db).await?;
    refuse_older_registration(&txn, &prepared, Some(existing.id)).await?;
    let before = existing.clone();
    let mut active: teacher::ActiveModel = existing.into();
    prepared.apply(&mut active, &school);
    let model = active
        .update(&txn)
        .await
        .map_err(|e| map_unique(e, "id_card", DUPLICATE_ID))?;
    stats::teacher_changed(&txn, Some(&before), &model).await?;
    audit::record(&txn, Some(principal), audit_event("teacher.update", &model)).await?;
    txn.commit().await?;
    Ok(view(model, Some(&school)))
}

pub async fn set_active(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    flag: bool,
) -> AppResult<TeacherView> {
    let existing = find_visible(db, principal, id).await?;
    require(principal, Permission::TeacherWrite, &existing)?;
    let txn = begin_write(db).await?;
    let before = existing.clone();
    let mut active: teacher::ActiveModel = existing.into();
    active.active = Set(flag);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    stats::teacher_changed(&txn, Some(&before), &model).await?;
    audit::record(
        &txn,
        Some(principal),
        audit_event(
            if flag {
                "teacher.activate"
            } else {
                "teacher.deactivate"
            },
            &model,
        ),
    )
    .await?;
    txn.commit().await?;
    let school = school::Entity::find_by_id(model.school_id).one(db).await?;
    Ok(view(model, school.as_ref()))
}

/// 批量停用 / 启用: each teacher as by `set_active` (scope, permission, its own audit entry); refusals per teacher.
pub async fn set_active_many(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    req: &TeachersActiveRequest,
) -> AppResult<BulkOutcome> {
    // A caller who may change no teacher anywhere is refused whole rather than item by item.
    principal.require_somewhere(Permission::TeacherWrite)?;
    BulkOutcome::run(&req.teacher_ids, |id| async move {
        set_active(db, principal, id, req.active).await.map(|_| ())
    })
    .await
}

/// The clear 身份证号 and phone. Needs `teacher.reveal` over the teacher; every call leaves an audit entry.
pub async fn reveal(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<RevealedTeacher> {
    let t = find_visible(&state.db, principal, id).await?;
    require(principal, Permission::TeacherReveal, &t)?;
    principal.require_step_up(&state.config)?;
    let id_card = state.keys.decrypt(&t.id_card_enc)?;
    let phone = t
        .phone_enc
        .as_deref()
        .map(|p| state.keys.decrypt(p))
        .transpose()?;
    let txn = begin_write(&state.db).await?;
    audit::record(&txn, Some(principal), audit_event("teacher.reveal", &t)).await?;
    txn.commit().await?;
    Ok(RevealedTeacher {
        id: t.id,
        id_card,
        phone,
    })
}
