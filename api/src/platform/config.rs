//! Layered configuration: defaults < optional TOML file (`YANXIU_CONFIG`, default `yanxiu.toml`) < `YANXIU_*` env.
use std::path::PathBuf;

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Folder for the SQLite database, generated keys, outgoing mail files and uploads.
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; `DATABASE_URL` also works. Default: SQLite file in the data dir.
    pub database_url: Option<String>,
    pub db_max_connections: u32,
    /// A connection pooler between the instances and PostgreSQL (`YANXIU_DATABASE_POOLER`): `none`, or
    /// `session` for PgBouncer in session mode. `transaction` is refused (see [`DatabasePooler`]).
    pub database_pooler: DatabasePooler,
    pub bind: String,
    /// Password of the first province admin `admin`; generated and printed once when unset.
    pub admin_password: Option<String>,
    /// Password of the first security administrator `security` (`YANXIU_SECURITY_ADMIN_PASSWORD`); generated and
    /// printed once when unset.
    pub security_admin_password: Option<String>,
    /// 64 hex characters; signing and encryption keys are derived from it. Generated into the data dir when unset.
    pub secret_key: Option<String>,
    /// The key version of `secret_key` (`YANXIU_SECRET_KEY_VERSION`): sealed personal data names it, so a rotated
    /// key gets the next number.
    pub secret_key_version: u32,
    /// Older secret keys still needed to read data sealed under them until `yanxiu rekey` has run:
    /// `version:hex` entries, comma-separated (`YANXIU_PREVIOUS_SECRET_KEYS=1:ab12…`).
    pub previous_secret_keys: Option<String>,
    /// Built SPA to serve at `/` (default: `frontend/dist` when it exists).
    pub static_dir: Option<PathBuf>,
    /// `smtp://user:pass@host:port`, `smtps://…` or `smtp+starttls://…`. Unset: mail is written as `.eml` files.
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// Base URL used in links inside e-mails.
    pub public_url: String,
    pub jwt_issuer: String,
    pub jwt_audience: String,
    pub access_token_minutes: i64,
    pub refresh_token_days: i64,
    pub reset_token_minutes: i64,
    /// Failed sign-ins for one username from one client address before that pair is locked.
    pub lockout_threshold: i32,
    /// The first lock of a (username, address) pair; each further lock without a success in between doubles it.
    pub lockout_minutes: i64,
    /// The longest a (username, address) pair stays locked.
    pub lockout_max_minutes: i64,
    /// Failed sign-ins for one username from all addresses together (a sustained attack) before the account is
    /// locked for every address except those it has signed in from before.
    pub lockout_account_threshold: i32,
    pub lockout_account_minutes: i64,
    /// How many recent sign-in addresses are remembered (as keyed hashes) per account.
    pub known_addresses_per_account: usize,
    /// A refresh token already rotated still yields a fresh pair this many seconds afterwards (two tabs refreshing
    /// at once); later reuse revokes the whole chain.
    pub refresh_grace_seconds: i64,
    /// Login attempts allowed per client IP per minute.
    pub login_rate_per_minute: u32,
    pub password_min_length: usize,
    /// How many of the four character classes (lower, upper, digit, symbol) a password needs.
    pub password_min_classes: usize,
    /// A new password may not be any of the account's last this many (`YANXIU_PASSWORD_HISTORY`; 0 turns the
    /// rule off; at most 24 are kept).
    pub password_history: usize,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    /// How many password hashes may run at once, so a login burst cannot starve the server.
    pub hash_concurrency: usize,
    /// Trust `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// With `trust_proxy`: how many proxies in front of the server append to `X-Forwarded-For`; the client is the
    /// address that many entries from the right. Default 1.
    pub trusted_proxy_hops: usize,
    /// With `trust_proxy`: the proxies' own addresses, comma-separated. When set, the client is the right-most
    /// address (counting the peer) that is not one of them, and `trusted_proxy_hops` is not used.
    pub trusted_proxies: Option<String>,
    pub import_max_bytes: usize,
    /// Largest request body of every route that is not an upload or an import (JSON), in bytes.
    pub json_body_max_bytes: usize,
    /// Run the job worker (mail) inside `serve`.
    pub run_worker: bool,
    /// A failing job (a mail during an SMTP outage) is retried for this many hours from its first failure before
    /// it is marked failed for an administrator to retry.
    pub job_retry_hours: i64,
    /// The same period in seconds, taking precedence when set (short periods for tests and trials).
    pub job_retry_seconds: Option<i64>,
    /// The wait after a job's first failure; it doubles after each further failure …
    pub job_backoff_first_seconds: i64,
    /// … up to this.
    pub job_backoff_max_seconds: i64,
    /// Largest evidence or coursework file accepted, in bytes.
    pub upload_max_bytes: usize,
    /// Largest 一师一优课 file (a lesson video) accepted through the resumable `/api/uploads`, in bytes.
    pub lesson_upload_max_bytes: u64,
    /// Lesson files one teacher may hold: completed lesson files plus the announced lengths of unfinished uploads.
    pub teacher_upload_quota_bytes: u64,
    /// The `ffprobe` binary that describes lesson videos (codecs, size, duration, bit rate).
    pub ffprobe_path: String,
    /// The `ffmpeg` binary that takes a lesson video's poster frame.
    pub ffmpeg_path: String,
    /// A CJK font file (OTF, TTF or a collection) whose glyphs certificates embed; unset: Noto CJK or WenQuanYi
    /// where Linux distributions install them.
    pub pdf_font: Option<PathBuf>,
    /// How long a playback link (`createFilePlayToken`) stays valid: a `<video>` keeps asking for ranges with it.
    pub play_token_minutes: i64,
    /// An unfinished resumable upload nobody has continued for this long is abandoned: its bytes and session go.
    pub upload_expiry_hours: i64,
    /// S3-compatible bucket for uploaded files; unset: a local folder `<data_dir>/files`.
    pub s3_bucket: Option<String>,
    /// Endpoint of an S3-compatible store (e.g. `http://minio:9000`); unset: AWS.
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// Allow a plain-HTTP endpoint (a store on a private network).
    pub s3_allow_http: bool,
    /// 5-year hour cycles start in years congruent to this one modulo 5 (360 hours per cycle).
    pub cycle_anchor_year: i32,
    /// The cryptographic suite for data at rest, keyed lookup hashes and the audit chain: `standard`
    /// (AES-256-GCM, HMAC-SHA256) or `sm` (the Chinese national algorithms: SM4-GCM, HMAC-SM3).
    pub crypto: CryptoSuite,
    /// 64 hex characters: the key of the audit log's MACs and hash chain, apart from `secret_key` so that the data
    /// keys cannot rewrite the log. Generated into `<data_dir>/audit.key` (0600) when unset.
    pub audit_key: Option<String>,
    /// Audit entries older than this many days move from the database to the object store (gzip JSON lines
    /// with a signed manifest). At least 180 (six months); a smaller value stops the server at start.
    pub audit_retention_days: i64,
    /// A session with no request for this many minutes ends (activity is recorded at most once a minute).
    pub session_idle_minutes: i64,
    /// A session ends this many hours after its sign-in, however active.
    pub session_max_hours: i64,
    /// Roles whose holders must use a second factor (TOTP), comma-separated; empty: nobody has to. Without one
    /// such an account gets a session that can only enrol it.
    pub mfa_required_roles: String,
    /// Revealing an ID number, changing roles, resetting a second factor and exporting personal data need a
    /// second-factor verification in the session within this many minutes (for accounts that have one).
    pub step_up_minutes: i64,
    /// Accounts created by another account must change their password at their first sign-in.
    pub password_change_at_first_sign_in: bool,
    /// A password older than this many days must be changed at the next sign-in; 0: passwords do not expire.
    pub password_max_age_days: i64,
    /// `postgres://…` of a streaming replica of the database (`YANXIU_DATABASE_REPLICA_URL`): reports and exports
    /// read there while it keeps up. Unset: every read goes to the database. PostgreSQL only.
    pub database_replica_url: Option<String>,
    /// The replica serves reads only while its replay is at most this many seconds behind the database; beyond
    /// it, or unreachable, reads go back to the database.
    pub replica_max_lag_seconds: u64,
    /// After SIGTERM/SIGINT: how long in-flight requests and a running job may take before they are cut off (a
    /// cut-off job is handed back to the queue).
    pub shutdown_drain_seconds: u64,
    /// `/api/ready` answers from its last check for this long, so a flood of probes costs one check per period;
    /// 0 checks on every call.
    pub readiness_cache_seconds: u64,
    /// Days a background export's file stays downloadable from "my exports" before it is removed.
    pub export_retention_days: i64,
    /// An address of its own for `/metrics` (e.g. `127.0.0.1:9100`); unset: none.
    pub metrics_bind: Option<String>,
    /// A bearer token that opens `/metrics` (on the main port, and on `metrics_bind` too when set); unset: the
    /// main port answers 404.
    pub metrics_token: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CryptoSuite {
    #[default]
    Standard,
    Sm,
}

