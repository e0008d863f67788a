//! Hours a class activity earns (a passed assignment, an attended session): credited and voided by the tutor's
//! grade or attendance record, once per activity, under a lock on the enrolment.
#[allow(clippy::wildcard_imports)]
use super::*;

/// Hours a class activity earns (a passed assignment, an attended session), credited without a separate decision:
/// the tutor's grade or attendance record is the decision.
pub(crate) struct ActivityCredit<'a> {
    pub enrollment: &'a enrollment::Model,
    pub category: HourCategory,
    pub half_hours: i32,
    pub occurred_on: NaiveDate,
    pub source: HourSource,
    pub source_ref: String,
    /// References under which a live entry already credits the same activity (every submission of one
    /// assignment): the activity is credited once, whichever of them earned it.
    pub same_activity: &'a [String],
    pub note: String,
}

/// Locks the enrolment row, so concurrent credits and voids of one enrolment run one after the other and the
/// "already credited?" look-up below sees every earlier one (on PostgreSQL a row lock waits for the holder).
async fn lock_enrollment(db: &impl ConnectionTrait, enrollment_id: i64) -> AppResult<()> {
    enrollment::Entity::update_many()
        .col_expr(
            enrollment::Column::UpdatedAt,
            Expr::col(enrollment::Column::UpdatedAt),
        )
        .filter(enrollment::Column::Id.eq(enrollment_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The approved, not voided entry crediting `source` under one of `refs` to an enrolment, if any.
async fn live_entry(
    db: &impl ConnectionTrait,
    enrollment_id: i64,
    source: HourSource,
    refs: &[String],
) -> AppResult<Option<hour_entry::Model>> {
    let candidates = hour_entry::Entity::find()
        .filter(hour_entry::Column::EnrollmentId.eq(enrollment_id))
        .filter(hour_entry::Column::Source.eq(source))
        .filter(hour_entry::Column::Status.eq(HourStatus::Approved))
        .filter(hour_entry::Column::SourceRef.is_in(refs.iter().cloned()))
        .all(db)
        .await?;
    for e in candidates {
        if !is_voided(db, e.id).await? {
            return Ok(Some(e));
        }
    }
    Ok(None)
}

/// Appends an approved entry for a class activity and credits the enrolment, unless the activity is already
/// credited. Returns the new entry, or `None` when nothing changed.
pub(crate) async fn credit_activity(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    principal: &Principal,
    c: ActivityCredit<'_>,
) -> AppResult<Option<hour_entry::Model>> {
    if c.enrollment.review_status != ReviewStatus::Approved {
        // A withdrawn or substituted enrolment earns nothing more; its earlier credits stay until voided.
        return Err(AppError::conflict(
            "enrollment_id",
            tm::EnrolmentNoLongerActive,
        ));
    }
    lock_enrollment(db, c.enrollment.id).await?;
    if live_entry(db, c.enrollment.id, c.source, c.same_activity)
        .await?
        .is_some()
    {
        return Ok(None);
    }
    let entry = credit_system_entry(
        db,
        cycle_anchor,
        SystemCredit {
            enrollment: c.enrollment,
            category: c.category,
            half_hours: c.half_hours,
            occurred_on: c.occurred_on,
            source: c.source,
            source_ref: c.source_ref,
            note: Some(c.note),
            actor_id: principal.account_id,
        },
    )
    .await?;
    audit_entry(
        db,
        principal,
        &entry,
        "hours.credit",
        serde_json::json!({ "source": entry.source, "source_ref": entry.source_ref }),
    )
    .await?;
    Ok(Some(entry))
}

/// Voids the live entry crediting `source` under one of `refs` (a failed regrade, a member marked absent after
/// all) by appending a voiding row, and takes its hours back. Returns the voiding row, or `None` when nothing
/// was credited.
pub(crate) async fn void_activity(
    db: &impl ConnectionTrait,
    cycle_anchor: i32,
    principal: &Principal,
    enrollment_id: i64,
    source: HourSource,
    refs: &[String],
    reason: &str,
) -> AppResult<Option<hour_entry::Model>> {
    lock_enrollment(db, enrollment_id).await?;
    let Some(e) = live_entry(db, enrollment_id, source, refs).await? else {
        return Ok(None);
    };
    let marker = append_voiding(db, principal, &e, reason).await?;
    apply(db, cycle_anchor, &e, -1).await?;
    audit_entry(
        db,
        principal,
        &e,
        "hours.void",
        serde_json::json!({ "reason": reason, "voiding_entry": marker.id }),
    )
    .await?;
    Ok(Some(marker))
}
