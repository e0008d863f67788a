//! Teachers' evidence for a point of their school's plan, and the school's checklist review of it. A resubmission
//! is a new row linked to the one before (`previous_id`); only the newest of a chain is `latest` and can be graded.
//! The grade comes from the checklist ([`grading::derive`]); a 不合格 needs a comment. The county's spot-check
//! (see `spot_checks`) may later override the school's grade; `final_grade` is what counts.
mod school_review;

use crate::platform::i18n::{self, catalogue::competency as m};
pub use school_review::review;
pub(crate) use school_review::{ReviewLevel, Verdict, judge, record, tell_teacher};

use chrono::{DateTime, Utc};
use entity::{
    competency_plan_point as plan_point, competency_point as point,
    competency_spot_check_item as spot_item, competency_submission as submission, file, school,
    teacher,
};
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    Grade, GradeText,
    catalogue::{PointView, point_view, to_json},
    grading::{self, Checks, Requirement},
    plans::{self, PlanView},
    stats,
};
use crate::inbox::{self, NoticeKind};
use crate::{
    access::{NodeLevel, Permission},
    auth::Principal,
    directory::service::teacher_names,
    files::{self, FilePurpose, FileView},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, SortOrder, count_by, fetch, lookup, window},
    },
};

#[derive(Debug, Clone, Object, serde::Serialize, serde::Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct EvidenceInput {
    /// The card's evidence item this answers.
    #[oai(validator(max_length = 32))]
    pub key: String,
    #[oai(default, validator(max_length = 20000))]
    #[serde(default)]
    pub text: String,
    /// Ids of files I uploaded for this purpose (`POST /api/files?purpose=competency`).
    #[oai(default, validator(max_items = 10))]
    #[serde(default)]
    pub files: Vec<i64>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EvidenceSubmissionInput {
    #[oai(validator(minimum(value = "2020"), maximum(value = "2100")))]
    pub year: i32,
    #[oai(validator(min_length = 2, max_length = 4))]
    pub code: String,
    #[oai(validator(max_items = 12))]
    pub items: Vec<EvidenceInput>,
}

/// A reviewer's checklist: one tick per 优秀 and per 合格 criterion of the card, in the card's order.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ChecklistInput {
    #[oai(validator(max_items = 20))]
    pub excellent: Vec<bool>,
    #[oai(validator(max_items = 20))]
    pub pass: Vec<bool>,
    /// Required for 不合格, and for a county grade that differs from the school's (the reason of the override).
    #[oai(validator(max_length = 2000))]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EvidenceView {
    pub key: String,
    pub name: String,
    pub text: String,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReviewView {
    /// Derived from the checklist.
    pub grade: Grade,
    pub excellent: Vec<bool>,
    pub pass: Vec<bool>,
    pub comment: Option<String>,
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
}

/// 待评 (pending) / 已评 (graded by the school) / 已抽查 (reviewed by the county).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum EvidenceStatus {
    Pending,
    SchoolGraded,
    CountyReviewed,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct EvidenceSubmissionView {
    pub id: i64,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub school_code: String,
    pub school_name: String,
    pub year: i32,
    pub code: String,
    pub point_name: String,
    /// The card's 优秀 and 合格 criteria: what the checklist ticks, in order.
    pub excellent_criteria: Vec<String>,
    pub pass_criteria: Vec<String>,
    pub previous_id: Option<i64>,
    pub latest: bool,
    pub items: Vec<EvidenceView>,
    pub submitted_at: DateTime<Utc>,
    pub status: EvidenceStatus,
    pub school_review: Option<ReviewView>,
    pub county_review: Option<ReviewView>,
    /// The county's grade once spot-checked, else the school's.
    pub final_grade: Option<Grade>,
    /// The county's grade differs from the school's.
    pub overridden: bool,
    /// Drawn in a county spot-check.
    pub sampled: bool,
}

