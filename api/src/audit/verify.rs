//! Verification: walks the archives and then the table in chain order, checking each entry's own MAC, its
//! link to the one before, the numbering (a gap is a deleted entry) and every signed checkpoint on the way.
use std::collections::VecDeque;

use entity::{audit_archive, audit_checkpoint, audit_log, audit_seal};
use poem_openapi::{Enum, Object};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::{
    archive::{self, ArchiveManifest},
    chain::{self, GENESIS},
    key::AuditKey,
    seal,
};
use crate::platform::storage::Storage;

const PAGE: u64 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum ProblemKind {
    /// An entry's content no longer matches its MAC, or its chain link is wrong.
    Altered,
    /// An entry that was written without the audit key (it has no MAC).
    Inserted,
    /// Entries missing from the chain (a gap in the numbering, or the chain ends before a checkpoint).
    Deleted,
    /// A checkpoint whose signature is wrong, or which disagrees with the chain.
    Checkpoint,
    /// An archive whose manifest, file or contents do not check out.
    Archive,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditProblem {
    pub kind: ProblemKind,
    /// The entry concerned (for a deletion: the first entry after the gap, when there is one).
    pub entry_id: Option<i64>,
    /// Its place in the chain (for a deletion: the first missing place).
    pub seq: Option<i64>,
    pub archive_id: Option<i64>,
    pub checkpoint_id: Option<i64>,
    /// What is wrong, in words.
    pub message: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AuditVerifyReport {
    /// True when nothing is wrong.
    pub intact: bool,
    /// Entries checked, archived ones included.
    pub entries_checked: u64,
    pub archives_checked: u64,
    pub checkpoints_checked: u64,
    /// The first thing found wrong.
    pub problem: Option<AuditProblem>,
}

impl AuditVerifyReport {
    /// One line for the command line.
    pub fn summary(&self) -> String {
        match &self.problem {
            None => format!(
                "intact: {} entries, {} archives, {} checkpoints checked",
                self.entries_checked, self.archives_checked, self.checkpoints_checked
            ),
            Some(p) => format!(
                "NOT intact ({:?}): {} [entry id {}, seq {}] after {} entries checked",
                p.kind,
                p.message,
                p.entry_id.map_or("-".into(), |v| v.to_string()),
                p.seq.map_or("-".into(), |v| v.to_string()),
                self.entries_checked
            ),
        }
    }
}

fn problem(kind: ProblemKind, entry: Option<&audit_log::Model>, message: String) -> AuditProblem {
    AuditProblem {
        kind,
        entry_id: entry.map(|e| e.id),
        seq: entry.and_then(|e| e.seq),
        archive_id: None,
        checkpoint_id: None,
        message,
    }
}

/// The walk's state: where the chain should go next, and the checkpoints still ahead of it.
struct Walk<'a> {
    key: &'a AuditKey,
    db: &'a DatabaseConnection,
    next_seq: i64,
    prev_mac: String,
    entries: u64,
    checkpoints: u64,
    ahead: VecDeque<audit_checkpoint::Model>,
    /// The last checkpoint id fetched, for paging through them.
    checkpoint_cursor: i64,
    /// The newest checkpoint and the chain's end when the walk began: what it must reach. Seals by other
    /// instances while it walks add entries and checkpoints beyond these, which the next verification checks.
    checkpoint_limit: i64,
    sealed_through: i64,
}

impl Walk<'_> {
    /// Keeps `ahead` holding the checkpoints not yet passed, fetched a page at a time in chain order.
    async fn refill(&mut self) -> anyhow::Result<()> {
        if self.ahead.is_empty() {
            let page = audit_checkpoint::Entity::find()
                .filter(audit_checkpoint::Column::Id.gt(self.checkpoint_cursor))
                .filter(audit_checkpoint::Column::Id.lte(self.checkpoint_limit))
                .order_by_asc(audit_checkpoint::Column::Id)
                .limit(PAGE)
                .all(self.db)
                .await?;
            if let Some(last) = page.last() {
                self.checkpoint_cursor = last.id;
            }
            self.ahead.extend(page);
        }
        Ok(())
    }

    /// Checks the checkpoints at or before `seq` against the chain MAC the walk found there.
    async fn pass_checkpoints(
        &mut self,
        seq: i64,
        mac: &str,
    ) -> anyhow::Result<Option<AuditProblem>> {
        loop {
            self.refill().await?;
            let Some(cp) = self.ahead.front() else {
                return Ok(None);
            };
            if cp.seq > seq {
                return Ok(None);
            }
            let cp = self.ahead.pop_front().expect("just seen");
            self.checkpoints += 1;
            let wrong = if !chain::checkpoint_valid(
                self.key,
                cp.seq,
                &cp.chain_mac,
                cp.at,
                &cp.signature,
            ) {
                Some("its signature is not valid under the audit key".to_string())
            } else if cp.seq == seq && cp.chain_mac != mac {
                Some(format!(
                    "the chain at seq {seq} does not end in the MAC it signed"
                ))
            } else if cp.seq < seq {
                // Checkpoints are written in chain order, so one behind the walk means it was never passed.
                Some(format!("it names seq {} which the chain skipped", cp.seq))
            } else {
                None
            };
            if let Some(message) = wrong {
                return Ok(Some(AuditProblem {
                    kind: ProblemKind::Checkpoint,
                    entry_id: None,
                    seq: Some(cp.seq),
                    archive_id: None,
                    checkpoint_id: Some(cp.id),
                    message: format!("checkpoint {}: {message}", cp.id),
                }));
            }
        }
    }

    /// One sealed entry, in chain order.
    async fn step(&mut self, e: &audit_log::Model) -> anyhow::Result<Option<AuditProblem>> {
        let seq = e.seq.unwrap_or_default();
        if seq > self.next_seq {
            return Ok(Some(AuditProblem {
                kind: ProblemKind::Deleted,
                entry_id: Some(e.id),
                seq: Some(self.next_seq),
                archive_id: None,
                checkpoint_id: None,
                message: format!(
                    "entries seq {}..{} are missing before entry {} (deleted)",
                    self.next_seq,
                    seq - 1,
                    e.id
                ),
            }));
        }
        if let Some(found) = entry_problem(self.key, e) {
            return Ok(Some(found));
        }
        if seq < self.next_seq || e.prev_mac.as_deref() != Some(self.prev_mac.as_str()) {
            return Ok(Some(problem(
                ProblemKind::Altered,
                Some(e),
                format!("entry {} does not link to the entry before it", e.id),
            )));
        }
        let link = chain::chain_mac(self.key, &self.prev_mac, seq, e);
        if e.chain_mac.as_deref() != Some(link.as_str()) {
            return Ok(Some(problem(
                ProblemKind::Altered,
                Some(e),
                format!("entry {}: its chain MAC is wrong (altered)", e.id),
            )));
        }
        self.entries += 1;
        self.next_seq = seq + 1;
        self.prev_mac = link.clone();
        self.pass_checkpoints(seq, &link).await
    }
}

