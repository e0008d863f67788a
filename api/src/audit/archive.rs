//! Archiving: entries older than the retention period leave the table for the object store, as one
//! gzip-compressed JSON-lines file per run with a signed manifest recorded in `audit_archive`; only then are
//! they deleted. Verification reads them back, so the chain stays checkable from its first entry.
use std::io::{Read, Write};

use bytes::Bytes;
use chrono::{DateTime, Utc};
use entity::{audit_archive, audit_log, audit_seal};
use flate2::{Compression, read::GzDecoder, write::GzEncoder};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{chain, key::AuditKey, seal};
use crate::platform::{db::begin_write, storage::Storage};

/// Entries per archive file.
const FILE_ENTRIES: u64 = 20_000;

/// What the signature of an archive vouches for.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ArchiveManifest {
    pub first_seq: i64,
    pub last_seq: i64,
    pub count: i64,
    pub first_prev_mac: String,
    pub last_chain_mac: String,
    pub first_at: Option<DateTime<Utc>>,
    pub last_at: Option<DateTime<Utc>>,
    pub object_key: String,
    /// SHA-256 of the compressed file, hex.
    pub sha256: String,
}

/// One line of an archive file: every column, `at` in microseconds as the MACs cover it.
#[derive(Debug, Serialize, Deserialize)]
struct ArchivedEntry {
    id: i64,
    at_micros: i64,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    target_type: String,
    target_id: Option<String>,
    target_path: Option<String>,
    detail: String,
    ip: Option<String>,
    request_id: Option<String>,
    entry_mac: Option<String>,
    seq: Option<i64>,
    prev_mac: Option<String>,
    chain_mac: Option<String>,
}

impl From<&audit_log::Model> for ArchivedEntry {
    fn from(m: &audit_log::Model) -> Self {
        Self {
            id: m.id,
            at_micros: m.at.timestamp_micros(),
            actor_id: m.actor_id,
            actor: m.actor.clone(),
            action: m.action.clone(),
            target_type: m.target_type.clone(),
            target_id: m.target_id.clone(),
            target_path: m.target_path.clone(),
            detail: m.detail.clone(),
            ip: m.ip.clone(),
            request_id: m.request_id.clone(),
            entry_mac: m.entry_mac.clone(),
            seq: m.seq,
            prev_mac: m.prev_mac.clone(),
            chain_mac: m.chain_mac.clone(),
        }
    }
}

