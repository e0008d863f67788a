//! Starting a round's review: every lesson must have its reviewers, each reviewer is mailed once, and reminder
//! jobs mail those still behind before the deadline.
#[allow(clippy::wildcard_imports)]
use super::*;

// ───────────── start ─────────────

/// Reviewer account → their assignments in the round (all, or only the unsubmitted ones).
async fn reviewer_loads(
    db: &impl ConnectionTrait,
    round_id: i64,
    unsubmitted_only: bool,
) -> AppResult<BTreeMap<i64, u32>> {
    let mut q = assignment::Entity::find().filter(assignment::Column::RoundId.eq(round_id));
    if unsubmitted_only {
        q = q.filter(assignment::Column::Status.ne(LessonReviewStatus::Submitted));
    }
    let mut loads = BTreeMap::new();
    for a in q.all(db).await? {
        *loads.entry(a.reviewer_id).or_insert(0u32) += 1;
    }
    Ok(loads)
}

fn deadline_text(d: DateTime<Utc>) -> String {
    match chrono::FixedOffset::east_opt(8 * 3600) {
        Some(beijing) => d
            .with_timezone(&beijing)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        None => d.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// Tells a reviewer what is waiting for them (a mail in the outbox, once per `key`).
pub async fn mail_reviewer(
    db: &impl ConnectionTrait,
    r: &round::Model,
    reviewer: i64,
    lessons: u32,
    key: &str,
    reminder: bool,
) -> AppResult<()> {
    let Some(account) = entity::account::Entity::find_by_id(reviewer)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let to = inbox::Recipient::account(&account);
    let deadline = deadline_text(r.deadline);
    let (name, title, count) = (account.display_name, r.name.clone(), i64::from(lessons));
    let (subject, body) = if reminder {
        (
            t(m::ReminderSubject),
            t(m::ReminderBody {
                name,
                count,
                title,
                deadline,
            }),
        )
    } else {
        (
            t(m::TaskSubject),
            t(m::TaskBody {
                name,
                count,
                title,
                deadline,
            }),
        )
    };
    let notice = inbox::Notice::new(NoticeKind::LessonReview, subject, body)
        .link("/lesson-reviews")
        .once(key);
    Ok(inbox::tell(db, &to, notice).await?)
}

/// draft → reviewing: every lesson must have its reviewers. Each reviewer gets one mail; reminders are scheduled
/// as jobs due `reminder_days` before the deadline.
pub async fn start(state: &AppState, principal: &Principal, id: i64) -> AppResult<LessonRoundView> {
    let r = managed(&state.db, principal, id).await?;
    require_status(&r, &[LessonRoundStatus::Draft])?;
    let entries = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .order_by_asc(entry::Column::Id)
        .all(&state.db)
        .await?;
    if entries.is_empty() {
        return Err(AppError::field("entries", m::RoundNoLessons));
    }
    let mut per_entry: BTreeMap<i64, u32> = BTreeMap::new();
    for a in assignment::Entity::find()
        .filter(assignment::Column::RoundId.eq(r.id))
        .all(&state.db)
        .await?
    {
        *per_entry.entry(a.entry_id).or_insert(0) += 1;
    }
    let need = u32::try_from(r.reviewers_per_lesson).unwrap_or(1);
    let short: Vec<FieldError> = entries
        .iter()
        .filter_map(|e| {
            let have = per_entry.get(&e.id).copied().unwrap_or(0);
            (have < need).then(|| {
                FieldError::new(
                    format!("entries[{}]", e.id),
                    m::ReviewersShort {
                        needed: need.into(),
                        count: have.into(),
                    },
                )
            })
        })
        .collect();
    if !short.is_empty() {
        return Err(AppError::rule(m::ReviewersMissing, short));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let mut a: round::ActiveModel = r.into();
    a.status = Set(LessonRoundStatus::Reviewing);
    a.updated_at = Set(now);
    let r = a.update(&txn).await?;
    let loads = reviewer_loads(&txn, r.id, false).await?;
    for (reviewer, lessons) in &loads {
        mail_reviewer(
            &txn,
            &r,
            *reviewer,
            *lessons,
            &format!("lesson-round:{}:start:{reviewer}", r.id),
            false,
        )
        .await?;
    }
    let days: Vec<i32> = serde_json::from_str(&r.reminder_days).unwrap_or_default();
    let mut scheduled = Vec::new();
    for d in days {
        let at = r.deadline - Duration::days(i64::from(d));
        if at > now {
            jobs::enqueue_at(
                &txn,
                jobs::JobKind::LessonReminder,
                serde_json::json!({ "round_id": r.id, "days": d, "lang": i18n::current_lang().as_str() }),
                Some(format!("lesson-round:{}:remind:{d}", r.id)),
                at,
            )
            .await?;
            scheduled.push(at);
        }
    }
    audit::record_change(
        &txn,
        principal,
        "lesson.round.start",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({ "reviewers": loads.len(), "reminders": scheduled }),
    )
    .await?;
    txn.commit().await?;
    view(state, r).await
}

/// Runs the `lesson_reminder` jobs a round schedules when it starts; registered with the job worker.
pub struct ReminderJobs;

impl jobs::JobHandler for ReminderJobs {
    fn kind(&self) -> jobs::JobKind {
        jobs::JobKind::LessonReminder
    }

    fn run<'a>(&'a self, db: &'a DatabaseConnection, payload: &'a str) -> jobs::JobFuture<'a> {
        Box::pin(async move {
            run_reminder(db, payload)
                .await
                .map(|()| jobs::Outcome::Done)
        })
    }
}

/// The reminder job: mails each reviewer who still has unsubmitted lessons, while the round is reviewing.
pub async fn run_reminder(db: &DatabaseConnection, payload: &str) -> anyhow::Result<()> {
    let v: serde_json::Value = serde_json::from_str(payload)?;
    let round_id = v["round_id"].as_i64().unwrap_or_default();
    let days = v["days"].as_i64().unwrap_or_default();
    let Some(r) = round::Entity::find_by_id(round_id).one(db).await? else {
        return Ok(());
    };
    if status_of(&r) != LessonRoundStatus::Reviewing {
        return Ok(());
    }
    // The reminders speak the language of the request that started the round.
    let context = i18n::RequestContext {
        lang: i18n::Lang::parse(v["lang"].as_str().unwrap_or_default()),
        request_id: None,
    };
    i18n::scope(context, remind(db, &r, days)).await
}

async fn remind(db: &DatabaseConnection, r: &round::Model, days: i64) -> anyhow::Result<()> {
    let txn = begin_write(db).await?;
    for (reviewer, lessons) in reviewer_loads(&txn, r.id, true).await? {
        mail_reviewer(
            &txn,
            r,
            reviewer,
            lessons,
            &format!("lesson-round:{}:remind:{days}:{reviewer}", r.id),
            true,
        )
        .await
        .map_err(|e| anyhow::anyhow!(e.to_string()))?;
    }
    txn.commit().await?;
    Ok(())
}