/// What sits between Yanxiu and PostgreSQL. The driver (sqlx) runs every statement with the extended protocol in
/// two round trips — Parse/Describe/Sync, then Bind/Execute/Sync — under a per-connection statement name. A pooler
/// in session mode gives a client one server connection for its whole life, so both are safe. In transaction mode
/// PgBouncer 1.18 hands the server connection back after each Sync outside a transaction: the Bind can reach a
/// server connection that never saw the Parse (or saw another client's statement of the same name), and turning
/// the statement cache off does not help, because the two round trips remain. Hence no `transaction` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatabasePooler {
    #[default]
    None,
    Session,
    /// Named so that the setting is refused with its reason rather than as an unknown word.
    Transaction,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            database_url: None,
            db_max_connections: 10,
            database_pooler: DatabasePooler::None,
            bind: "127.0.0.1:8080".into(),
            admin_password: None,
            security_admin_password: None,
            secret_key: None,
            secret_key_version: 1,
            previous_secret_keys: None,
            static_dir: None,
            smtp_url: None,
            mail_from: "Yanxiu <no-reply@yanxiu.local>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            jwt_issuer: "yanxiu".into(),
            jwt_audience: "yanxiu-api".into(),
            access_token_minutes: 15,
            refresh_token_days: 14,
            reset_token_minutes: 30,
            lockout_threshold: 5,
            lockout_minutes: 15,
            lockout_max_minutes: 24 * 60,
            lockout_account_threshold: 50,
            lockout_account_minutes: 60,
            known_addresses_per_account: 5,
            refresh_grace_seconds: 30,
            login_rate_per_minute: 30,
            password_min_length: 8,
            password_min_classes: 3,
            password_history: 5,
            argon2_memory_kib: 19 * 1024,
            argon2_iterations: 2,
            hash_concurrency: 4,
            trust_proxy: false,
            trusted_proxy_hops: 1,
            trusted_proxies: None,
            import_max_bytes: 64 * 1024 * 1024,
            json_body_max_bytes: 1024 * 1024,
            run_worker: true,
            job_retry_hours: 24,
            job_retry_seconds: None,
            job_backoff_first_seconds: 10,
            job_backoff_max_seconds: 600,
            upload_max_bytes: 20 * 1024 * 1024,
            lesson_upload_max_bytes: 2 * 1024 * 1024 * 1024,
            teacher_upload_quota_bytes: 6 * 1024 * 1024 * 1024,
            ffprobe_path: "ffprobe".into(),
            pdf_font: None,
            ffmpeg_path: "ffmpeg".into(),
            play_token_minutes: 120,
            upload_expiry_hours: 24,
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_allow_http: false,
            cycle_anchor_year: 2021,
            crypto: CryptoSuite::Standard,
            audit_key: None,
            audit_retention_days: 180,
            session_idle_minutes: 30,
            session_max_hours: 12,
            mfa_required_roles:
                "province_admin,city_admin,county_admin,system_admin,security_admin,audit_admin"
                    .into(),
            step_up_minutes: 5,
            password_change_at_first_sign_in: true,
            password_max_age_days: 0,
            database_replica_url: None,
            replica_max_lag_seconds: 5,
            shutdown_drain_seconds: 10,
            readiness_cache_seconds: 5,
            export_retention_days: 7,
            metrics_bind: None,
            metrics_token: None,
        }
    }
}

