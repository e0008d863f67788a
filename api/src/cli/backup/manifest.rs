//! `manifest.json`: what a backup holds and how to tell that it is whole — the database copy and every stored
//! object with its size and SHA-256, the version and migration it was taken at, and fingerprints of the keys its
//! sealed data needs (never the keys themselves).
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;

/// The layout this Yanxiu writes and reads; a different one is refused rather than half understood.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// Stored objects live under this folder of the backup, at their key.
pub const FILES: &str = "files";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Self::Postgres)
        } else {
            anyhow::bail!("the database URL is neither sqlite:… nor postgres:…")
        }
    }

    /// The database file's name inside the backup.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Sqlite => "yanxiu.sqlite3",
            Self::Postgres => "yanxiu.pgdump",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A file of the backup: its path (relative to the backup, or an object's key), size and SHA-256 (hex).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// Fingerprints of the keys the backed-up data was written under (HMAC of a fixed label under each key).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyChecks {
    /// `YANXIU_SECRET_KEY` and `YANXIU_PREVIOUS_SECRET_KEYS`, by key version.
    pub secret: Vec<(u32, String)>,
    /// `YANXIU_AUDIT_KEY`.
    pub audit: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub yanxiu_version: String,
    pub engine: Engine,
    /// The newest migration applied to the database when it was copied.
    pub last_migration: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// `local` or `s3`: where the objects came from (a restore may put them into either).
    pub store: String,
    /// The `pg_dump` that wrote a PostgreSQL dump (`pg_restore` must be at least as new).
    pub pg_dump_version: Option<String>,
    pub keys: KeyChecks,
    pub database: Entry,
    pub objects: Vec<Entry>,
}

impl Manifest {
    pub fn object_bytes(&self) -> u64 {
        self.objects.iter().map(|o| o.size).sum()
    }

    pub async fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(MANIFEST);
        let text = match tokio::fs::read_to_string(&path).await {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
                "{} has no {MANIFEST}: not a backup, or one that did not finish (the manifest is written last)",
                dir.display()
            ),
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", path.display())),
        };
        let manifest: Self = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{} is not a Yanxiu manifest: {e}", path.display()))?;
        anyhow::ensure!(
            manifest.format == FORMAT,
            "{} has backup format {}; this Yanxiu reads format {FORMAT}",
            path.display(),
            manifest.format
        );
        Ok(manifest)
    }

    /// Written to a temporary name and renamed: a backup whose manifest exists is complete.
    pub async fn write(&self, dir: &Path) -> anyhow::Result<()> {
        let partial = dir.join(format!(".{MANIFEST}.partial"));
        tokio::fs::write(&partial, serde_json::to_vec_pretty(self)?).await?;
        sync_file(&partial).await?;
        tokio::fs::rename(&partial, dir.join(MANIFEST)).await?;
        Ok(())
    }
}

/// The file in the backup that holds the object `key`; a key that could leave the folder is refused.
pub fn object_path(dir: &Path, key: &str) -> anyhow::Result<PathBuf> {
    let mut path = dir.join(FILES);
    for segment in key.split('/') {
        anyhow::ensure!(
            !segment.is_empty() && segment != "." && segment != ".." && !segment.contains('\\'),
            "object key {key:?} cannot be a file name in a backup"
        );
        path.push(segment);
    }
    Ok(path)
}

/// Size and SHA-256 of a file, read in pieces.
pub async fn hash_file(path: &Path) -> anyhow::Result<(u64, String)> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1024 * 1024];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, hex::encode(hasher.finalize())))
}

pub async fn sync_file(path: &Path) -> anyhow::Result<()> {
    tokio::fs::File::open(path).await?.sync_all().await?;
    Ok(())
}

/// What does not match the manifest, one line each: a changed, missing or unlisted file. Empty: the backup is
/// whole. `progress` is told each object checked.
pub async fn mismatches(
    dir: &Path,
    manifest: &Manifest,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Vec<String>> {
    let mut found = Vec::new();
    check_entry(
        &dir.join(&manifest.database.path),
        &manifest.database,
        &mut found,
    )
    .await;
    let mut listed = std::collections::HashSet::new();
    for object in &manifest.objects {
        let path = match object_path(dir, &object.path) {
            Ok(path) => path,
            Err(e) => {
                found.push(e.to_string());
                continue;
            }
        };
        check_entry(&path, object, &mut found).await;
        listed.insert(path);
        progress(object.size);
    }
    for path in files_under(&dir.join(FILES))? {
        if !listed.contains(&path) {
            found.push(format!("{}: not in the manifest", path.display()));
        }
    }
    Ok(found)
}

async fn check_entry(path: &Path, entry: &Entry, found: &mut Vec<String>) {
    match hash_file(path).await {
        Ok((size, sha256)) if size == entry.size && sha256 == entry.sha256 => {}
        Ok((size, sha256)) => found.push(format!(
            "{}: {size} bytes, SHA-256 {sha256}; the manifest says {} bytes, SHA-256 {}",
            entry.path, entry.size, entry.sha256
        )),
        Err(e) => found.push(format!("{}: {e}", entry.path)),
    }
}

/// Every regular file below `root` (none when it does not exist).
pub fn files_under(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(anyhow::anyhow!("{}: {e}", dir.display())),
        };
        for entry in entries {
            let entry = entry?;
            if entry.file_type()?.is_dir() {
                pending.push(entry.path());
            } else {
                files.push(entry.path());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_object_key_stays_inside_the_backup() {
        let dir = Path::new("/b");
        assert_eq!(
            object_path(dir, "blind/7/x.mp4").expect("a plain key"),
            Path::new("/b/files/blind/7/x.mp4")
        );
        for bad in ["../etc/passwd", "a//b", "/abs", "a/./b", "a\\..\\b"] {
            assert!(object_path(dir, bad).is_err(), "{bad} must be refused");
        }
    }
}