/// One card of my plan and where I stand with it.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyPointView {
    pub point: PointView,
    pub compulsory: bool,
    pub latest: Option<EvidenceSubmissionView>,
    pub submissions: u64,
}

/// My 能力点 year: my school's plan, its cards with my latest submission, and whether I meet the plan.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct MyCompetencyView {
    pub year: i32,
    pub plan: Option<PlanView>,
    pub cards: Vec<MyPointView>,
    /// Points whose latest final grade is 合格 or 优秀.
    pub passed: i64,
    pub required: i32,
    pub met: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Default)]
#[oai(rename_all = "snake_case")]
pub enum SubmissionSort {
    #[default]
    SubmittedAt,
    Code,
    Teacher,
}

/// Filters of the submission list (the reviewers' queue).
#[derive(Debug, Clone, Default)]
pub struct SubmissionFilter {
    pub year: Option<i32>,
    pub code: Option<String>,
    pub status: Option<EvidenceStatus>,
    pub school_code: Option<String>,
    pub teacher_id: Option<i64>,
    pub grade: Option<Grade>,
    /// Only submissions drawn in this spot-check.
    pub spot_check_id: Option<i64>,
    /// Include superseded submissions (default: the latest of each chain only).
    pub all_versions: bool,
    pub sort: SubmissionSort,
    pub order: SortOrder,
}

fn parse_checks(s: &Option<String>) -> Checks {
    s.as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Checks {
            excellent: vec![],
            pass: vec![],
        })
}

