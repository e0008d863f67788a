//! Subcommands of the `yanxiu` binary.
use clap::{Parser, Subcommand};
use poem::{Server, listener::TcpListener};
use sea_orm::ActiveEnum as _;

use crate::{AppState, access::Role, platform::config::Config};

pub mod backup;
pub mod bootstrap;
pub mod demo;

#[derive(Parser)]
#[command(
    name = "yanxiu",
    version,
    about = "Yanxiu 研修 — teacher ICT-competence training management"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Migrate, make sure the first province admin and security admin exist, and serve the API and the SPA.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts from the command line.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Print the OpenAPI spec (JSON) without starting a server.
    Openapi,
    /// Fill two cities (成都市, 绵阳市) with schools, teachers, an account per role and a year of training,
    /// assessment and 一师一优课 work to try the UI with. Idempotent; refuses a database with real data.
    DemoData {
        /// Only the directory (schools, teachers) and the demo accounts, no training year.
        #[arg(long)]
        directory_only: bool,
        /// Run even though the database holds data demo-data did not make.
        #[arg(long)]
        force: bool,
    },
    /// Import schools or teachers from a CSV or XLSX file as an account (exit code 1 when the file has errors).
    Import {
        /// schools or teachers
        kind: String,
        file: std::path::PathBuf,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The account whose rights the import runs with (default `admin`).
        #[arg(long)]
        as_user: Option<String>,
    },
    /// Recompute every maintained report number (enrolment progress, program and node counters, 5-year cycle
    /// totals) from the hours ledger, enrolments and teachers; prints how many rows disagreed.
    RebuildStats,
    /// Re-encrypt every sealed personal field and recompute its lookup hash under the current suite
    /// (`YANXIU_CRYPTO`) and key version (`YANXIU_SECRET_KEY_VERSION`), in batches, while the server keeps running.
    /// Safe to interrupt and run again: it picks up only rows not yet under the current key.
    Rekey {
        /// Rows per batch (one short write transaction each).
        #[arg(long, default_value_t = crate::platform::rekey::DEFAULT_BATCH)]
        batch: usize,
    },
    /// The tamper-evident audit log: verify its chain, or archive entries past the retention period.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Back up the database and every stored file into DIR (new or empty) with a manifest of their checksums,
    /// while the server keeps running. SQLite is copied with VACUUM INTO, PostgreSQL dumped with pg_dump -Fc.
    /// The secret and audit keys are not in the backup: keep them apart.
    Backup { dir: std::path::PathBuf },
    /// Restore a backup made by `yanxiu backup` into the configured database and object store, after checking
    /// every checksum and the keys, then apply migrations. SQLite: no server may run on the database meanwhile.
    Restore {
        dir: std::path::PathBuf,
        /// Replace a database (and store) that already holds data.
        #[arg(long)]
        force: bool,
        /// Restore although the configured keys are not the backup's (sealed personal data stays unreadable).
        #[arg(long)]
        other_keys: bool,
    },
}

#[derive(Subcommand)]
pub enum AuditAction {
    /// Seal pending entries, then check archives, entries and checkpoints; exit code 1 when not intact.
    Verify,
    /// Move entries older than `YANXIU_AUDIT_RETENTION_DAYS` to the object store, then delete them.
    Archive,
}

#[derive(Subcommand)]
pub enum AdminAction {
    /// Create an account bound to a region code or a school code.
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        password: String,
        /// province_admin, city_admin, county_admin, school_admin, teacher, reviewer, tutor, institution_admin,
        /// or one of the three province system administrators: system_admin, security_admin, audit_admin (bound to
        /// the province; a new account holds exactly one role, so a system administrator's role is held alone).
        #[arg(long)]
        role: String,
        /// Region code (6 digits) or school code (10 digits).
        #[arg(long)]
        scope: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
}

pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("YANXIU_LOG")
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if std::env::var("YANXIU_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Openapi => {
            println!("{}", crate::api_service().spec());
            Ok(())
        }
        Command::Migrate => {
            let state = AppState::build(Config::load()?).await?;
            bootstrap::ensure_first_admin(&state).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Serve => serve().await,
        Command::Admin {
            action:
                AdminAction::Create {
                    username,
                    password,
                    role,
                    scope,
                    display_name,
                    email,
                },
        } => {
            let state = AppState::build(Config::load()?).await?;
            let role =
                Role::try_from_value(&role).map_err(|_| anyhow::anyhow!("unknown role {role}"))?;
            let id = bootstrap::create_account(
                &state,
                &username,
                &password,
                role,
                &scope,
                display_name,
                email,
                None,
            )
            .await?;
            println!(
                "created account {username} (id {id}) as {} on {scope}",
                role.to_value()
            );
            Ok(())
        }
        Command::DemoData {
            directory_only,
            force,
        } => {
            let state = AppState::build(Config::load()?).await?;
            bootstrap::ensure_first_admin(&state).await?;
            // Boxed: the demo year's future is deep enough to overflow the layout query of `main`'s future.
            Box::pin(demo::fill(
                &state,
                demo::Options {
                    directory_only,
                    force,
                },
            ))
            .await
        }
        Command::Import {
            kind,
            file,
            dry_run,
            as_user,
        } => {
            let state = AppState::build(Config::load()?).await?;
            let user = as_user.unwrap_or_else(|| "admin".into());
            let clean =
                crate::directory::import::import_file_command(&state, &kind, &file, dry_run, &user)
                    .await?;
            if !clean {
                std::process::exit(1);
            }
            Ok(())
        }
        Command::RebuildStats => {
            let state = AppState::build(Config::load()?).await?;
            let started = std::time::Instant::now();
            let txn = crate::platform::db::begin_write(&state.db).await?;
            let summary =
                crate::training::stats::rebuild(&txn, state.config.cycle_anchor_year).await?;
            let competency = crate::competency::stats::rebuild(&txn).await?;
            txn.commit().await?;
            println!(
                "rebuilt in {:.1} s: {} program rows, {} node rows, {} cycle rows, {} annual rows; \
                 {} maintained rows differed; \
                 能力点 counters: {} rows differed",
                started.elapsed().as_secs_f64(),
                summary.program_rows,
                summary.node_rows,
                summary.cycle_rows,
                summary.year_rows,
                summary.differing_rows,
                competency
            );
            Ok(())
        }
        Command::Rekey { batch } => {
            let state = AppState::build(Config::load()?).await?;
            rekey_printing(&state, batch).await?;
            Ok(())
        }
        Command::Audit { action } => audit_command(action).await,
        Command::Backup { dir } => backup::backup(&Config::load()?, &dir).await,
        Command::Restore {
            dir,
            force,
            other_keys,
        } => {
            let overrides = backup::restore::Overrides { force, other_keys };
            backup::restore(&Config::load()?, &dir, overrides).await
        }
    }
}

/// Runs the rekey, printing progress every 20 batches and a summary.
pub async fn rekey_printing(
    state: &AppState,
    batch: usize,
) -> anyhow::Result<crate::platform::rekey::RekeySummary> {
    let keys = &state.keys;
    println!(
        "rekey to suite {} key version {} ({} rows per batch)",
        keys.suite().tag(),
        keys.key_version(),
        batch
    );
    let summary = crate::platform::rekey::rekey(&state.db, keys, batch, |p| {
        if p.summary.batches % 20 == 1 {
            println!(
                "  {}: up to id {}, {} rows so far ({:.0} rows/s)",
                p.table,
                p.last_id,
                p.summary.rows,
                p.summary.rows_per_second()
            );
        }
    })
    .await?;
    println!(
        "rekeyed {} rows in {} batches in {:.1} s = {:.0} rows/s; {} rows changed meanwhile by the application \
         (already under the current key, or picked up by the next run)",
        summary.rows,
        summary.batches,
        summary.seconds,
        summary.rows_per_second(),
        summary.changed_meanwhile
    );
    Ok(summary)
}

