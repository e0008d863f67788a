//! The durable jobs table: side effects are rows written in the same transaction as the change that causes them.
//! Workers in any instance claim due jobs (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: one writer at a time),
//! retry with capped exponential backoff for a configured period, and take back jobs whose worker died (an
//! expired lock). A job that still fails after the period is `failed`: visible to province administrators, who
//! can run it again. Nothing is dropped after a fixed number of attempts, so an SMTP outage of a few hours loses
//! no mail.
use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use entity::job;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr,
    EntityTrait, QueryFilter, Set, Statement, sea_query::Expr,
};

use super::{config::Config, db::begin_write, metrics, shutdown::Shutdown};

pub use entity::job::{JobKind, JobStatus};

const LOCK_SECONDS: i64 = 120;

/// The future a handler returns; boxed so handlers of different modules fit one registry.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = anyhow::Result<Outcome>> + Send + 'a>>;

/// Runs the jobs of one kind. Implemented by the module that owns the work (mail here, reminders in lessons).
pub trait JobHandler: Send + Sync {
    /// The kind of job this handler runs.
    fn kind(&self) -> JobKind;
    fn run<'a>(&'a self, db: &'a DatabaseConnection, payload: &'a str) -> JobFuture<'a>;
}

/// The handlers a worker dispatches to, filled where the application is assembled. Cheap to clone.
#[derive(Clone, Default)]
pub struct JobRegistry {
    handlers: HashMap<JobKind, Arc<dyn JobHandler>>,
}

impl JobRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a handler; a second handler for the same kind replaces the first.
    pub fn register(mut self, handler: impl JobHandler + 'static) -> Self {
        self.handlers.insert(handler.kind(), Arc::new(handler));
        self
    }

    /// The registered kinds, in declaration order.
    pub fn kinds(&self) -> Vec<JobKind> {
        JobKind::ALL
            .into_iter()
            .filter(|k| self.handlers.contains_key(k))
            .collect()
    }

    /// Runs one job through its kind's handler; a kind with no handler here is a failure, so the job stays
    /// visible and is retried (an instance that registers it may run it).
    pub async fn run(&self, db: &DatabaseConnection, job: &job::Model) -> anyhow::Result<Outcome> {
        match self.handlers.get(&job.kind) {
            Some(handler) => handler.run(db, &job.payload).await,
            None => Err(anyhow::anyhow!("no handler for job kind {}", job.kind)),
        }
    }
}

/// How a job that ran without error ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Skipped for good, with the reason kept in `last_error` (e.g. the reset link it carried had expired).
    Expired(String),
}

/// How long failing jobs are retried and how the delay between attempts grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// A job failing for this long since its first failure becomes `failed`.
    pub period: chrono::Duration,
    /// The delay after the first failure; it doubles after each further failure …
    pub first_delay: chrono::Duration,
    /// … up to this.
    pub max_delay: chrono::Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            period: chrono::Duration::hours(24),
            first_delay: chrono::Duration::seconds(10),
            max_delay: chrono::Duration::minutes(10),
        }
    }
}

impl RetryPolicy {
    pub fn from_config(config: &Config) -> Self {
        let period = match config.job_retry_seconds {
            Some(s) => chrono::Duration::seconds(s.max(0)),
            None => chrono::Duration::hours(config.job_retry_hours.max(0)),
        };
        Self {
            period,
            first_delay: chrono::Duration::seconds(config.job_backoff_first_seconds.max(1)),
            max_delay: chrono::Duration::seconds(
                config
                    .job_backoff_max_seconds
                    .max(config.job_backoff_first_seconds.max(1)),
            ),
        }
    }

    /// The wait after the `attempts`-th failed attempt: first, 2×first, 4×first … capped.
    pub fn delay(&self, attempts: i32) -> chrono::Duration {
        let doublings = attempts.clamp(1, 31) as u32 - 1;
        let first = self.first_delay.num_seconds().max(1);
        let seconds = first
            .saturating_mul(2i64.saturating_pow(doublings))
            .min(self.max_delay.num_seconds().max(first));
        chrono::Duration::seconds(seconds)
    }

    /// Whether a job failing since `since` has used up its retry period at `now`.
    pub fn gives_up(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        now - since >= self.period
    }
}

pub async fn enqueue(
    db: &impl ConnectionTrait,
    kind: JobKind,
    payload: serde_json::Value,
    dedupe_key: Option<String>,
) -> Result<(), DbErr> {
    enqueue_at(db, kind, payload, dedupe_key, Utc::now()).await
}

