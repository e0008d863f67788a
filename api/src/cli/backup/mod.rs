//! `yanxiu backup DIR` and `yanxiu restore DIR`: the database, every stored object and a manifest with their
//! checksums, taken while the server runs, and put back — verified first — into an empty installation, which is
//! then migrated to this version.
//!
//! A backup folder holds `yanxiu.sqlite3` (SQLite, by `VACUUM INTO`) or `yanxiu.pgdump` (PostgreSQL, by
//! `pg_dump -Fc`), `files/<key>` for every object, and `manifest.json`, written last: a folder without it is not a
//! finished backup. Every file is written under a temporary name and renamed when complete. The keys are not in
//! it (see [`keys`]); nor are the `.eml` files of the mail folder, which are copies of mail already sent.
use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use futures_util::StreamExt;

use crate::platform::{config::Config, db, storage::Storage};

mod database;
mod keys;
mod manifest;
mod objects;
pub mod restore;

pub use restore::restore;

use manifest::{Engine, Entry, Manifest};

/// The folder inside a backup where pieces are written before they are renamed into place.
const PARTIAL: &str = ".partial";

/// Backs the configured installation up into `dir` (created when missing; refused when not empty).
pub async fn backup(config: &Config, dir: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let url = config.database_url();
    let (engine, _) = database::engine_of(&url)?;
    prepare_empty_dir(dir)?;
    let dir = dir.canonicalize()?;
    let partial = dir.join(PARTIAL);
    std::fs::create_dir(&partial)?;

    let conn = db::connect(&url, 2, config.database_pooler).await?;
    let last_migration = database::last_migration(&conn).await?;
    println!(
        "backup of the {} database (migration {last_migration}) into {}",
        engine.name(),
        dir.display()
    );
    let (database, pg_dump_version) = copy_database(engine, &conn, &url, &dir).await?;
    conn.close().await?;
    println!(
        "  database: {} ({})",
        database.path,
        human_bytes(database.size)
    );

    let storage = Storage::from_config(config)?;
    let objects = copy_objects(&storage, &dir, &partial).await?;
    std::fs::remove_dir(&partial)?;

    let manifest = Manifest {
        format: manifest::FORMAT,
        yanxiu_version: env!("CARGO_PKG_VERSION").to_string(),
        engine,
        last_migration,
        created_at: chrono::Utc::now(),
        store: store_kind(config).to_string(),
        pg_dump_version,
        keys: keys::configured(config)?,
        database,
        objects,
    };
    manifest.write(&dir).await?;
    println!(
        "backup complete: database {}, {} objects, {} in {:.1} s",
        human_bytes(manifest.database.size),
        manifest.objects.len(),
        human_bytes(manifest.object_bytes()),
        started.elapsed().as_secs_f64()
    );
    println!("{KEYS_NOT_IN_BACKUP}");
    Ok(())
}

pub const KEYS_NOT_IN_BACKUP: &str = "The keys are not in the backup: keep the secret key (YANXIU_SECRET_KEY, \
     YANXIU_PREVIOUS_SECRET_KEYS, or secret.key in the data dir) and the audit key (YANXIU_AUDIT_KEY, or \
     audit.key) apart from it. Without the same secret key a restored installation cannot read sealed personal \
     data; without the same audit key it cannot verify its audit log.";

/// `dir` must be new or empty: a backup is never mixed with files already there.
fn prepare_empty_dir(dir: &Path) -> anyhow::Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => anyhow::ensure!(
            entries.next().is_none(),
            "{} is not empty: a backup goes into a new or empty folder",
            dir.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir)?,
        Err(e) => return Err(anyhow::anyhow!("{}: {e}", dir.display())),
    }
    Ok(())
}

/// The database copy in `dir` (written under a temporary name, then renamed) and, for PostgreSQL, the version
/// of the pg_dump that wrote it.
async fn copy_database(
    engine: Engine,
    conn: &sea_orm::DatabaseConnection,
    url: &str,
    dir: &Path,
) -> anyhow::Result<(Entry, Option<String>)> {
    let name = engine.file_name();
    let partial = dir.join(PARTIAL).join(name);
    let pg_dump_version = match engine {
        Engine::Sqlite => {
            database::sqlite_copy(conn, &partial).await?;
            None
        }
        Engine::Postgres => Some(database::PgTools::new(url).dump(conn, &partial).await?),
    };
    manifest::sync_file(&partial).await?;
    let (size, sha256) = manifest::hash_file(&partial).await?;
    tokio::fs::rename(&partial, dir.join(name)).await?;
    Ok((
        Entry {
            path: name.to_string(),
            size,
            sha256,
        },
        pg_dump_version,
    ))
}

/// Every object of the store into `dir/files/…`, one at a time, with progress lines.
async fn copy_objects(storage: &Storage, dir: &Path, partial: &Path) -> anyhow::Result<Vec<Entry>> {
    let mut listing = storage.list();
    let mut entries = Vec::new();
    let mut progress = Progress::new("objects copied");
    let scratch = partial.join("object");
    while let Some(listed) = listing.next().await {
        let (key, _) = listed.map_err(|e| e.context("list the object store"))?;
        match objects::save(storage, &key, dir, &scratch).await? {
            Some(entry) => {
                progress.add(entry.size);
                entries.push(entry);
            }
            None => println!("  {key}: deleted while the backup ran, left out"),
        }
    }
    progress.done();
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

fn store_kind(config: &Config) -> &'static str {
    if config.s3_bucket.is_some() {
        "s3"
    } else {
        "local"
    }
}

/// Counts objects and bytes and prints a line every few seconds, and the totals at the end.
struct Progress {
    what: &'static str,
    started: Instant,
    last: Instant,
    count: u64,
    bytes: u64,
}

impl Progress {
    const EVERY: Duration = Duration::from_secs(5);

    fn new(what: &'static str) -> Self {
        let now = Instant::now();
        Self {
            what,
            started: now,
            last: now,
            count: 0,
            bytes: 0,
        }
    }

    fn add(&mut self, bytes: u64) {
        self.count += 1;
        self.bytes += bytes;
        if self.last.elapsed() >= Self::EVERY {
            self.last = Instant::now();
            self.print();
        }
    }

    fn print(&self) {
        println!(
            "  {} {}, {} ({:.1} s)",
            self.count,
            self.what,
            human_bytes(self.bytes),
            self.started.elapsed().as_secs_f64()
        );
    }

    fn done(&self) {
        self.print();
    }
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1024.0 {
            break;
        }
        value /= 1024.0;
        unit = u;
    }
    format!("{value:.1} {unit}")
}

/// The folder a relative path in the configuration means, for messages.
fn shown(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}
