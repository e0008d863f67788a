use chrono::{DateTime, Utc};
use entity::job;
use poem_openapi::{Object, OpenApi, param::Query, payload::Json};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    AppState,
    access::Permission,
    auth::{BearerAuth, Principal},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::AppResult,
        jobs::{self, JobKind, JobStatus},
        mail::OutgoingMail,
        paging::{Page, fetch, window},
    },
    tags::Tag,
};

/// A durable job as an administrator sees it. A mail's payload (which may carry a reset link) is never shown:
/// only its recipient and subject.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct JobView {
    pub id: i64,
    pub kind: JobKind,
    pub status: JobStatus,
    /// Attempts in the current retry period.
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    /// When it runs (again), for a pending job.
    pub run_at: DateTime<Utc>,
    /// When the current retry period began (its first failure, or the last manual retry).
    pub retry_since: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed, or why an expired job was not run.
    pub last_error: Option<String>,
    /// A mail's recipient.
    pub recipient: Option<String>,
    /// A mail's subject.
    pub subject: Option<String>,
}

impl JobView {
    fn of(m: job::Model) -> Self {
        let mail = (m.kind == JobKind::Mail)
            .then(|| serde_json::from_str::<OutgoingMail>(&m.payload).ok())
            .flatten();
        Self {
            id: m.id,
            kind: m.kind,
            status: m.status,
            attempts: m.attempts,
            created_at: m.created_at,
            run_at: m.run_at,
            retry_since: m.retry_since,
            finished_at: m.finished_at,
            last_error: m.last_error,
            recipient: mail.as_ref().map(|m| m.to.clone()),
            subject: mail.map(|m| m.subject),
        }
    }
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RetryJobsRequest {
    /// The jobs to run again now; failed and pending ones are retried, others are left as they are.
    #[oai(default, validator(max_items = 200))]
    pub ids: Vec<i64>,
}

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RetryJobsResult {
    /// The jobs put back in the queue, each with a fresh retry period.
    pub retried: Vec<i64>,
}

pub struct JobsApi;

/// Only province administrators hold `job.manage`; anyone else is refused outright.
fn require_job_manage(principal: &Principal) -> AppResult<()> {
    principal.require_somewhere(Permission::JobManage)
}

#[OpenApi(tag = "Tag::Jobs")]
impl JobsApi {
    /// Durable jobs (mail, reminders), newest first: failed ones with their last error, and the ones waiting
    /// to run or to be retried.
    #[oai(path = "/jobs", method = "get", operation_id = "listJobs")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        status: Query<Option<JobStatus>>,
        kind: Query<Option<JobKind>>,
    ) -> AppResult<Json<Page<JobView>>> {
        require_job_manage(&auth.0)?;
        let (page, size, offset) = window(page.0, page_size.0)?;
        // Rows of a kind or state this version does not know (written by a newer one) are not its to show.
        let mut q = job::Entity::find()
            .filter(job::Column::Kind.is_in(JobKind::ALL))
            .filter(job::Column::Status.is_in(JobStatus::ALL));
        if let Some(s) = status.0 {
            q = q.filter(job::Column::Status.eq(s));
        }
        if let Some(k) = kind.0 {
            q = q.filter(job::Column::Kind.eq(k));
        }
        let (rows, total) =
            fetch(&state.db, q.order_by_desc(job::Column::Id), offset, size).await?;
        Ok(Json(Page {
            items: rows.into_iter().map(JobView::of).collect(),
            total: total.count,
            total_exact: total.exact,
            page,
            page_size: size,
        }))
    }

    /// Runs failed (or waiting) jobs again now, each with a fresh retry period. Audited per job.
    #[oai(path = "/jobs/retry", method = "post", operation_id = "retryJobs")]
    async fn retry(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<RetryJobsRequest>,
    ) -> AppResult<Json<RetryJobsResult>> {
        require_job_manage(&auth.0)?;
        let txn = begin_write(&state.db).await?;
        let retried = jobs::retry_now(&txn, &body.0.ids).await?;
        for id in &retried {
            audit::record(
                &txn,
                Some(&auth.0),
                AuditEvent {
                    action: "job.retry",
                    target_type: "job",
                    target_id: Some(id.to_string()),
                    target_path: None,
                    detail: serde_json::json!({}),
                },
            )
            .await?;
        }
        txn.commit().await?;
        Ok(Json(RetryJobsResult { retried }))
    }
}
