//! `yanxiu restore DIR`: every check first — the manifest and every checksum, the engine, the migration, the
//! keys, an empty database and store — and only then the database and the objects put back and migrations run.
//! A refused restore has changed nothing.
use std::{path::Path, time::Instant};

use migration::{Migrator, MigratorTrait};

use super::{
    Progress, database, human_bytes, keys,
    manifest::{self, Engine, Manifest},
    objects, shown,
};
use crate::platform::{
    config::{Config, DatabasePooler},
    db,
    storage::Storage,
};

/// What may be overridden.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// Replace a database (and store) that already holds data.
    pub force: bool,
    /// Restore although the configured keys are not the ones the backup's data was written under.
    pub other_keys: bool,
}

pub async fn restore(config: &Config, dir: &Path, overrides: Overrides) -> anyhow::Result<()> {
    let started = Instant::now();
    let manifest = Manifest::read(dir).await?;
    println!(
        "restore of a {} backup taken {} by Yanxiu {} (migration {}): database {}, {} objects, {}",
        manifest.engine.name(),
        manifest.created_at.to_rfc3339(),
        manifest.yanxiu_version,
        manifest.last_migration,
        human_bytes(manifest.database.size),
        manifest.objects.len(),
        human_bytes(manifest.object_bytes())
    );
    let url = config.database_url();
    let (engine, sqlite_file) = database::engine_of(&url)?;
    check_compatible(&manifest, engine)?;
    verify(dir, &manifest).await?;
    check_keys(config, &manifest, overrides)?;
    let storage = Storage::from_config(config)?;
    check_empty(&url, sqlite_file.as_deref(), &storage, overrides).await?;

    let copy = dir.join(&manifest.database.path);
    match sqlite_file {
        Some(file) => {
            println!(
                "  SQLite: copying the database into place at {} (no server may run on it now)",
                shown(&file).display()
            );
            database::sqlite_put_back(&copy, &file).await?;
        }
        None => {
            if overrides.force {
                let conn = db::connect(&url, 1, config.database_pooler).await?;
                database::pg_empty_schema(&conn).await?;
                conn.close().await?;
            }
            println!("  PostgreSQL: pg_restore into the configured database");
            database::PgTools::new(&url)
                .restore(&copy, manifest.pg_dump_version.as_deref())
                .await?;
        }
    }

    let mut progress = Progress::new("objects restored");
    for object in &manifest.objects {
        objects::put_back(&storage, object, dir).await?;
        progress.add(object.size);
    }
    progress.done();

    let conn = db::connect(&url, 2, config.database_pooler).await?;
    db::migrate(&conn).await?;
    let now_at = database::last_migration(&conn).await?;
    conn.close().await?;
    println!(
        "restore complete: database at migration {now_at}{}, {} objects, {} in {:.1} s",
        if now_at == manifest.last_migration {
            String::new()
        } else {
            format!(" (migrated from {})", manifest.last_migration)
        },
        manifest.objects.len(),
        human_bytes(manifest.object_bytes()),
        started.elapsed().as_secs_f64()
    );
    println!("{}", super::KEYS_NOT_IN_BACKUP);
    Ok(())
}

/// Same engine, and a migration this version knows (a backup from a newer Yanxiu is refused, an older one is
/// migrated after the restore).
fn check_compatible(manifest: &Manifest, engine: Engine) -> anyhow::Result<()> {
    anyhow::ensure!(
        manifest.engine == engine,
        "this is a {} backup and the configured database is {}: restore it into the same kind of database",
        manifest.engine.name(),
        engine.name()
    );
    // The manifest names the database file; only the engine's own name is read, never a path elsewhere.
    anyhow::ensure!(
        manifest.database.path == manifest.engine.file_name(),
        "the manifest names the database file {:?}; a {} backup's is {}",
        manifest.database.path,
        manifest.engine.name(),
        manifest.engine.file_name()
    );
    let known = Migrator::migrations()
        .iter()
        .any(|m| m.name() == manifest.last_migration);
    anyhow::ensure!(
        known,
        "the backup's database is at migration {}, which this Yanxiu ({}) does not know: restore it with \
         Yanxiu {} or newer",
        manifest.last_migration,
        env!("CARGO_PKG_VERSION"),
        manifest.yanxiu_version
    );
    Ok(())
}

/// Every checksum of the manifest; the whole list of mismatches when any.
async fn verify(dir: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    let mut progress = Progress::new("objects verified");
    let found = manifest::mismatches(dir, manifest, |size| progress.add(size)).await?;
    progress.done();
    anyhow::ensure!(
        found.is_empty(),
        "the backup does not match its manifest; nothing was restored:\n  {}",
        found.join("\n  ")
    );
    println!("  every checksum matches the manifest");
    Ok(())
}

fn check_keys(config: &Config, manifest: &Manifest, overrides: Overrides) -> anyhow::Result<()> {
    let found = keys::differences(&manifest.keys, &keys::configured(config)?);
    if found.is_empty() {
        println!("  the configured keys are the ones the backup was taken under");
        return Ok(());
    }
    let list = found.join("\n  ");
    anyhow::ensure!(
        overrides.other_keys,
        "the configured keys are not the ones the backup was taken under; nothing was restored:\n  {list}\n\
         Configure the keys of the backed-up installation (or copy its secret.key and audit.key into the data \
         dir). To restore anyway, knowing that sealed personal data stays unreadable and the audit log \
         unverifiable, pass --other-keys."
    );
    println!("  restoring under other keys (--other-keys):\n  {list}");
    Ok(())
}

/// The database and the store must be empty unless `--force`.
async fn check_empty(
    url: &str,
    sqlite_file: Option<&Path>,
    storage: &Storage,
    overrides: Overrides,
) -> anyhow::Result<()> {
    let tables = match sqlite_file {
        // Opening a missing SQLite file would create it: a missing file is an empty database.
        Some(file) if !file.exists() => 0,
        _ => {
            let conn = db::connect(url, 1, DatabasePooler::None).await?;
            let n = database::table_count(&conn).await?;
            conn.close().await?;
            n
        }
    };
    let store_empty = objects::store_is_empty(storage).await?;
    if tables == 0 && store_empty {
        return Ok(());
    }
    let what = match (tables > 0, store_empty) {
        (true, true) => format!("the database already has {tables} tables"),
        (true, false) => {
            format!("the database already has {tables} tables and the object store holds objects")
        }
        _ => "the object store already holds objects".to_string(),
    };
    anyhow::ensure!(
        overrides.force,
        "{what}; nothing was restored. Restore into an empty database and store, or pass --force to replace \
         the database and write the backup's objects over the store's."
    );
    println!("  {what}: replacing (--force)");
    Ok(())
}
