//! The process's Prometheus series, in the text exposition format: HTTP requests per operation and status with
//! their latency, database pool connections, the job queue by kind and state, job failures, failed sign-ins,
//! upload bytes received, and report and export durations.
//!
//! Labels are bounded on purpose: an operation is the OpenAPI operation id (or a fixed name for the few routes
//! outside the contract), never a raw path with ids in it. Counters are process-wide (one registry per process,
//! as Prometheus scrapes processes); the pool and queue gauges are read from the database when scraped, so they
//! cost nothing per request.
//!
//! Never public by default: the main port answers `/metrics` only to the bearer `YANXIU_METRICS_TOKEN` (404
//! otherwise, as if the route did not exist); `YANXIU_METRICS_BIND` serves it on an address of its own.
use std::{
    sync::LazyLock,
    time::{Duration, Instant},
};

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use entity::job::{JobKind, JobStatus};

/// The content type of the text exposition format.
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Latency buckets from 5 ms to 30 s: interactive requests sit at the bottom, imports and reports at the top.
const REQUEST_BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Reports and exports run from milliseconds (maintained counters) to minutes (a province-wide teacher export).
const WORK_BUCKETS: &[f64] = &[0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0];

/// The job states that are a queue (waiting, being worked on, waiting for an administrator); finished jobs are
/// history, and counting them would mean scanning the whole table at every scrape.
const QUEUED: [JobStatus; 3] = [JobStatus::Pending, JobStatus::Running, JobStatus::Failed];

struct Series {
    registry: Registry,
    http_requests: IntCounterVec,
    http_seconds: HistogramVec,
    db_connections: IntGaugeVec,
    jobs: IntGaugeVec,
    job_failures: IntCounterVec,
    login_failures: IntCounterVec,
    upload_bytes: IntCounterVec,
    report_seconds: HistogramVec,
    export_seconds: HistogramVec,
}

static SERIES: LazyLock<Series> = LazyLock::new(Series::new);
static SCRAPE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Series {
    fn new() -> Self {
        let registry = Registry::new_custom(Some("yanxiu".into()), None)
            .expect("a valid namespace for the registry");
        let http_requests = counter(
            &registry,
            "http_requests_total",
            "HTTP requests answered, by operation, method and status.",
            &["operation", "method", "status"],
        );
        let http_seconds = histogram(
            &registry,
            "http_request_duration_seconds",
            "Time to the response head, by operation, method and status.",
            &["operation", "method", "status"],
            REQUEST_BUCKETS,
        );
        let db_connections = gauge(
            &registry,
            "db_connections",
            "Database pool connections, in use or idle, when scraped.",
            &["state"],
        );
        let jobs = gauge(
            &registry,
            "jobs",
            "Jobs waiting (pending), being worked on (running) or given up (failed), by kind, when scraped.",
            &["kind", "status"],
        );
        let job_failures = counter(
            &registry,
            "job_failures_total",
            "Failed job runs by kind; outcome retry (run again later) or failed (retry period used up).",
            &["kind", "outcome"],
        );
        let login_failures = counter(
            &registry,
            "login_failures_total",
            "Refused sign-ins by reason (invalid_credentials, locked).",
            &["reason"],
        );
        let upload_bytes = counter(
            &registry,
            "upload_bytes_total",
            "Bytes of uploaded files received, by route (resumable: /api/uploads; file: single uploads).",
            &["route"],
        );
        let report_seconds = histogram(
            &registry,
            "report_duration_seconds",
            "Time to compute a report, by report.",
            &["report"],
            WORK_BUCKETS,
        );
        let export_seconds = histogram(
            &registry,
            "export_duration_seconds",
            "Time to produce an export file, by export.",
            &["export"],
            WORK_BUCKETS,
        );
        Self {
            registry,
            http_requests,
            http_seconds,
            db_connections,
            jobs,
            job_failures,
            login_failures,
            upload_bytes,
            report_seconds,
            export_seconds,
        }
    }
}

