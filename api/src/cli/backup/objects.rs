//! The object store half of a backup: every object streamed into `files/<key>` of the backup while it is hashed,
//! and streamed back into whichever store is configured (a local folder or an S3-compatible bucket, not
//! necessarily the kind it came from). Memory stays bounded by one piece, whatever the object's size.
use std::path::Path;

use bytes::Bytes;
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::manifest::{Entry, object_path};
use crate::platform::storage::Storage;

/// Pieces of a large object sent to the store (S3 wants parts of at least 5 MiB).
const PART_BYTES: usize = 8 * 1024 * 1024;

/// Copies the object `key` into the backup `dir`: written to `partial`, then renamed to its place. None when
/// the object went away after it was listed (a file deleted while the backup runs).
pub async fn save(
    storage: &Storage,
    key: &str,
    dir: &Path,
    partial: &Path,
) -> anyhow::Result<Option<Entry>> {
    let target = object_path(dir, key)?;
    let mut stream = match storage.get_stream(key, None).await {
        Ok(stream) => stream,
        Err(e) if is_not_found(&e) => return Ok(None),
        Err(e) => return Err(e.context(format!("read object {key}"))),
    };
    let mut file = tokio::fs::File::create(partial).await?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| e.context(format!("read object {key}")))?;
        hasher.update(&chunk);
        size += chunk.len() as u64;
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    drop(file);
    if let Some(parent) = target.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    tokio::fs::rename(partial, &target).await?;
    Ok(Some(Entry {
        path: key.to_string(),
        size,
        sha256: hex::encode(hasher.finalize()),
    }))
}

/// Puts the backup's copy of `object` into the store under its key.
pub async fn put_back(storage: &Storage, object: &Entry, dir: &Path) -> anyhow::Result<()> {
    let source = object_path(dir, &object.path)?;
    let mut file = tokio::fs::File::open(&source).await?;
    let key = object.path.as_str();
    if object.size <= PART_BYTES as u64 {
        let mut bytes = Vec::with_capacity(usize::try_from(object.size)?);
        file.read_to_end(&mut bytes).await?;
        return storage
            .put(key, Bytes::from(bytes))
            .await
            .map_err(|e| e.context(format!("write object {key}")));
    }
    let mut writer = storage.writer(key, PART_BYTES).await?;
    let mut buf = vec![0u8; 1024 * 1024];
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        writer.wait_for_capacity(2).await?;
        writer.put(Bytes::copy_from_slice(&buf[..n]));
    }
    writer
        .finish()
        .await
        .map_err(|e| anyhow::Error::from(e).context(format!("write object {key}")))?;
    Ok(())
}

/// Whether the store holds any object (a restore goes into an empty one unless forced).
pub async fn store_is_empty(storage: &Storage) -> anyhow::Result<bool> {
    match storage.list().next().await {
        None => Ok(true),
        Some(Ok(_)) => Ok(false),
        Some(Err(e)) => Err(e.context("list the object store")),
    }
}

fn is_not_found(e: &anyhow::Error) -> bool {
    e.downcast_ref::<object_store::Error>()
        .is_some_and(|e| matches!(e, object_store::Error::NotFound { .. }))
}
