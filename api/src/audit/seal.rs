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
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, Statement, sea_query::Expr,
};

use super::{
    chain::{self, now_micros},
    key::AuditKey,
};
use crate::platform::db::{begin_write, placeholders};

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
    let mut links = Vec::with_capacity(entries.len());
    for mut entry in entries.iter().cloned() {
        if entry.entry_mac.is_none() && entry.id <= state.legacy_through_id {
            // Written before the chain existed: the first seal is the earliest moment a MAC can be given.
            let mac = chain::entry_mac(key, &entry);
            audit_log::Entity::update_many()
                .col_expr(audit_log::Column::EntryMac, Expr::value(mac.clone()))
                .filter(audit_log::Column::Id.eq(entry.id))
                .filter(audit_log::Column::EntryMac.is_null())
                .exec(&txn)
                .await?;
            entry.entry_mac = Some(mac);
        } else if entry.entry_mac.as_deref() != Some(&chain::entry_mac(key, &entry)) {
            // Still chained, so verification names it in its place instead of it lingering unsealed.
            tracing::error!(
                id = entry.id,
                "audit entry without a valid MAC: written or altered without the audit key"
            );
        }
        seq += 1;
        let link = chain::chain_mac(key, &prev, seq, &entry);
        links.push((
            entry.id,
            seq,
            std::mem::replace(&mut prev, link.clone()),
            link,
        ));
    }
    link_entries(&txn, &links).await?;
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

/// Writes the chain columns of a batch, `(id, seq, prev_mac, chain_mac)` each. On PostgreSQL in one statement
/// (one round trip instead of one per entry: the sealer must keep up with every instance's writes together);
/// SQLite has no round trips to save, and its plan for an UPDATE joined to VALUES scans, so there it is one
/// update by primary key per entry.
async fn link_entries(
    txn: &sea_orm::DatabaseTransaction,
    links: &[(i64, i64, String, String)],
) -> Result<(), DbErr> {
    let backend = txn.get_database_backend();
    if links.is_empty() {
        return Ok(());
    }
    if backend == sea_orm::DbBackend::Sqlite {
        for (id, seq, prev, link) in links {
            audit_log::Entity::update_many()
                .col_expr(audit_log::Column::Seq, Expr::value(*seq))
                .col_expr(audit_log::Column::PrevMac, Expr::value(prev.clone()))
                .col_expr(audit_log::Column::ChainMac, Expr::value(link.clone()))
                .filter(audit_log::Column::Id.eq(*id))
                .filter(audit_log::Column::Seq.is_null())
                .exec(txn)
                .await?;
        }
        return Ok(());
    }
    let marks = placeholders(backend, links.len() * 4);
    let rows: Vec<String> = marks
        .chunks(4)
        .map(|m| {
            format!(
                "(CAST({} AS BIGINT), CAST({} AS BIGINT), CAST({} AS VARCHAR(64)), CAST({} AS VARCHAR(64)))",
                m[0], m[1], m[2], m[3]
            )
        })
        .collect();
    // VALUES columns are named column1… on both engines.
    let sql = format!(
        "UPDATE audit_log SET seq = v.column2, prev_mac = v.column3, chain_mac = v.column4 \
         FROM (VALUES {}) AS v WHERE audit_log.id = v.column1 AND audit_log.seq IS NULL",
        rows.join(", ")
    );
    let values = links
        .iter()
        .flat_map(|(id, seq, prev, link)| {
            [
                (*id).into(),
                (*seq).into(),
                prev.clone().into(),
                link.clone().into(),
            ]
        })
        .collect::<Vec<sea_orm::Value>>();
    let done = txn
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    if done.rows_affected() != links.len() as u64 {
        return Err(DbErr::Custom(format!(
            "sealing linked {} of {} audit entries; nothing was sealed",
            done.rows_affected(),
            links.len()
        )));
    }
    Ok(())
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
pub async fn run_sealer(
    db: DatabaseConnection,
    key: std::sync::Arc<AuditKey>,
    stop: crate::platform::shutdown::Shutdown,
) {
    let mut tick = tokio::time::interval(SEAL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        if stop.or_cancelled(tick.tick()).await.is_none() {
            return;
        }
        // A seal in progress finishes (it is one short transaction), so the chain is never left half-written.
        if let Err(err) = seal(&db, &key).await {
            tracing::warn!(error = %err, "sealing the audit log failed; retrying");
        }
        if stop.is_cancelled() {
            return;
        }
    }
}