/// The shortest retention the law allows for a security audit trail (six months). Kept with the setting it bounds,
/// so the configuration does not reach into the audit module.
pub const MIN_RETENTION_DAYS: i64 = 180;

/// Settings taken from the environment exactly as written. The environment provider reads `123456` as a number and
/// `true` as a boolean, so a password or key made only of digits would be refused, and a long one would lose digits.
const VERBATIM_SETTINGS: &[&str] = &[
    "admin_password",
    "security_admin_password",
    "secret_key",
    "previous_secret_keys",
    "audit_key",
    "metrics_token",
    "s3_access_key_id",
    "s3_secret_access_key",
];

impl Config {
    pub fn load() -> anyhow::Result<Self> {
        let file = std::env::var("YANXIU_CONFIG").unwrap_or_else(|_| "yanxiu.toml".into());
        let mut figment = Figment::from(Serialized::defaults(Config::default()))
            .merge(Toml::file(file))
            .merge(Env::prefixed("YANXIU_").ignore(VERBATIM_SETTINGS));
        for key in VERBATIM_SETTINGS {
            if let Ok(value) = std::env::var(format!("YANXIU_{}", key.to_uppercase())) {
                figment = figment.merge(Serialized::default(key, value));
            }
        }
        let mut config: Config = figment.extract()?;
        if config.database_url.is_none() {
            config.database_url = std::env::var("DATABASE_URL").ok().filter(|s| !s.is_empty());
        }
        Ok(config)
    }

