//! Reads that tolerate a few seconds of staleness (reports, exports) on a PostgreSQL streaming replica, so the
//! database keeps its capacity for writes and interactive pages.
//!
//! A watcher looks at the pair once a second: the database's current WAL position, then how far the replica has
//! replayed. The replica serves reads while its staleness is within `YANXIU_REPLICA_MAX_LAG_SECONDS`; when it falls
//! further behind, stops answering or is not a standby at all, reads go back to the database until it catches up.
//! Requests only read the watcher's last verdict (an atomic), never measure the lag themselves.
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};

use super::shutdown::Shutdown;

/// How often the watcher looks at the pair: the verdict a request uses is at most this old.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// A look that takes longer than this counts as "unreachable": a hung replica must not keep stale reads on it.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);

/// The replica's connection pool and the watcher's verdict. Cheap to share (held in an `Arc`).
pub struct ReadReplica {
    pool: DatabaseConnection,
    in_use: AtomicBool,
    status: Mutex<ReplicaStatus>,
}

/// The watcher's last verdict, for logs and operators.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplicaStatus {
    /// Not looked at yet: reads stay on the database.
    Unknown,
    /// Serving reads; its replay is this far behind the database (zero when caught up).
    Serving { lag: Duration },
    /// Further behind than the bound, or behind by an unknown amount: reads go to the database.
    Lagging { lag: Option<Duration> },
    /// The replica (or the database, to compare with) did not answer.
    Unreachable { reason: String },
    /// The replica URL names a server that is not replaying anything (not in recovery).
    NotStandby,
}

impl ReplicaStatus {
    pub fn serves_reads(&self) -> bool {
        matches!(self, ReplicaStatus::Serving { .. })
    }
}

/// One look at the pair.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Sample {
    /// The replica is in recovery (a standby).
    standby: bool,
    /// The replica has replayed at least up to the database's WAL position read just before.
    caught_up: bool,
    /// `now() - pg_last_xact_replay_timestamp()` on the replica; None before its first replayed transaction.
    replay_delay: Option<Duration>,
}