/// A job that becomes due at `run_at` (a reminder before a deadline); until then no worker claims it.
pub async fn enqueue_at(
    db: &impl ConnectionTrait,
    kind: JobKind,
    payload: serde_json::Value,
    dedupe_key: Option<String>,
    run_at: chrono::DateTime<Utc>,
) -> Result<(), DbErr> {
    let now = Utc::now();
    job::ActiveModel {
        kind: Set(kind),
        payload: Set(payload.to_string()),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        // Retries end by time (RetryPolicy), not by count; the column stays for rows written before.
        max_attempts: Set(0),
        run_at: Set(run_at),
        dedupe_key: Set(dedupe_key),
        created_at: Set(now),
        retry_since: Set(None),
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
    // Only kinds this version can read: a row of a kind a newer version wrote waits for an instance that knows
    // it, instead of failing every claim here.
    let known_kinds = JobKind::ALL.map(|k| format!("'{}'", k.as_str())).join(", ");
    let sql = format!(
        "UPDATE jobs SET status = '{running}', attempts = attempts + 1, locked_until = {lock}, locked_by = {worker} \
         WHERE id = (SELECT id FROM jobs WHERE kind IN ({known_kinds}) AND ((status = '{pending}' AND run_at <= {now}) \
         OR (status = '{running}' AND locked_until < {now})) ORDER BY run_at, id LIMIT 1{skip_locked}) RETURNING *",
        running = JobStatus::Running.as_str(),
        pending = JobStatus::Pending.as_str(),
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
    finish(db, job, JobStatus::Done, None).await
}

/// Ends a job that must not run any more (what it carries is no longer valid); kept with the reason.
pub async fn expire(db: &impl ConnectionTrait, job: job::Model, reason: &str) -> Result<(), DbErr> {
    finish(db, job, JobStatus::Expired, Some(reason)).await
}

async fn finish(
    db: &impl ConnectionTrait,
    job: job::Model,
    status: JobStatus,
    note: Option<&str>,
) -> Result<(), DbErr> {
    let mut active: job::ActiveModel = job.into();
    active.status = Set(status);
    active.locked_until = Set(None);
    active.finished_at = Set(Some(Utc::now()));
    if let Some(note) = note {
        active.last_error = Set(Some(note.chars().take(2000).collect()));
    }
    active.update(db).await.map(|_| ())
}

/// Records a failure: the job runs again after a growing delay, until it has failed for the whole retry period
/// (counted from its first failure); then it is `failed` and waits for an administrator.
pub async fn fail(
    db: &impl ConnectionTrait,
    job: job::Model,
    error: &str,
    policy: &RetryPolicy,
) -> Result<(), DbErr> {
    let now = Utc::now();
    let since = job.retry_since.unwrap_or(now);
    let gave_up = policy.gives_up(since, now);
    let attempts = job.attempts;
    metrics::job_failed(job.kind, gave_up);
    let mut active: job::ActiveModel = job.into();
    active.status = Set(if gave_up {
        JobStatus::Failed
    } else {
        JobStatus::Pending
    });
    active.locked_until = Set(None);
    active.retry_since = Set(Some(since));
    active.last_error = Set(Some(error.chars().take(2000).collect()));
    active.run_at = Set(now + policy.delay(attempts));
    if gave_up {
        active.finished_at = Set(Some(now));
    }
    active.update(db).await.map(|_| ())
}

/// Hands a claimed job back to the queue unfinished (its worker is stopping): due at once, unlocked, and its
/// attempt not counted, so any worker claims it next. Only while `worker` still holds it: a job whose lock
/// expired and that another worker took is left to that worker. Returns whether the job was handed back.
pub async fn release(
    db: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
) -> Result<bool, DbErr> {
    let handed_back = job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(JobStatus::Pending.as_str()),
        )
        .col_expr(
            job::Column::Attempts,
            Expr::value((job.attempts - 1).max(0)),
        )
        .col_expr(job::Column::LockedUntil, Expr::value(None::<DateTime<Utc>>))
        .col_expr(job::Column::LockedBy, Expr::value(None::<String>))
        .col_expr(job::Column::RunAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(handed_back.rows_affected == 1)
}

/// Puts failed (or waiting) jobs back to run now with a fresh retry period; returns the ids that were retried.
/// Running, done and expired jobs are left alone.
pub async fn retry_now(db: &impl ConnectionTrait, ids: &[i64]) -> Result<Vec<i64>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let retriable = [JobStatus::Failed, JobStatus::Pending];
    let targets: Vec<i64> = job::Entity::find()
        .filter(job::Column::Id.is_in(ids.iter().copied()))
        .filter(job::Column::Status.is_in(retriable))
        .all(db)
        .await?
        .into_iter()
        .map(|j| j.id)
        .collect();
    if targets.is_empty() {
        return Ok(targets);
    }
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            Expr::value(JobStatus::Pending.as_str()),
        )
        .col_expr(job::Column::Attempts, Expr::value(0))
        .col_expr(job::Column::RunAt, Expr::value(Utc::now()))
        .col_expr(job::Column::RetrySince, Expr::value(None::<DateTime<Utc>>))
        .col_expr(job::Column::FinishedAt, Expr::value(None::<DateTime<Utc>>))
        .filter(job::Column::Id.is_in(targets.iter().copied()))
        .filter(job::Column::Status.is_in(retriable))
        .exec(db)
        .await?;
    Ok(targets)
}