    /// Settings that would make the server break the rules it must keep; refused before anything starts.
    pub fn validate(&self) -> anyhow::Result<()> {
        let min = MIN_RETENTION_DAYS;
        anyhow::ensure!(
            self.audit_retention_days >= min,
            "YANXIU_AUDIT_RETENTION_DAYS is {}: audit entries must be kept at least {min} days (six months) / \
             审计日志至少保存 {min} 天",
            self.audit_retention_days
        );
        anyhow::ensure!(
            self.database_pooler != DatabasePooler::Transaction,
            "YANXIU_DATABASE_POOLER=transaction is not supported: the database driver prepares each statement in a \
             round trip before the one that executes it, and a transaction-mode pooler may send the two to \
             different server connections. Run PgBouncer in session mode (YANXIU_DATABASE_POOLER=session) / \
             不支持事务模式连接池：数据库驱动先单独一次往返准备语句再执行，事务模式的连接池可能把两次往返发到不同的服务器连接。\
             请使用会话模式（YANXIU_DATABASE_POOLER=session）"
        );
        self.validate_replica()?;
        Ok(())
    }

    /// A read replica is a PostgreSQL standby of a PostgreSQL database: an embedded SQLite file has none.
    fn validate_replica(&self) -> anyhow::Result<()> {
        let Some(replica) = self
            .database_replica_url
            .as_deref()
            .filter(|u| !u.is_empty())
        else {
            return Ok(());
        };
        let postgres =
            |url: &str| url.starts_with("postgres://") || url.starts_with("postgresql://");
        anyhow::ensure!(
            postgres(&self.database_url()) && postgres(replica),
            "YANXIU_DATABASE_REPLICA_URL is set, but a read replica needs PostgreSQL for both the database and the \
             replica (postgres://…); SQLite has no replicas: unset it or move to PostgreSQL / \
             只读副本仅支持 PostgreSQL（数据库与副本均须为 postgres://…），SQLite 不能使用 YANXIU_DATABASE_REPLICA_URL"
        );
        Ok(())
    }

    /// The roles of [`Config::mfa_required_roles`], trimmed; unknown names are kept (they match nobody).
    pub fn mfa_required_role_names(&self) -> Vec<String> {
        self.mfa_required_roles
            .split(',')
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect()
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("yanxiu.db").display()
            )
        })
    }
}
