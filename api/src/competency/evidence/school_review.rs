//! The school's checklist review of a submission: the checklist judged against the card, the grade recorded
//! (by the school, or later by the county's spot-check, which reuses `judge` and `record`), and the teacher told.
#[allow(clippy::wildcard_imports)]
use super::*;

/// Validates a checklist against the card and derives its grade; `comment` is required on 不合格.
pub(crate) async fn judge(
    db: &impl ConnectionTrait,
    s: &submission::Model,
    input: &ChecklistInput,
) -> AppResult<(Grade, Checks, Option<String>)> {
    let card = point::Entity::find_by_id(s.point_id)
        .one(db)
        .await?
        .map(point_view)
        .ok_or(AppError::NotFound)?;
    if input.excellent.len() != card.excellent_criteria.len() {
        return Err(AppError::field(
            "excellent",
            m::TickExcellent {
                count: card.excellent_criteria.len() as i64,
            },
        ));
    }
    if input.pass.len() != card.pass_criteria.len() {
        return Err(AppError::field(
            "pass",
            m::TickPass {
                count: card.pass_criteria.len() as i64,
            },
        ));
    }
    let checks = Checks {
        excellent: input.excellent.clone(),
        pass: input.pass.clone(),
    };
    let grade = grading::derive(&checks);
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string);
    if grade == Grade::Fail && comment.is_none() {
        return Err(AppError::field("comment", m::FailNeedsComment));
    }
    Ok((grade, checks, comment))
}

/// A reviewer bound to the submission's school grades its latest submission with the checklist. Once the county
/// has spot-checked it, the school's grade is settled (409).
pub async fn review(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    input: ChecklistInput,
) -> AppResult<EvidenceSubmissionView> {
    let s = find_visible(db, principal, id).await?;
    if !principal
        .scope_at(Permission::CompetencyReview, NodeLevel::School)
        .covers(&s.path)
    {
        return Err(AppError::Forbidden);
    }
    if !s.latest {
        return Err(AppError::conflict("id", m::OnlyLatestGraded));
    }
    if s.county_grade.is_some() {
        return Err(AppError::conflict("id", m::SpotCheckStands));
    }
    let (grade, checks, comment) = judge(db, &s, &input).await?;
    let txn = begin_write(db).await?;
    let scope = stats::of_teacher(s.teacher_id, s.year);
    let before = stats::before(&txn, &scope).await?;
    let verdict = Verdict {
        grade,
        checks: to_json(&checks)?,
        comment: comment.clone(),
        reviewer: principal.account_id,
    };
    let saved = record(&txn, &s, ReviewLevel::School, verdict).await?;
    audit::record_change(
        &txn,
        principal,
        "competency.review",
        ("competency_submission", saved.id, &saved.path),
        serde_json::json!({ "grade": grade.as_str(), "checks": checks, "comment": comment }),
    )
    .await?;
    tell_teacher(&txn, &saved, grade, comment.as_deref()).await?;
    stats::settle(&txn, &scope, before).await?;
    // A changed final grade can complete (or un-complete) a program that asks for passed points.
    crate::training::completion::reevaluate_teacher(&txn, saved.teacher_id).await?;
    txn.commit().await?;
    submission_view(db, saved).await
}

/// Who grades: the school, or the county's spot-check (whose grade overrides).
pub(crate) enum ReviewLevel {
    School,
    County,
}

/// A checklist's outcome, as stored.
pub(crate) struct Verdict {
    pub grade: Grade,
    pub checks: String,
    pub comment: Option<String>,
    pub reviewer: i64,
}

/// Stores a review at its level; the submission's final grade becomes that grade.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    s: &submission::Model,
    level: ReviewLevel,
    v: Verdict,
) -> AppResult<submission::Model> {
    let mut active: submission::ActiveModel = s.clone().into();
    let (grade, checks, comment) = (Set(Some(v.grade)), Set(Some(v.checks)), Set(v.comment));
    let (reviewer, at) = (Set(Some(v.reviewer)), Set(Some(Utc::now())));
    match level {
        ReviewLevel::School => {
            (
                active.school_grade,
                active.school_checks,
                active.school_comment,
            ) = (grade, checks, comment);
            (active.school_reviewer, active.school_reviewed_at) = (reviewer, at);
        }
        ReviewLevel::County => {
            (
                active.county_grade,
                active.county_checks,
                active.county_comment,
            ) = (grade, checks, comment);
            (active.county_reviewer, active.county_reviewed_at) = (reviewer, at);
        }
    }
    active.final_grade = Set(Some(v.grade));
    Ok(active.update(db).await?)
}

/// "Your evidence was graded" to the teacher: their inbox, and the outbox.
pub(crate) async fn tell_teacher(
    db: &impl ConnectionTrait,
    s: &submission::Model,
    grade: Grade,
    comment: Option<&str>,
) -> AppResult<()> {
    let Some(t) = teacher::Entity::find_by_id(s.teacher_id).one(db).await? else {
        return Ok(());
    };
    let comment = comment.unwrap_or_default();
    let body = i18n::t(m::GradedBody {
        name: t.name.clone(),
        code: s.code.clone(),
        year: s.year.into(),
        grade: grade.label(),
        comment: comment.to_string(),
    });
    let title = i18n::t(m::GradedSubject {
        code: s.code.clone(),
    });
    let to = inbox::Recipient::teacher(db, &t).await?;
    let notice = inbox::Notice::new(NoticeKind::Competency, title, body).link("/competency/mine");
    inbox::tell(db, &to, notice).await?;
    Ok(())
}