fn counter(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntCounterVec {
    let c = IntCounterVec::new(Opts::new(name, help), labels).expect("a valid counter");
    registry
        .register(Box::new(c.clone()))
        .expect("registered once");
    c
}

fn gauge(registry: &Registry, name: &str, help: &str, labels: &[&str]) -> IntGaugeVec {
    let g = IntGaugeVec::new(Opts::new(name, help), labels).expect("a valid gauge");
    registry
        .register(Box::new(g.clone()))
        .expect("registered once");
    g
}

fn histogram(
    registry: &Registry,
    name: &str,
    help: &str,
    labels: &[&str],
    buckets: &[f64],
) -> HistogramVec {
    let h = HistogramVec::new(
        HistogramOpts::new(name, help).buckets(buckets.to_vec()),
        labels,
    )
    .expect("a valid histogram");
    registry
        .register(Box::new(h.clone()))
        .expect("registered once");
    h
}

/// One answered HTTP request. `method` is kept only when it is a standard one, so a client cannot grow the
/// label set.
pub fn http_request(operation: &str, method: &str, status: u16, elapsed: Duration) {
    const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
    let method = if METHODS.contains(&method) {
        method
    } else {
        "other"
    };
    let status = status.to_string();
    let labels = [operation, method, status.as_str()];
    SERIES.http_requests.with_label_values(&labels).inc();
    SERIES
        .http_seconds
        .with_label_values(&labels)
        .observe(elapsed.as_secs_f64());
}

/// A refused sign-in (`invalid_credentials`, `locked`).
pub fn login_failed(reason: &str) {
    SERIES.login_failures.with_label_values(&[reason]).inc();
}

/// Bytes of an uploaded file that reached the server, by route (`resumable`, `file`).
pub fn upload_received(route: &str, bytes: u64) {
    SERIES
        .upload_bytes
        .with_label_values(&[route])
        .inc_by(bytes);
}

/// A job run that failed; `gave_up` when its retry period is used up.
pub fn job_failed(kind: JobKind, gave_up: bool) {
    let outcome = if gave_up { "failed" } else { "retry" };
    SERIES
        .job_failures
        .with_label_values(&[kind.as_str(), outcome])
        .inc();
}

/// Times a report until the value is dropped: `let _timer = metrics::report_timer("completion");`.
pub fn report_timer(report: &'static str) -> Timer {
    Timer {
        histogram: &SERIES.report_seconds,
        label: report,
        started: Instant::now(),
    }
}

/// Times an export until the value is dropped.
pub fn export_timer(export: &'static str) -> Timer {
    Timer {
        histogram: &SERIES.export_seconds,
        label: export,
        started: Instant::now(),
    }
}

/// Observes the time since it was made when dropped, so every way out of the timed function is counted.
pub struct Timer {
    histogram: &'static HistogramVec,
    label: &'static str,
    started: Instant,
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.histogram
            .with_label_values(&[self.label])
            .observe(self.started.elapsed().as_secs_f64());
    }
}

/// Whether `authorization` (the request's header) carries the configured metrics token. Without a token
/// configured nobody is let in on the main port.
pub fn authorised(token: Option<&str>, authorization: Option<&str>) -> bool {
    let (Some(expected), Some(given)) = (
        token.filter(|t| !t.is_empty()),
        authorization.and_then(|h| h.strip_prefix("Bearer ")),
    ) else {
        return false;
    };
    constant_time_eq(expected.as_bytes(), given.trim().as_bytes())
}

/// Compares without stopping at the first difference, so the answer time does not tell how much was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Reads the gauges (pool, job queue) and renders every series. A failing queue query leaves the queue gauges
/// out rather than failing the scrape: the other series are still worth having.
pub async fn render(db: &DatabaseConnection) -> String {
    // One scrape at a time: the gauges are set from this connection and read back in the same turn.
    let _one = SCRAPE.lock().await;
    read_pool(db);
    if let Err(e) = read_queue(db).await {
        tracing::warn!(error = %e, "metrics: could not read the job queue");
        SERIES.jobs.reset();
    }
    let mut out = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&SERIES.registry.gather(), &mut out) {
        tracing::error!(error = %e, "metrics: could not encode");
    }
    String::from_utf8(out).unwrap_or_default()
}

fn read_pool(db: &DatabaseConnection) {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => return,
    };
    let idle = idle as i64;
    let in_use = (i64::from(size) - idle).max(0);
    SERIES
        .db_connections
        .with_label_values(&["in_use"])
        .set(in_use);
    SERIES.db_connections.with_label_values(&["idle"]).set(idle);
}

/// One grouped count over the queued states (the `(status, run_at)` index serves it); every known kind and
/// state is set, zero included, so a drained queue reads 0 rather than its last value.
async fn read_queue(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    let states = QUEUED
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            format!(
                "SELECT kind, status, COUNT(*) AS n FROM jobs WHERE status IN ({states}) GROUP BY kind, status"
            ),
        ))
        .await?;
    for kind in JobKind::ALL {
        for status in QUEUED {
            SERIES
                .jobs
                .with_label_values(&[kind.as_str(), status.as_str()])
                .set(0);
        }
    }
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        let status: String = row.try_get("", "status")?;
        let n: i64 = row.try_get("", "n")?;
        // Kinds a newer version wrote are counted under their stored name: still bounded by the enum there.
        SERIES.jobs.with_label_values(&[&kind, &status]).set(n);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_bearer_is_let_in() {
        assert!(authorised(Some("s3cret"), Some("Bearer s3cret")));
        assert!(!authorised(Some("s3cret"), Some("Bearer s3cre")));
        assert!(!authorised(Some("s3cret"), Some("s3cret")));
        assert!(!authorised(Some("s3cret"), None));
        assert!(!authorised(None, Some("Bearer ")));
        assert!(!authorised(Some(""), Some("Bearer ")));
    }

    #[test]
    fn an_unknown_method_is_one_label() {
        http_request("unit_probe", "BREW", 200, Duration::from_millis(3));
        let text = TextEncoder::new()
            .encode_to_string(&SERIES.registry.gather())
            .expect("encodes");
        assert!(
            text.contains(
                r#"yanxiu_http_requests_total{method="other",operation="unit_probe",status="200"} 1"#
            ),
            "{text}"
        );
    }
}