/// Runs jobs until `stop` fires, with the default retry policy (a day, 10 s doubling up to 10 min).
pub async fn run_worker(
    db: DatabaseConnection,
    registry: JobRegistry,
    worker: String,
    stop: Shutdown,
) {
    run_worker_with(db, registry, worker, RetryPolicy::default(), stop).await
}

/// Runs jobs until `stop` fires: poll, claim, dispatch, record the outcome. A job already claimed when the stop
/// comes may finish within the stop's drain bound and its outcome is recorded; past the bound it is handed back
/// to the queue ([`release`]). Either way a stop never leaves a job `running` until its lock expires.
pub async fn run_worker_with(
    db: DatabaseConnection,
    registry: JobRegistry,
    worker: String,
    policy: RetryPolicy,
    stop: Shutdown,
) {
    while !stop.is_cancelled() {
        match claim(&db, &worker).await {
            Ok(Some(job)) => {
                let Some(outcome) = stop.or_drained(registry.run(&db, &job)).await else {
                    hand_back(&db, &job, &worker).await;
                    break;
                };
                let recorded = match outcome {
                    Ok(Outcome::Done) => complete(&db, job).await,
                    Ok(Outcome::Expired(reason)) => {
                        tracing::info!(job = job.id, %reason, "job expired unsent");
                        expire(&db, job, &reason).await
                    }
                    Err(e) => {
                        tracing::warn!(job = job.id, error = %e, "job failed");
                        fail(&db, job, &e.to_string(), &policy).await
                    }
                };
                if let Err(e) = recorded {
                    tracing::error!(error = %e, "could not record job outcome");
                }
            }
            Ok(None) => {
                stop.sleep(Duration::from_millis(500)).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "job claim failed");
                stop.sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// Releases a job cut off by the stop, saying so in the log either way.
async fn hand_back(db: &DatabaseConnection, job: &job::Model, worker: &str) {
    match release(db, job, worker).await {
        Ok(true) => {
            tracing::info!(job = job.id, kind = %job.kind, "shutdown: unfinished job handed back to the queue")
        }
        Ok(false) => tracing::warn!(
            job = job.id,
            "shutdown: job no longer held by this worker; left as it is"
        ),
        Err(e) => {
            tracing::error!(job = job.id, error = %e, "shutdown: could not hand a job back; its lock expires")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_from_ten_seconds_and_caps_at_ten_minutes() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1).num_seconds(), 10);
        assert_eq!(p.delay(2).num_seconds(), 20);
        assert_eq!(p.delay(4).num_seconds(), 80);
        assert_eq!(p.delay(7).num_seconds(), 600);
        assert_eq!(p.delay(10_000).num_seconds(), 600);
    }

    #[test]
    fn a_day_of_failures_is_many_more_than_eight_attempts() {
        // 10+20+…+320 s, then one attempt every ten minutes for the rest of the day.
        let p = RetryPolicy::default();
        let mut elapsed = chrono::Duration::zero();
        let mut attempts = 0;
        while !p.gives_up(Utc::now() - elapsed, Utc::now()) {
            attempts += 1;
            elapsed += p.delay(attempts);
        }
        assert!(attempts > 140, "{attempts}");
    }

    struct Fixed(JobKind);

    impl JobHandler for Fixed {
        fn kind(&self) -> JobKind {
            self.0
        }
        fn run<'a>(&'a self, _db: &'a DatabaseConnection, payload: &'a str) -> JobFuture<'a> {
            Box::pin(async move { Ok(Outcome::Expired(payload.to_string())) })
        }
    }

    fn job_of(kind: JobKind) -> job::Model {
        job::Model {
            id: 1,
            kind,
            payload: "p".into(),
            status: JobStatus::Running,
            attempts: 1,
            max_attempts: 0,
            run_at: Utc::now(),
            locked_until: None,
            locked_by: None,
            last_error: None,
            dedupe_key: None,
            created_at: Utc::now(),
            finished_at: None,
            retry_since: None,
        }
    }

    #[tokio::test]
    async fn the_registry_dispatches_by_kind_and_fails_unregistered_kinds() {
        let db = sea_orm::DatabaseConnection::default();
        let registry = JobRegistry::new().register(Fixed(JobKind::LessonReminder));
        assert_eq!(registry.kinds(), vec![JobKind::LessonReminder]);
        assert_eq!(
            registry
                .run(&db, &job_of(JobKind::LessonReminder))
                .await
                .expect("the reminder is registered"),
            Outcome::Expired("p".into())
        );
        assert!(registry.run(&db, &job_of(JobKind::Mail)).await.is_err());
    }

    #[test]
    fn names_round_trip() {
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::from_stored(s.as_str()), Some(s));
        }
        for k in JobKind::ALL {
            assert_eq!(JobKind::from_stored(k.as_str()), Some(k));
        }
    }
}
