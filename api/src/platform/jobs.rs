//! The durable jobs table: side effects are rows written in the same transaction as the change that causes them.
//! Workers in any instance claim due jobs (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time),
//! retry with exponential backoff, and take back jobs whose worker died (an expired lock).
use std::time::Duration;

use chrono::Utc;
use entity::job;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, Set,
    Statement,
};

use super::db::begin_write;

pub const MAIL: &str = "mail";
/// A review round's reminder: mails the reviewers who still have lessons to score (`lessons::rounds`).
pub const LESSON_REMINDER: &str = "lesson_reminder";
const LOCK_SECONDS: i64 = 120;

pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    dedupe_key: Option<String>,
) -> Result<(), DbErr> {
    enqueue_at(db, kind, payload, dedupe_key, Utc::now()).await
}

/// A job that becomes due at `run_at` (a reminder before a deadline); until then no worker claims it.
pub async fn enqueue_at(
    db: &impl ConnectionTrait,
    kind: &str,
    payload: serde_json::Value,
    dedupe_key: Option<String>,
    run_at: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    job::ActiveModel {
        kind: Set(kind.to_string()),
        payload: Set(payload.to_string()),
        status: Set("pending".into()),
        attempts: Set(0),
        max_attempts: Set(8),
        run_at: Set(run_at),
        dedupe_key: Set(dedupe_key),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Claims the next due job for `worker`, or None when nothing is due.
pub async fn claim(db: &DatabaseConnection, worker: &str) -> Result<Option<job::Model>, DbErr> {
    let backend = db.get_database_backend();
    let now = Utc::now();
    let lock_until = now + chrono::Duration::seconds(LOCK_SECONDS);
    let (skip_locked, p) = match backend {
        DbBackend::Postgres => (" FOR UPDATE SKIP LOCKED", ["$1", "$2", "$3"]),
        _ => ("", ["?", "?", "?"]),
    };
    let sql = format!(
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = {lock}, locked_by = {worker} \
         WHERE id = (SELECT id FROM jobs WHERE (status = 'pending' AND run_at <= {now}) \
         OR (status = 'running' AND locked_until < {now}) ORDER BY run_at, id LIMIT 1{skip_locked}) RETURNING *",
        lock = p[0],
        worker = p[1],
        now = p[2],
    );
    // SQLite evaluates the repeated placeholder positionally, so bind `now` twice there.
    let values: Vec<sea_orm::Value> = match backend {
        DbBackend::Postgres => vec![lock_until.into(), worker.into(), now.into()],
        _ => vec![lock_until.into(), worker.into(), now.into(), now.into()],
    };
    let txn = begin_write(db).await?;
    let claimed = job::Entity::find()
        .from_raw_sql(Statement::from_sql_and_values(backend, sql, values))
        .one(&txn)
        .await?;
    txn.commit().await?;
    Ok(claimed)
}

pub async fn complete(db: &impl ConnectionTrait, job: job::Model) -> Result<(), DbErr> {
    let mut active: job::ActiveModel = job.into();
    active.status = Set("done".into());
    active.locked_until = Set(None);
    active.finished_at = Set(Some(Utc::now()));
    active.update(db).await.map(|_| ())
}

/// Records a failure; the job runs again after a growing delay until its attempts are used up.
pub async fn fail(db: &impl ConnectionTrait, job: job::Model, error: &str) -> Result<(), DbErr> {
    let attempts = job.attempts;
    let exhausted = attempts >= job.max_attempts;
    let mut active: job::ActiveModel = job.into();
    active.status = Set(if exhausted { "failed" } else { "pending" }.into());
    active.locked_until = Set(None);
    active.last_error = Set(Some(error.chars().take(2000).collect()));
    active.run_at = Set(Utc::now() + backoff(attempts));
    active.update(db).await.map(|_| ())
}

/// 2 s, 4 s, 8 s … capped at ten minutes.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let seconds = 2i64.saturating_pow(attempts.clamp(1, 20) as u32).min(600);
    chrono::Duration::seconds(seconds)
}

/// Runs jobs until the process ends: poll, claim, dispatch, record the outcome.
pub async fn run_worker(db: DatabaseConnection, mailer: super::mail::Mailer, worker: String) {
    loop {
        match claim(&db, &worker).await {
            Ok(Some(job)) => {
                let outcome = match job.kind.as_str() {
                    MAIL => mailer.deliver_job(&job.payload).await,
                    LESSON_REMINDER => {
                        crate::lessons::rounds::run_reminder(&db, &job.payload).await
                    }
                    other => Err(anyhow::anyhow!("unknown job kind {other}")),
                };
                let recorded = match outcome {
                    Ok(()) => complete(&db, job).await,
                    Err(e) => {
                        tracing::warn!(job = job.id, error = %e, "job failed");
                        fail(&db, job, &e.to_string()).await
                    }
                };
                if let Err(e) = recorded {
                    tracing::error!(error = %e, "could not record job outcome");
                }
            }
            Ok(None) => tokio::time::sleep(Duration::from_millis(500)).await,
            Err(e) => {
                tracing::error!(error = %e, "job claim failed");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1).num_seconds(), 2);
        assert_eq!(backoff(3).num_seconds(), 8);
        assert_eq!(backoff(30).num_seconds(), 600);
    }
}