/// The entry's own MAC: missing means written without the key, wrong means changed since.
fn entry_problem(key: &AuditKey, e: &audit_log::Model) -> Option<AuditProblem> {
    match e.entry_mac.as_deref() {
        None => Some(problem(
            ProblemKind::Inserted,
            Some(e),
            format!(
                "entry {} has no MAC: it was written without the audit key (inserted)",
                e.id
            ),
        )),
        Some(mac) if !key.verify(&[&chain::encode_entry(e)], mac) => Some(problem(
            ProblemKind::Altered,
            Some(e),
            format!(
                "entry {}: its content does not match its MAC (altered, or inserted with a made-up MAC)",
                e.id
            ),
        )),
        Some(_) => None,
    }
}

/// Seals what is pending, then checks archives, table and checkpoints.
pub async fn verify(
    db: &DatabaseConnection,
    storage: &Storage,
    key: &AuditKey,
) -> anyhow::Result<AuditVerifyReport> {
    seal::seal(db, key).await?;
    let checkpoint_limit = audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::Id)
        .one(db)
        .await?
        .map_or(0, |c| c.id);
    let sealed_through = audit_seal::Entity::find_by_id(1)
        .one(db)
        .await?
        .map_or(0, |s| s.last_seq);
    let mut walk = Walk {
        key,
        db,
        next_seq: 1,
        prev_mac: GENESIS.to_string(),
        entries: 0,
        checkpoints: 0,
        ahead: VecDeque::new(),
        checkpoint_cursor: 0,
        checkpoint_limit,
        sealed_through,
    };
    let mut archives = 0;
    let found = 'walk: {
        for record in audit_archive::Entity::find()
            .order_by_asc(audit_archive::Column::FirstSeq)
            .all(db)
            .await?
        {
            archives += 1;
            let entries = match archive::open_checked(storage, key, &record).await {
                Ok(entries) => entries,
                Err(message) => break 'walk Some(archive_problem(&record, message)),
            };
            let manifest: ArchiveManifest =
                serde_json::from_str(&record.manifest).unwrap_or_default();
            if manifest.first_seq != walk.next_seq || manifest.first_prev_mac != walk.prev_mac {
                break 'walk Some(archive_problem(
                    &record,
                    format!(
                        "it does not continue the chain (starts at seq {}, expected {})",
                        manifest.first_seq, walk.next_seq
                    ),
                ));
            }
            for entry in &entries {
                if let Some(p) = walk.step(entry).await? {
                    break 'walk Some(AuditProblem {
                        archive_id: Some(record.id),
                        ..p
                    });
                }
            }
            if walk.prev_mac != manifest.last_chain_mac {
                break 'walk Some(archive_problem(
                    &record,
                    "its last entry is not the one its manifest names".into(),
                ));
            }
        }
        let mut after = walk.next_seq - 1;
        loop {
            let page = audit_log::Entity::find()
                .filter(audit_log::Column::Seq.gt(after))
                .order_by_asc(audit_log::Column::Seq)
                .limit(PAGE)
                .all(db)
                .await?;
            for entry in &page {
                if let Some(p) = walk.step(entry).await? {
                    break 'walk Some(p);
                }
            }
            match page.last() {
                Some(last) if page.len() as u64 == PAGE => after = last.seq.unwrap_or(after),
                _ => break,
            }
        }
        if let Some(p) = truncated_tail(&mut walk).await? {
            break 'walk Some(p);
        }
        // Entries committed after the seal above: not chained yet, but their own MAC is checked.
        let pending = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.is_null())
            .order_by_asc(audit_log::Column::Id)
            .all(db)
            .await?;
        for entry in &pending {
            if let Some(p) = entry_problem(key, entry) {
                break 'walk Some(p);
            }
            walk.entries += 1;
        }
        None
    };
    Ok(AuditVerifyReport {
        intact: found.is_none(),
        entries_checked: walk.entries,
        archives_checked: archives,
        checkpoints_checked: walk.checkpoints,
        problem: found,
    })
}