pub async fn submission_view(
    db: &impl ConnectionTrait,
    s: submission::Model,
) -> AppResult<EvidenceSubmissionView> {
    submission_views(db, vec![s])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of submissions with their teachers, schools, cards, files, reviewers and samples: one statement per
/// related table however many submissions.
pub async fn submission_views(
    db: &impl ConnectionTrait,
    rows: Vec<submission::Model>,
) -> AppResult<Vec<EvidenceSubmissionView>> {
    let teachers = teacher_names(db, rows.iter().map(|s| s.teacher_id)).await?;
    let schools = lookup(
        db,
        school::Entity::find(),
        school::Column::Id,
        rows.iter().map(|s| s.school_id),
        |x| x.id,
    )
    .await?;
    let cards = lookup(
        db,
        point::Entity::find(),
        point::Column::Id,
        rows.iter().map(|s| s.point_id),
        |p| p.id,
    )
    .await?;
    let inputs: Vec<Vec<EvidenceInput>> = rows
        .iter()
        .map(|s| serde_json::from_str(&s.items).unwrap_or_default())
        .collect();
    let file_ids: Vec<i64> = inputs
        .iter()
        .flatten()
        .flat_map(|i| i.files.iter().copied())
        .collect();
    let files = lookup(db, file::Entity::find(), file::Column::Id, file_ids, |f| {
        f.id
    })
    .await?;
    let reviewer_ids: Vec<i64> = rows
        .iter()
        .flat_map(|s| [s.school_reviewer, s.county_reviewer])
        .flatten()
        .collect();
    let reviewers = crate::directory::service::accounts_by_id(db, reviewer_ids).await?;
    let sampled = count_by(
        db,
        spot_item::Entity::find(),
        spot_item::Column::SubmissionId,
        rows.iter().map(|s| s.id),
    )
    .await?;
    let account_name = |id: Option<i64>| {
        id.and_then(|id| reviewers.get(&id))
            .map(|a| a.display_name.clone())
            .unwrap_or_default()
    };
    Ok(rows
        .into_iter()
        .zip(inputs)
        .map(|(s, inputs)| {
            let sc = schools.get(&s.school_id);
            let card = cards.get(&s.point_id).cloned().map(point_view);
            let items = inputs
                .into_iter()
                .map(|i| EvidenceView {
                    name: card
                        .as_ref()
                        .and_then(|c| c.evidence_items.iter().find(|e| e.key == i.key))
                        .map(|e| e.name.clone())
                        .unwrap_or_else(|| i.key.clone()),
                    files: i
                        .files
                        .iter()
                        .filter_map(|id| files.get(id).cloned().map(FileView::from))
                        .collect(),
                    key: i.key,
                    text: i.text,
                })
                .collect();
            let school_review = review_of(
                s.school_grade,
                &s.school_checks,
                &s.school_comment,
                s.school_reviewed_at,
                account_name(s.school_reviewer),
            );
            let county_review = review_of(
                s.county_grade,
                &s.county_checks,
                &s.county_comment,
                s.county_reviewed_at,
                account_name(s.county_reviewer),
            );
            let status = if county_review.is_some() {
                EvidenceStatus::CountyReviewed
            } else if school_review.is_some() {
                EvidenceStatus::SchoolGraded
            } else {
                EvidenceStatus::Pending
            };
            EvidenceSubmissionView {
                id: s.id,
                teacher_id: s.teacher_id,
                teacher_name: teachers.get(&s.teacher_id).cloned().unwrap_or_default(),
                school_code: sc.map(|x| x.code.clone()).unwrap_or_default(),
                school_name: sc.map(|x| x.name.clone()).unwrap_or_default(),
                year: s.year,
                code: s.code,
                excellent_criteria: card
                    .as_ref()
                    .map(|c| c.excellent_criteria.clone())
                    .unwrap_or_default(),
                pass_criteria: card
                    .as_ref()
                    .map(|c| c.pass_criteria.clone())
                    .unwrap_or_default(),
                point_name: card.map(|c| c.name).unwrap_or_default(),
                previous_id: s.previous_id,
                latest: s.latest,
                items,
                submitted_at: s.submitted_at,
                status,
                overridden: matches!((&school_review, &county_review), (Some(a), Some(b)) if a.grade != b.grade),
                school_review,
                county_review,
                final_grade: s.final_grade,
                sampled: sampled.get(&s.id).is_some_and(|n| *n > 0),
            }
        })
        .collect())
}

/// One level's review of a submission, once it is graded.
fn review_of(
    grade: Option<Grade>,
    checks: &Option<String>,
    comment: &Option<String>,
    at: Option<DateTime<Utc>>,
    reviewer: String,
) -> Option<ReviewView> {
    let grade = grade?;
    let checks = parse_checks(checks);
    Some(ReviewView {
        grade,
        excellent: checks.excellent,
        pass: checks.pass,
        comment: comment.clone(),
        reviewer,
        reviewed_at: at?,
    })
}

/// The permissions that let a caller see 能力点 rows of an area: reading, reviewing and spot-checking.
const AREA_PERMISSIONS: [Permission; 3] = [
    Permission::CompetencyRead,
    Permission::CompetencyReview,
    Permission::CompetencySpotCheck,
];

/// Rows (by their path column) in the part of the tree where the caller reads, reviews or spot-checks 能力点.
pub(crate) fn in_area(principal: &Principal, path: sea_orm::sea_query::SimpleExpr) -> Condition {
    let mut any = Condition::any();
    for permission in AREA_PERMISSIONS {
        any = any.add(principal.scope(permission).condition(path.clone(), None));
    }
    any
}

/// Submissions the caller may see: their area's (`competency.read`), where they review or spot-check (any
/// level), and their own.
pub(crate) fn visible(principal: &Principal) -> Condition {
    let mut any = in_area(principal, submission::Column::Path.into_simple_expr());
    if let Some(own) = principal.teacher_id {
        any = any.add(submission::Column::TeacherId.eq(own));
    }
    any
}

/// The single-row form of [`visible`]: any of the area permissions over its school, or its own teacher.
impl crate::access::Scoped for submission::Model {
    fn scope_path(&self) -> &str {
        &self.path
    }
    fn owner_teacher(&self) -> Option<i64> {
        Some(self.teacher_id)
    }
    fn visible_to(&self, principal: &Principal, _: Permission) -> bool {
        AREA_PERMISSIONS
            .into_iter()
            .any(|permission| crate::access::sees(principal, permission, self))
    }
}

pub(crate) async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<submission::Model> {
    crate::access::find_visible::<submission::Entity>(db, principal, Permission::CompetencyRead, id)
        .await
}

/// The newest submission of a teacher for a point in a year.
async fn latest_of(
    db: &impl ConnectionTrait,
    teacher_id: i64,
    year: i32,
    code: &str,
) -> AppResult<Option<submission::Model>> {
    Ok(submission::Entity::find()
        .filter(submission::Column::TeacherId.eq(teacher_id))
        .filter(submission::Column::Year.eq(year))
        .filter(submission::Column::Code.eq(code))
        .filter(submission::Column::Latest.eq(true))
        .one(db)
        .await?)
}

/// Checks the evidence against the card: known items, each once, every required one given, files my own.
async fn check_items(
    db: &impl ConnectionTrait,
    principal: &Principal,
    card: &PointView,
    items: &[EvidenceInput],
) -> AppResult<Vec<EvidenceInput>> {
    let mut out: Vec<EvidenceInput> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        if !card.evidence_items.iter().any(|e| e.key == item.key) {
            return Err(AppError::field(
                format!("items[{i}].key"),
                m::PointHasNoItem {
                    key: item.key.clone(),
                },
            ));
        }
        if out.iter().any(|o| o.key == item.key) {
            return Err(AppError::field(format!("items[{i}].key"), m::ItemRepeated));
        }
        let mut ids: Vec<i64> = Vec::new();
        for id in &item.files {
            if !ids.contains(id) {
                ids.push(*id);
            }
        }
        files::own_uploads(
            db,
            principal,
            FilePurpose::Competency,
            &format!("items[{i}].files"),
            &ids,
        )
        .await?;
        out.push(EvidenceInput {
            key: item.key.clone(),
            text: item.text.trim().to_string(),
            files: ids,
        });
    }
    for required in card.evidence_items.iter().filter(|e| e.required) {
        let given = out
            .iter()
            .any(|o| o.key == required.key && (!o.text.is_empty() || !o.files.is_empty()));
        if !given {
            return Err(AppError::field(
                format!("items.{}", required.key),
                m::ItemRequired {
                    name: required.name.clone(),
                },
            ));
        }
    }
    if out.iter().all(|o| o.text.is_empty() && o.files.is_empty()) {
        return Err(AppError::field("items", m::SubmitOneItem));
    }
    Ok(out)
}