impl From<ArchivedEntry> for audit_log::Model {
    fn from(a: ArchivedEntry) -> Self {
        Self {
            id: a.id,
            at: DateTime::from_timestamp_micros(a.at_micros).unwrap_or_default(),
            actor_id: a.actor_id,
            actor: a.actor,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            target_path: a.target_path,
            detail: a.detail,
            ip: a.ip,
            request_id: a.request_id,
            entry_mac: a.entry_mac,
            seq: a.seq,
            prev_mac: a.prev_mac,
            chain_mac: a.chain_mac,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ArchiveSummary {
    pub files: u64,
    pub entries: u64,
}

/// Archives every sealed entry written before `cutoff` (the serve loop and `yanxiu audit archive` pass now
/// minus the retention period).
pub async fn archive_before(
    db: &DatabaseConnection,
    storage: &Storage,
    key: &AuditKey,
    cutoff: DateTime<Utc>,
) -> anyhow::Result<ArchiveSummary> {
    seal::seal(db, key).await?;
    let mut summary = ArchiveSummary::default();
    loop {
        let archived = archive_one_file(db, storage, key, cutoff).await?;
        if archived == 0 {
            return Ok(summary);
        }
        summary.files += 1;
        summary.entries += archived;
    }
}

/// One file: under the seal lock (so two instances never archive the same range), the next entries in chain
/// order that are older than `cutoff`; stored, recorded, then deleted, in that order.
async fn archive_one_file(
    db: &DatabaseConnection,
    storage: &Storage,
    key: &AuditKey,
    cutoff: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let txn = begin_write(db).await?;
    audit_seal::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&txn)
        .await?;
    let archived_through = audit_archive::Entity::find()
        .order_by_desc(audit_archive::Column::LastSeq)
        .one(&txn)
        .await?
        .map_or(0, |a| a.last_seq);
    let candidates = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.gt(archived_through))
        .order_by_asc(audit_log::Column::Seq)
        .limit(FILE_ENTRIES)
        .all(&txn)
        .await?;
    // The range stays contiguous in the chain: it stops at the first entry that is still recent.
    let entries: Vec<_> = candidates
        .into_iter()
        .take_while(|e| e.at < cutoff)
        .collect();
    let (Some(first), Some(last)) = (entries.first(), entries.last()) else {
        return Ok(0);
    };
    let (first_seq, last_seq) = (first.seq.unwrap_or_default(), last.seq.unwrap_or_default());
    let object_key = format!("audit-archive/{first_seq:012}-{last_seq:012}.jsonl.gz");
    let file = compress(&entries)?;
    let manifest = ArchiveManifest {
        first_seq,
        last_seq,
        count: entries.len() as i64,
        first_prev_mac: first.prev_mac.clone().unwrap_or_default(),
        last_chain_mac: last.chain_mac.clone().unwrap_or_default(),
        first_at: Some(first.at),
        last_at: Some(last.at),
        object_key: object_key.clone(),
        sha256: hex::encode(Sha256::digest(&file)),
    };
    let manifest_text = serde_json::to_string(&manifest)?;
    let signature = chain::manifest_signature(key, &manifest_text);
    storage.put(&object_key, Bytes::from(file)).await?;
    storage
        .put(
            &format!("{object_key}.manifest.json"),
            Bytes::from(
                serde_json::json!({ "manifest": manifest_text, "signature": signature })
                    .to_string(),
            ),
        )
        .await?;
    audit_archive::ActiveModel {
        first_seq: Set(first_seq),
        last_seq: Set(last_seq),
        entry_count: Set(manifest.count),
        first_prev_mac: Set(manifest.first_prev_mac.clone()),
        last_chain_mac: Set(manifest.last_chain_mac.clone()),
        object_key: Set(object_key),
        manifest: Set(manifest_text),
        signature: Set(signature),
        archived_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let deleted = audit_log::Entity::delete_many()
        .filter(audit_log::Column::Seq.between(first_seq, last_seq))
        .exec(&txn)
        .await?;
    anyhow::ensure!(
        deleted.rows_affected == manifest.count as u64,
        "archive of seq {first_seq}..{last_seq}: {} rows matched, {} expected",
        deleted.rows_affected,
        manifest.count
    );
    txn.commit().await?;
    Ok(manifest.count as u64)
}

fn compress(entries: &[audit_log::Model]) -> anyhow::Result<Vec<u8>> {
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    for entry in entries {
        serde_json::to_writer(&mut gz, &ArchivedEntry::from(entry))?;
        gz.write_all(b"\n")?;
    }
    Ok(gz.finish()?)
}

/// The entries of an archive after checking its manifest's signature, that the manifest agrees with its
/// record, and that the file is the one the manifest describes. `Err` says what does not check out.
pub async fn open_checked(
    storage: &Storage,
    key: &AuditKey,
    record: &audit_archive::Model,
) -> Result<Vec<audit_log::Model>, String> {
    if !chain::manifest_valid(key, &record.manifest, &record.signature) {
        return Err("its manifest's signature is not valid under the audit key".into());
    }
    let manifest: ArchiveManifest = serde_json::from_str(&record.manifest)
        .map_err(|e| format!("its manifest cannot be read: {e}"))?;
    if manifest.object_key != record.object_key
        || manifest.first_seq != record.first_seq
        || manifest.last_seq != record.last_seq
        || manifest.count != record.entry_count
    {
        return Err("its record disagrees with its signed manifest".into());
    }
    let file = storage
        .get(&record.object_key)
        .await
        .map_err(|e| format!("its file cannot be read: {e}"))?;
    if hex::encode(Sha256::digest(&file)) != manifest.sha256 {
        return Err("its file is not the one its manifest describes (altered or replaced)".into());
    }
    let mut text = String::new();
    GzDecoder::new(&file[..])
        .read_to_string(&mut text)
        .map_err(|e| format!("its file cannot be decompressed: {e}"))?;
    let entries = text
        .lines()
        .map(|line| serde_json::from_str::<ArchivedEntry>(line).map(audit_log::Model::from))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("its file has an unreadable line: {e}"))?;
    if entries.len() as i64 != manifest.count {
        return Err(format!(
            "its file holds {} entries, its manifest {}",
            entries.len(),
            manifest.count
        ));
    }
    Ok(entries)
}

/// The daily loop of `serve`: archive what is past the retention period.
pub async fn run_archiver(
    db: DatabaseConnection,
    storage: Storage,
    key: std::sync::Arc<AuditKey>,
    retention_days: i64,
    stop: crate::platform::shutdown::Shutdown,
) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(24 * 3600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if stop.or_cancelled(tick.tick()).await.is_none() {
            return;
        }
        let cutoff = Utc::now() - chrono::TimeDelta::days(retention_days);
        let Some(archived) = stop
            .or_cancelled(archive_before(&db, &storage, &key, cutoff))
            .await
        else {
            return;
        };
        match archived {
            Ok(s) if s.entries > 0 => {
                tracing::info!(
                    files = s.files,
                    entries = s.entries,
                    "audit entries archived"
                )
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "archiving the audit log failed"),
        }
    }
}
