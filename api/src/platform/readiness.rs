//! Whether this instance can serve traffic, for a load balancer or an orchestrator: the database answers, every
//! migration this version knows is applied, the object store takes a write, and the video tool can be started.
//! Each check says what failed; the reasons are for operators (driver and tool messages as they come).
//!
//! The endpoint is public and a check writes an object and starts a process, so its outcome is kept for a few
//! seconds ([`ReadinessCache`]): a flood of probes costs one check per period.
use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use bytes::Bytes;
use migration::{Migrator, MigratorTrait};
use poem_openapi::{Enum, Object};

use crate::AppState;

/// What one check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ReadinessItem {
    Database,
    Migrations,
    ObjectStore,
    Ffprobe,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ReadinessCheck {
    pub item: ReadinessItem,
    pub ok: bool,
    /// Why it failed, as the database, the store or the tool said it.
    pub reason: Option<String>,
}

/// A check that could not finish in this long counts as failed: a hung dependency must not hang the probe.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// The outcome of one round of checks and when it ran.
#[derive(Debug, Clone)]
pub struct Checked {
    pub at: chrono::DateTime<chrono::Utc>,
    pub checks: Vec<ReadinessCheck>,
}

/// The last round of checks, answered again while younger than `ttl`. Callers that arrive while a round runs
/// wait for it instead of starting their own.
pub struct ReadinessCache {
    ttl: Duration,
    last: tokio::sync::Mutex<Option<(Instant, Arc<Checked>)>>,
}

impl ReadinessCache {
    /// `ttl` zero checks on every call.
    pub fn new(ttl: Duration) -> Self {
        Self {
            ttl,
            last: tokio::sync::Mutex::new(None),
        }
    }

    /// The last round when still fresh, otherwise a new one.
    pub async fn get(&self, state: &AppState) -> Arc<Checked> {
        let mut last = self.last.lock().await;
        if let Some((when, checked)) = last.as_ref()
            && when.elapsed() < self.ttl
        {
            return checked.clone();
        }
        let checked = Arc::new(Checked {
            at: chrono::Utc::now(),
            checks: check(state).await,
        });
        *last = Some((Instant::now(), checked.clone()));
        checked
    }
}

/// Every check, in a fixed order.
pub async fn check(state: &AppState) -> Vec<ReadinessCheck> {
    vec![
        outcome(ReadinessItem::Database, database(state).await),
        outcome(ReadinessItem::Migrations, migrations(state).await),
        outcome(ReadinessItem::ObjectStore, object_store(state).await),
        outcome(ReadinessItem::Ffprobe, ffprobe(state).await),
    ]
}

fn outcome(item: ReadinessItem, result: Result<(), String>) -> ReadinessCheck {
    ReadinessCheck {
        item,
        ok: result.is_ok(),
        reason: result.err(),
    }
}

async fn within<T>(work: impl Future<Output = Result<T, String>>) -> Result<T, String> {
    tokio::time::timeout(CHECK_TIMEOUT, work)
        .await
        .unwrap_or_else(|_| Err(format!("no answer within {} s", CHECK_TIMEOUT.as_secs())))
}

async fn database(state: &AppState) -> Result<(), String> {
    within(async { state.db.ping().await.map_err(|e| e.to_string()) }).await
}

async fn migrations(state: &AppState) -> Result<(), String> {
    let pending = within(async {
        Migrator::get_pending_migrations_read_only(&state.db)
            .await
            .map_err(|e| e.to_string())
    })
    .await?;
    if pending.is_empty() {
        Ok(())
    } else {
        let names: Vec<&str> = pending.iter().map(|m| m.name()).collect();
        Err(format!("not applied: {}", names.join(", ")))
    }
}

/// Writes and removes a small object under a key of its own, so probes of several instances never meet.
async fn object_store(state: &AppState) -> Result<(), String> {
    let key = format!("readiness/{}", uuid::Uuid::new_v4());
    within(async {
        state
            .storage
            .put(&key, Bytes::from_static(b"ready"))
            .await
            .map_err(|e| format!("write: {e:#}"))?;
        state
            .storage
            .delete(&key)
            .await
            .map_err(|e| format!("delete: {e:#}"))
    })
    .await
}

async fn ffprobe(state: &AppState) -> Result<(), String> {
    let tool = state.config.ffprobe_path.clone();
    within(async {
        let output = tokio::process::Command::new(&tool)
            .arg("-version")
            .kill_on_drop(true)
            .output()
            .await
            .map_err(|e| format!("{tool}: {e}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!("{tool} -version exited with {}", output.status))
        }
    })
    .await
}
