//! Where the application is put together: the registries the lower layers run (job handlers, file-read
//! policies) are filled here with what each domain contributes, and the background loops are started here. Only
//! the entry points (the state builder, `serve`, tests) use this module, so the platform and file store never
//! import a domain.
use tokio::task::JoinHandle;

use crate::{
    AppState,
    access::files::FilePolicies,
    competency::evidence::EvidenceFiles,
    exports::ExportJobs,
    lessons::{LessonFiles, rounds::ReminderJobs},
    platform::{
        jobs::{JobRegistry, RetryPolicy},
        mail::Mailer,
    },
    training::coursework::CourseworkFiles,
};

/// Every purpose whose files are read through records of their owner.
pub fn file_policies() -> FilePolicies {
    FilePolicies::new()
        .register(CourseworkFiles)
        .register(EvidenceFiles)
        .register(LessonFiles)
        .register(crate::announcements::AnnouncementFiles)
}

/// The handler of every job kind a domain enqueues.
pub fn job_registry(state: &AppState, mailer: Mailer) -> JobRegistry {
    JobRegistry::new()
        .register(mailer)
        .register(ReminderJobs)
        .register(ExportJobs {
            state: state.clone(),
        })
}

/// Starts the loops that belong to every instance (the audit sealer), and with `worker` set, those of a worker
/// instance (jobs, attempt closer, upload expirer, audit archiver, report scheduler and export sweeper). All of them end when `state.shutdown` fires;
/// the handles let the caller wait for that.
pub fn spawn_background(
    state: &AppState,
    worker: Option<(Mailer, String, RetryPolicy)>,
) -> Vec<JoinHandle<()>> {
    let stop = state.shutdown.clone();
    // Sealing is cheap and every instance may do it (they take turns on the seal row), so it runs even on an
    // instance without the worker: the chain should never wait long for its newest entries.
    let mut loops = vec![tokio::spawn(crate::audit::seal::run_sealer(
        state.db.clone(),
        state.audit_key.clone(),
        stop.clone(),
    ))];
    if let Some((mailer, name, policy)) = worker {
        loops.push(tokio::spawn(crate::assessment::attempts::run_closer(
            state.db.clone(),
            stop.clone(),
        )));
        loops.push(tokio::spawn(crate::files::uploads::run_expirer(
            state.clone(),
            stop.clone(),
        )));
        loops.push(tokio::spawn(crate::audit::archive::run_archiver(
            state.db.clone(),
            state.storage.clone(),
            state.audit_key.clone(),
            state.config.audit_retention_days,
            stop.clone(),
        )));
        loops.push(tokio::spawn(crate::exports::run_scheduler(
            state.clone(),
            stop.clone(),
        )));
        loops.push(tokio::spawn(crate::platform::jobs::run_worker_with(
            state.db.clone(),
            job_registry(state, mailer),
            name,
            policy,
            stop,
        )));
    }
    loops
}