/// The chain must reach every checkpoint and the sealer's own record of its end; stopping short means entries
/// were removed from the end.
async fn truncated_tail(walk: &mut Walk<'_>) -> anyhow::Result<Option<AuditProblem>> {
    let end = walk.next_seq - 1;
    walk.refill().await?;
    if let Some(cp) = walk.ahead.front() {
        return Ok(Some(AuditProblem {
            kind: ProblemKind::Deleted,
            entry_id: None,
            seq: Some(walk.next_seq),
            archive_id: None,
            checkpoint_id: Some(cp.id),
            message: format!(
                "the chain ends at seq {end} but checkpoint {} records seq {}: entries were removed from the end",
                cp.id, cp.seq
            ),
        }));
    }
    if walk.sealed_through > end {
        return Ok(Some(AuditProblem {
            kind: ProblemKind::Deleted,
            entry_id: None,
            seq: Some(walk.next_seq),
            archive_id: None,
            checkpoint_id: None,
            message: format!(
                "the chain ends at seq {end} but was sealed up to seq {}: entries were removed from the end",
                walk.sealed_through
            ),
        }));
    }
    Ok(None)
}

fn archive_problem(record: &audit_archive::Model, message: String) -> AuditProblem {
    AuditProblem {
        kind: ProblemKind::Archive,
        entry_id: None,
        seq: Some(record.first_seq),
        archive_id: Some(record.id),
        checkpoint_id: None,
        message: format!("archive {} ({}): {message}", record.id, record.object_key),
    }
}