async fn audit_command(action: AuditAction) -> anyhow::Result<()> {
    let state = AppState::build(Config::load()?).await?;
    match action {
        AuditAction::Verify => {
            let report =
                crate::audit::verify::verify(&state.db, &state.storage, &state.audit_key).await?;
            println!("{}", report.summary());
            if !report.intact {
                std::process::exit(1);
            }
        }
        AuditAction::Archive => {
            let cutoff =
                chrono::Utc::now() - chrono::TimeDelta::days(state.config.audit_retention_days);
            let summary = crate::audit::archive::archive_before(
                &state.db,
                &state.storage,
                &state.audit_key,
                cutoff,
            )
            .await?;
            println!(
                "archived {} entries older than {} into {} files",
                summary.entries,
                cutoff.to_rfc3339(),
                summary.files
            );
        }
    }
    Ok(())
}

async fn serve() -> anyhow::Result<()> {
    let config = Config::load()?;
    let state = AppState::build(config.clone()).await?;
    bootstrap::ensure_first_admin(&state).await?;
    let worker = if config.run_worker {
        let mailer = crate::platform::mail::Mailer::from_config(
            config.smtp_url.as_deref(),
            &config.mail_from,
            &config.data_dir,
        )?;
        let name = format!("{}-{}", hostname(), std::process::id());
        Some((
            mailer,
            name,
            crate::platform::jobs::RetryPolicy::from_config(&config),
        ))
    } else {
        None
    };
    tracing::info!("{}", state.pdf_fonts.describe());
    let mut loops = crate::assemble::spawn_background(&state, worker);
    if let Some(bind) = config.metrics_bind.as_deref() {
        loops.push(serve_metrics(&state, bind).await?);
    }
    let stop = state.shutdown.clone();
    let drain = stop.drain();
    let spa = crate::spa::SpaSource::choose(config.static_dir.clone());
    tracing::info!(
        bind = %config.bind,
        "Yanxiu serving {}; API docs at /api/docs",
        crate::spa::SpaSource::describe(spa.as_ref())
    );
    // The signal closes the listener (new connections are refused), gives requests in flight the drain bound,
    // and stops the background loops at the same moment: a job under way gets the same bound, then goes back
    // to the queue. So the whole stop takes about the bound, not twice it.
    let signal = {
        let stop = stop.clone();
        async move {
            shutdown_signal().await;
            tracing::info!(
                drain_seconds = drain.as_secs(),
                "shutdown: signal received; refusing new connections, draining requests, stopping background work"
            );
            stop.cancel();
        }
    };
    let served = Server::new(TcpListener::bind(config.bind.clone()))
        .run_with_graceful_shutdown(crate::app(state), signal, Some(drain))
        .await;
    tracing::info!("shutdown: HTTP server stopped");
    // The loops' own bound runs from the signal; a little more for a handed-back job's last write.
    let waited = tokio::time::timeout(
        drain + std::time::Duration::from_secs(2),
        futures_util::future::join_all(loops),
    )
    .await;
    match waited {
        Ok(_) => tracing::info!("shutdown: background work stopped; exiting"),
        Err(_) => tracing::warn!(
            "shutdown: background work did not stop within {} s; exiting anyway",
            drain.as_secs() + 2
        ),
    }
    served?;
    Ok(())
}

/// `/metrics` on an address of its own (`YANXIU_METRICS_BIND`). Bound before `serve` answers anything, so a
/// taken address stops the start; it stops with the background loops.
async fn serve_metrics(
    state: &AppState,
    bind: &str,
) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    use poem::listener::Listener as _;
    let acceptor = TcpListener::bind(bind.to_string())
        .into_acceptor()
        .await
        .map_err(|e| anyhow::anyhow!("YANXIU_METRICS_BIND {bind}: {e}"))?;
    tracing::info!(bind, "metrics served at /metrics");
    let app = crate::api::metrics_app(state.clone());
    let stop = state.shutdown.clone();
    Ok(tokio::spawn(async move {
        let stopped = async move { stop.cancelled().await };
        let served = Server::new_with_acceptor(acceptor)
            .run_with_graceful_shutdown(app, stopped, Some(std::time::Duration::from_secs(1)))
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "metrics server failed");
        }
    }))
}

fn hostname() -> String {
    std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "yanxiu".into())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
