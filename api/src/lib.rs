//! Yanxiu (研修): the training-management server for teachers' ICT-competence upgrading.
// The demo year sends its lesson videos through the whole HTTP app in process (the resumable-upload endpoints);
// that future's layout nests deeper than the compiler's default limit, and boxing the demo's own steps does not
// reach it.
#![recursion_limit = "256"]
pub mod access;
pub mod announcements;
pub mod api;
pub mod assemble;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod competency;
pub mod directory;
pub mod exports;
pub mod files;
pub mod inbox;
pub mod lessons;
pub mod operations;
pub mod platform;
pub mod reports;
pub mod spa;
pub mod tags;
pub mod training;
pub mod workbench;

use std::sync::Arc;

pub use api::{api_service, app};
use sea_orm::DatabaseConnection;

use crate::{
    auth::passwords::PasswordHasher,
    directory::regions::RegionIndex,
    platform::{config::Config, crypto::Keys, rate_limit::RateLimiter},
};

/// Everything a request handler needs. Cheap to clone; nothing here is state another instance would need.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub keys: Arc<Keys>,
    pub hasher: PasswordHasher,
    pub login_limiter: Arc<RateLimiter>,
    /// The region tree is reference data that never changes while serving.
    pub regions: Arc<RegionIndex>,
    /// Uploaded bytes: a local folder or an S3-compatible bucket shared by every instance.
    pub storage: platform::storage::Storage,
    /// Signs the audit log (entry MACs, chain, checkpoints, archive manifests); not derived from `keys`.
    pub audit_key: Arc<audit::key::AuditKey>,
    /// Who may read a file beyond its uploader and the administrators over it, by purpose.
    pub file_policies: Arc<access::files::FilePolicies>,
    /// The CJK font generated PDFs embed (read on first use).
    pub pdf_fonts: Arc<platform::pdf_font::PdfFonts>,
    /// Stops every background loop of this process (fired by `serve` after the HTTP server has drained).
    pub shutdown: platform::shutdown::Shutdown,
    /// A PostgreSQL streaming replica for reads that tolerate staleness (`YANXIU_DATABASE_REPLICA_URL`); see
    /// [`AppState::reads`].
    pub replica: Option<Arc<platform::replica::ReadReplica>>,
    /// The last readiness check, answered again for `readiness_cache_seconds`.
    pub readiness: Arc<platform::readiness::ReadinessCache>,
}

impl AppState {
    /// Connects, migrates and loads keys and reference data.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        let db = platform::db::connect(
            &config.database_url(),
            config.db_max_connections,
            config.database_pooler,
        )
        .await?;
        platform::db::migrate(&db).await?;
        Self::with_db(config, db).await
    }

    pub async fn with_db(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        config.validate()?;
        let keys = Keys::load(&config)?;
        let audit_key = Arc::new(audit::key::AuditKey::load_or_create(
            config.audit_key.as_deref(),
            &config.data_dir,
            config.crypto,
        )?);
        audit::key::install_process_key(audit_key.clone());
        let hasher = PasswordHasher::new(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.hash_concurrency,
        )?;
        let limiter = RateLimiter::new(
            config.login_rate_per_minute,
            std::time::Duration::from_secs(60),
        );
        let regions = RegionIndex::load(&db).await?;
        let storage = platform::storage::Storage::from_config(&config)?;
        let seconds = std::time::Duration::from_secs;
        let shutdown =
            platform::shutdown::Shutdown::with_drain(seconds(config.shutdown_drain_seconds));
        let readiness = Arc::new(platform::readiness::ReadinessCache::new(seconds(
            config.readiness_cache_seconds,
        )));
        let replica = match config
            .database_replica_url
            .as_deref()
            .filter(|u| !u.is_empty())
        {
            Some(url) => Some(
                platform::replica::ReadReplica::start(
                    url,
                    seconds(config.replica_max_lag_seconds),
                    config.db_max_connections,
                    db.clone(),
                    shutdown.clone(),
                )
                .await?,
            ),
            None => None,
        };
        let config_pdf_font = config.pdf_font.clone();
        Ok(Self {
            db,
            config: Arc::new(config),
            keys: Arc::new(keys),
            hasher,
            login_limiter: Arc::new(limiter),
            regions: Arc::new(regions),
            storage,
            audit_key,
            file_policies: Arc::new(assemble::file_policies()),
            pdf_fonts: Arc::new(platform::pdf_font::PdfFonts::new(config_pdf_font)),
            shutdown,
            replica,
            readiness,
        })
    }

    /// The connection for reads that may be a few seconds old — reports and exports, never a read that must see
    /// the request's own or the previous request's writes: the replica while it keeps within
    /// `YANXIU_REPLICA_MAX_LAG_SECONDS`, else the database. Writes always use [`AppState::db`].
    pub fn reads(&self) -> &DatabaseConnection {
        self.replica
            .as_deref()
            .and_then(|r| r.serving())
            .unwrap_or(&self.db)
    }
}

/// Installs the one rustls crypto provider the binary uses (several crates could bring their own).
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