/// How stale the replica's data can be. The replay delay alone overstates it when the database has been idle
/// (the last replayed commit is old though nothing is missing) and the time since the replica was last seen caught
/// up misses lag that began before the watcher started; both are upper bounds, so the smaller one is kept.
fn staleness(sample: Sample, since_caught_up: Option<Duration>) -> Option<Duration> {
    if sample.caught_up {
        return Some(Duration::ZERO);
    }
    match (sample.replay_delay, since_caught_up) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn verdict(sample: Sample, since_caught_up: Option<Duration>, max_lag: Duration) -> ReplicaStatus {
    if !sample.standby {
        return ReplicaStatus::NotStandby;
    }
    match staleness(sample, since_caught_up) {
        Some(lag) if lag <= max_lag => ReplicaStatus::Serving { lag },
        lag => ReplicaStatus::Lagging { lag },
    }
}

impl ReadReplica {
    /// Opens the replica's pool (lazily: a replica that is down at start only means reads stay on the database),
    /// takes a first look so the first request already has a verdict, and starts the watcher.
    pub async fn start(
        url: &str,
        max_lag: Duration,
        max_connections: u32,
        primary: DatabaseConnection,
        shutdown: Shutdown,
    ) -> anyhow::Result<Arc<Self>> {
        let mut options = ConnectOptions::new(url.to_string());
        options
            .max_connections(max_connections)
            .connect_timeout(CHECK_TIMEOUT)
            .acquire_timeout(Duration::from_secs(5))
            .connect_lazy(true)
            .sqlx_logging(false);
        let pool = Database::connect(options).await?;
        let replica = Arc::new(Self {
            pool,
            in_use: AtomicBool::new(false),
            status: Mutex::new(ReplicaStatus::Unknown),
        });
        let mut watcher = Watcher {
            replica: replica.clone(),
            primary,
            max_lag,
            last_caught_up: None,
        };
        watcher.look().await;
        tokio::spawn(async move {
            while shutdown.sleep(CHECK_EVERY).await {
                watcher.look().await;
            }
        });
        Ok(replica)
    }

    /// The replica's pool while it serves reads, else None (read from the database).
    pub fn serving(&self) -> Option<&DatabaseConnection> {
        self.in_use.load(Ordering::Acquire).then_some(&self.pool)
    }

    pub fn status(&self) -> ReplicaStatus {
        self.status
            .lock()
            .map(|s| s.clone())
            .unwrap_or(ReplicaStatus::Unknown)
    }

    fn set(&self, next: ReplicaStatus) {
        let serving = next.serves_reads();
        let was = self.in_use.swap(serving, Ordering::AcqRel);
        let Ok(mut status) = self.status.lock() else {
            return;
        };
        // One line per change of where reads go (and per change of the reason they left), not one per look.
        let reason_changed = std::mem::discriminant(&*status) != std::mem::discriminant(&next);
        if serving && !was {
            tracing::info!(status = ?next, "stale-tolerant reads are back on the replica");
        } else if !serving && (was || reason_changed) {
            tracing::warn!(status = ?next, "stale-tolerant reads fall back to the primary database");
        }
        *status = next;
    }
}

struct Watcher {
    replica: Arc<ReadReplica>,
    primary: DatabaseConnection,
    max_lag: Duration,
    /// When the replica was last seen to have replayed everything the database had written.
    last_caught_up: Option<Instant>,
}

impl Watcher {
    async fn look(&mut self) {
        let started = Instant::now();
        let next = match tokio::time::timeout(CHECK_TIMEOUT, self.sample()).await {
            Ok(Ok(sample)) => {
                if sample.caught_up {
                    self.last_caught_up = Some(started);
                }
                let since = self.last_caught_up.map(|t| t.elapsed());
                verdict(sample, since, self.max_lag)
            }
            Ok(Err(e)) => ReplicaStatus::Unreachable {
                reason: e.to_string(),
            },
            Err(_) => ReplicaStatus::Unreachable {
                reason: format!("no answer within {} s", CHECK_TIMEOUT.as_secs()),
            },
        };
        self.replica.set(next);
    }

    /// The database's WAL position first, then the replica's replay against it: "caught up" then means the
    /// replica holds at least everything committed before the look began.
    async fn sample(&self) -> Result<Sample, sea_orm::DbErr> {
        let position = self
            .primary
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT pg_current_wal_lsn()::text AS lsn",
            ))
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotFound("pg_current_wal_lsn".into()))?
            .try_get::<String>("", "lsn")?;
        let row = self
            .replica
            .pool
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_is_in_recovery() AS standby, \
                 coalesce(pg_wal_lsn_diff(pg_last_wal_replay_lsn(), $1::pg_lsn) >= 0, false) AS caught_up, \
                 extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS replay_delay",
                [position.into()],
            ))
            .await?
            .ok_or_else(|| sea_orm::DbErr::RecordNotFound("replica status".into()))?;
        let standby: bool = row.try_get("", "standby")?;
        Ok(Sample {
            standby,
            caught_up: standby && row.try_get::<bool>("", "caught_up")?,
            replay_delay: row
                .try_get::<Option<f64>>("", "replay_delay")?
                .map(|s| Duration::from_secs_f64(s.max(0.0))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUND: Duration = Duration::from_secs(5);

    fn behind(replay_delay: Option<u64>) -> Sample {
        Sample {
            standby: true,
            caught_up: false,
            replay_delay: replay_delay.map(Duration::from_secs),
        }
    }

    #[test]
    fn a_caught_up_standby_serves_whatever_its_last_replayed_commit() {
        let idle = Sample {
            standby: true,
            caught_up: true,
            replay_delay: Some(Duration::from_secs(3600)),
        };
        assert_eq!(
            verdict(idle, None, BOUND),
            ReplicaStatus::Serving {
                lag: Duration::ZERO
            }
        );
    }

    #[test]
    fn lag_is_the_smaller_of_replay_delay_and_time_since_caught_up() {
        // Idle for an hour, then a write the replica has not replayed yet: stale by at most 2 s.
        let s = verdict(behind(Some(3600)), Some(Duration::from_secs(2)), BOUND);
        assert_eq!(
            s,
            ReplicaStatus::Serving {
                lag: Duration::from_secs(2)
            }
        );
        let s = verdict(behind(Some(7)), Some(Duration::from_secs(60)), BOUND);
        assert_eq!(
            s,
            ReplicaStatus::Lagging {
                lag: Some(Duration::from_secs(7))
            }
        );
        assert!(verdict(behind(Some(5)), None, BOUND).serves_reads());
        assert!(!verdict(behind(Some(6)), None, BOUND).serves_reads());
    }

    #[test]
    fn unknown_lag_and_a_server_that_is_no_standby_keep_reads_on_the_primary() {
        assert_eq!(
            verdict(behind(None), None, BOUND),
            ReplicaStatus::Lagging { lag: None }
        );
        let primary = Sample {
            standby: false,
            caught_up: false,
            replay_delay: None,
        };
        assert_eq!(verdict(primary, None, BOUND), ReplicaStatus::NotStandby);
    }
}
