//! The sealer: links committed audit entries into the hash chain and signs checkpoints of it.
//!
//! Why a separate sealer instead of chaining at insert: an entry is written inside its business transaction,
//! and chaining it there would need the previous entry's MAC, i.e. one lock every business transaction of
//! every instance queues on until it commits. Instead each entry carries its own MAC from the start (an entry
//! forged or altered without the key fails it at once), and the sealer, in its own short transaction, takes
//! the committed entries in the order it sees them and gives each its `seq`, `prev_mac` and `chain_mac`. Only
//! sealers wait for each other: they lock the single `audit_seal` row (SQLite's write transaction is already
//! exclusive), so one instance seals at a time and the chain has no forks.
use std::time::Duration;

use chrono::Utc;
use entity::{audit_checkpoint, audit_log, audit_seal};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};

use super::{
    chain::{self, now_micros},
    key::AuditKey,
};
use crate::platform::db::begin_write;

/// Entries chained per transaction, so a backlog never holds the seal lock for long.
const BATCH: u64 = 500;
/// How often `serve` seals.
pub const SEAL_EVERY: Duration = Duration::from_secs(5);
/// A checkpoint is signed at every seal that chained something, and at least once a day otherwise.
const CHECKPOINT_AT_LEAST_EVERY: chrono::TimeDelta = chrono::TimeDelta::days(1);

/// Chains every committed entry not yet chained; returns how many it chained.
pub async fn seal(db: &DatabaseConnection, key: &AuditKey) -> Result<u64, DbErr> {
    let mut total = 0;
    loop {
        let sealed = seal_batch(db, key).await?;
        total += sealed;
        if sealed < BATCH {
            return Ok(total);
        }
    }
}

async fn seal_batch(db: &DatabaseConnection, key: &AuditKey) -> Result<u64, DbErr> {
    let txn = begin_write(db).await?;
    let state = audit_seal::Entity::find_by_id(1)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_seal row 1".into()))?;
    let entries = audit_log::Entity::find()
        .filter(audit_log::Column::Seq.is_null())
        .order_by_asc(audit_log::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    let (mut seq, mut prev) = (state.last_seq, state.last_mac.clone());
    for mut entry in entries.iter().cloned() {
        if entry.entry_mac.is_none() && entry.id <= state.legacy_through_id {
            // Written before the chain existed: the first seal is the earliest moment a MAC can be given.
            entry.entry_mac = Some(chain::entry_mac(key, &entry));
        } else if entry.entry_mac.as_deref() != Some(&chain::entry_mac(key, &entry)) {
            // Still chained, so verification names it in its place instead of it lingering unsealed.
            tracing::error!(
                id = entry.id,
                "audit entry without a valid MAC: written or altered without the audit key"
            );
        }
        seq += 1;
        let link = chain::chain_mac(key, &prev, seq, &entry);
        let mut update = audit_log::Entity::update_many()
            .col_expr(audit_log::Column::Seq, Expr::value(seq))
            .col_expr(audit_log::Column::PrevMac, Expr::value(prev.clone()))
            .col_expr(audit_log::Column::ChainMac, Expr::value(link.clone()));
        if entry.id <= state.legacy_through_id {
            update = update.col_expr(audit_log::Column::EntryMac, Expr::value(entry.entry_mac));
        }
        update
            .filter(audit_log::Column::Id.eq(entry.id))
            .filter(audit_log::Column::Seq.is_null())
            .exec(&txn)
            .await?;
        prev = link;
    }
    let sealed = entries.len() as u64;
    if sealed > 0 || checkpoint_due(&txn, state.last_seq).await? {
        let at = now_micros();
        audit_checkpoint::ActiveModel {
            seq: Set(seq),
            chain_mac: Set(prev.clone()),
            at: Set(at),
            signature: Set(chain::checkpoint_signature(key, seq, &prev, at)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    if sealed > 0 {
        audit_seal::ActiveModel {
            id: Set(1),
            last_seq: Set(seq),
            last_mac: Set(prev),
            sealed_at: Set(Some(Utc::now())),
            ..Default::default()
        }
        .update(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(sealed)
}

/// A quiet log still gets its daily checkpoint (once there is a chain to speak of).
async fn checkpoint_due(txn: &sea_orm::DatabaseTransaction, last_seq: i64) -> Result<bool, DbErr> {
    if last_seq == 0 {
        return Ok(false);
    }
    let last = audit_checkpoint::Entity::find()
        .order_by_desc(audit_checkpoint::Column::Id)
        .one(txn)
        .await?;
    Ok(last.is_none_or(|c| Utc::now() - c.at >= CHECKPOINT_AT_LEAST_EVERY))
}

/// The background loop of `serve`: seal every few seconds; a failure is logged and retried next time.
pub async fn run_sealer(db: DatabaseConnection, key: std::sync::Arc<AuditKey>) {
    let mut tick = tokio::time::interval(SEAL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(err) = seal(&db, &key).await {
            tracing::warn!(error = %err, "sealing the audit log failed; retrying");
        }
    }
}