/// A teacher submits evidence for a point of their school's plan. A resubmission (after a 不合格, or before
/// the review) becomes the new latest row and links the previous one; a passed point takes no more.
pub async fn submit(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    input: EvidenceSubmissionInput,
) -> AppResult<EvidenceSubmissionView> {
    let teacher_id = principal.teacher_id.ok_or(AppError::Forbidden)?;
    let t = teacher::Entity::find_by_id(teacher_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = plans::of_school(db, t.school_id, input.year)
        .await?
        .ok_or_else(|| AppError::conflict("year", m::NoPlanForYear))?;
    let code = input.code.trim().to_uppercase();
    let chosen = plan_point::Entity::find()
        .filter(plan_point::Column::PlanId.eq(plan.id))
        .filter(plan_point::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("code", m::PointNotInPlan { code: code.clone() }))?;
    let card = point::Entity::find_by_id(chosen.point_id)
        .one(db)
        .await?
        .map(point_view)
        .ok_or(AppError::NotFound)?;
    let items = check_items(db, principal, &card, &input.items).await?;
    let txn = begin_write(db).await?;
    let scope = stats::of_teacher(teacher_id, input.year);
    let before = stats::before(&txn, &scope).await?;
    let previous = latest_of(&txn, teacher_id, input.year, &code).await?;
    if let Some(p) = &previous {
        if p.final_grade.is_some_and(Grade::passed) {
            return Err(AppError::conflict("code", m::PointAlreadyPassed));
        }
        let mut active: submission::ActiveModel = p.clone().into();
        active.latest = Set(false);
        active.update(&txn).await?;
    }
    let s = submission::ActiveModel {
        teacher_id: Set(teacher_id),
        school_id: Set(t.school_id),
        path: Set(t.path.clone()),
        year: Set(input.year),
        plan_id: Set(plan.id),
        point_id: Set(card.id),
        code: Set(code.clone()),
        previous_id: Set(previous.as_ref().map(|p| p.id)),
        latest: Set(true),
        items: Set(to_json(&items)?),
        submitted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "competency.submit",
        ("competency_submission", s.id, &s.path),
        serde_json::json!({ "year": s.year, "code": code, "previous_id": s.previous_id }),
    )
    .await?;
    stats::settle(&txn, &scope, before).await?;
    txn.commit().await?;
    submission_view(db, s).await
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: SubmissionFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<EvidenceSubmissionView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = submission::Entity::find().filter(visible(principal));
    if !filter.all_versions {
        q = q.filter(submission::Column::Latest.eq(true));
    }
    if let Some(y) = filter.year {
        q = q.filter(submission::Column::Year.eq(y));
    }
    if let Some(c) = filter.code.filter(|c| !c.trim().is_empty()) {
        q = q.filter(submission::Column::Code.eq(c.trim().to_uppercase()));
    }
    if let Some(t) = filter.teacher_id {
        q = q.filter(submission::Column::TeacherId.eq(t));
    }
    if let Some(g) = filter.grade {
        q = q.filter(submission::Column::FinalGrade.eq(g.as_str()));
    }
    q = match filter.status {
        Some(EvidenceStatus::Pending) => q.filter(submission::Column::SchoolGrade.is_null()),
        Some(EvidenceStatus::SchoolGraded) => q
            .filter(submission::Column::SchoolGrade.is_not_null())
            .filter(submission::Column::CountyGrade.is_null()),
        Some(EvidenceStatus::CountyReviewed) => {
            q.filter(submission::Column::CountyGrade.is_not_null())
        }
        None => q,
    };
    if let Some(code) = filter.school_code.filter(|c| !c.trim().is_empty()) {
        let ids: Vec<i64> = school::Entity::find()
            .filter(school::Column::Code.eq(code.trim()))
            .all(db)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect();
        q = q.filter(submission::Column::SchoolId.is_in(ids));
    }
    if let Some(draw) = filter.spot_check_id {
        let ids: Vec<i64> = spot_item::Entity::find()
            .filter(spot_item::Column::SpotCheckId.eq(draw))
            .all(db)
            .await?
            .into_iter()
            .map(|i| i.submission_id)
            .collect();
        q = q.filter(submission::Column::Id.is_in(ids));
    }
    let order = filter.order.to_sea();
    q = match filter.sort {
        SubmissionSort::SubmittedAt => q.order_by(submission::Column::SubmittedAt, order),
        SubmissionSort::Code => q.order_by(submission::Column::Code, order),
        SubmissionSort::Teacher => q.order_by(submission::Column::TeacherId, order),
    };
    let q = q.order_by_asc(submission::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: submission_views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<EvidenceSubmissionView> {
    let s = find_visible(db, principal, id).await?;
    submission_view(db, s).await
}

/// Every submission of the same teacher, point and year, oldest first.
pub async fn history(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<Vec<EvidenceSubmissionView>> {
    let s = find_visible(db, principal, id).await?;
    let chain = submission::Entity::find()
        .filter(submission::Column::TeacherId.eq(s.teacher_id))
        .filter(submission::Column::Year.eq(s.year))
        .filter(submission::Column::Code.eq(s.code.as_str()))
        .order_by_asc(submission::Column::Id)
        .all(db)
        .await?;
    submission_views(db, chain).await
}

/// My year: my school's plan, its cards with my latest submission each, and whether I meet the plan.
pub async fn mine(
    db: &impl ConnectionTrait,
    principal: &Principal,
    year: i32,
) -> AppResult<MyCompetencyView> {
    let teacher_id = principal.teacher_id.ok_or(AppError::Forbidden)?;
    let t = teacher::Entity::find_by_id(teacher_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(plan) = plans::of_school(db, t.school_id, year).await? else {
        return Ok(MyCompetencyView {
            year,
            plan: None,
            cards: vec![],
            passed: 0,
            required: 0,
            met: false,
        });
    };
    let view = plans::plan_view(db, plan.clone()).await?;
    let mut cards = Vec::with_capacity(view.points.len());
    let mut passed = Vec::new();
    for pp in &view.points {
        let card = point::Entity::find_by_id(pp.point_id)
            .one(db)
            .await?
            .map(point_view)
            .ok_or(AppError::NotFound)?;
        let count = submission::Entity::find()
            .filter(submission::Column::TeacherId.eq(teacher_id))
            .filter(submission::Column::Year.eq(year))
            .filter(submission::Column::Code.eq(pp.code.as_str()))
            .count(db)
            .await?;
        let latest = match latest_of(db, teacher_id, year, &pp.code).await? {
            Some(s) => Some(submission_view(db, s).await?),
            None => None,
        };
        if latest
            .as_ref()
            .and_then(|l| l.final_grade)
            .is_some_and(Grade::passed)
        {
            passed.push((pp.code.clone(), pp.dimension));
        }
        cards.push(MyPointView {
            point: card,
            compulsory: pp.compulsory,
            latest,
            submissions: count,
        });
    }
    let compulsory: Vec<String> = view
        .points
        .iter()
        .filter(|p| p.compulsory)
        .map(|p| p.code.clone())
        .collect();
    let met = grading::plan_met(
        &Requirement {
            required: plan.required_passes as usize,
            distinct_dimensions: plan.distinct_dimensions,
            compulsory: &compulsory,
        },
        &passed,
    );
    Ok(MyCompetencyView {
        year,
        required: plan.required_passes,
        passed: crate::training::completion::passed_points(db, teacher_id, year).await?,
        plan: Some(view),
        cards,
        met,
    })
}

/// 能力点 evidence is read by whoever sees a submission carrying it (its reviewers).
pub struct EvidenceFiles;

impl crate::access::files::FileReadPolicy for EvidenceFiles {
    fn purpose(&self) -> crate::files::FilePurpose {
        FilePurpose::Competency
    }

    fn may_read<'a>(
        &'a self,
        db: &'a sea_orm::DatabaseConnection,
        principal: &'a Principal,
        file: &'a file::Model,
    ) -> crate::access::files::Decision<'a> {
        Box::pin(sees_attachment(db, principal, file))
    }
}

/// Whether the caller may read a competency evidence file because they can see a submission that carries it
/// (reviewers who are not administrators over the teacher).
pub async fn sees_attachment(
    db: &impl ConnectionTrait,
    principal: &Principal,
    f: &file::Model,
) -> AppResult<bool> {
    let Some(teacher_id) = f
        .teacher_id
        .filter(|_| f.purpose == FilePurpose::Competency)
    else {
        return Ok(false);
    };
    let rows = submission::Entity::find()
        .filter(submission::Column::TeacherId.eq(teacher_id))
        .filter(visible(principal))
        .all(db)
        .await?;
    Ok(rows.iter().any(|s| {
        serde_json::from_str::<Vec<EvidenceInput>>(&s.items)
            .unwrap_or_default()
            .iter()
            .any(|i| i.files.contains(&f.id))
    }))
}
