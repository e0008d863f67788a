//! `yanxiu-bench audit --entries N`: what the tamper-evident audit log costs. Writes N entries the way the log
//! was written before the chain (a plain insert) and N through `audit::record` (insert plus the entry's MAC),
//! both in transactions of 100 as business operations would, then seals them into the chain and verifies it;
//! prints rows/s for each step.
use std::time::Instant;

use entity::audit_log;
use sea_orm::{ActiveModelTrait, Set};

use yanxiu::{
    AppState,
    audit::{key, seal, verify},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
    },
};

const PER_TRANSACTION: u64 = 100;

pub async fn run(entries: u64, database_url: Option<String>) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) =
        crate::harness::fresh_database(database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = crate::harness::open_state(&url, dir.path()).await?;
        let engine = crate::harness::engine_name(&state);
        key::with_key(state.audit_key.clone(), measure(&state, entries, &engine)).await?;
        state.db.close().await?;
        anyhow::Ok(())
    }
    .await;
    crate::harness::drop_fresh_database(cleanup).await?;
    result
}

async fn measure(state: &AppState, entries: u64, engine: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    write(state, entries, true).await?;
    let with_mac = rate(entries, started);
    let started = Instant::now();
    let sealed = seal::seal(&state.db, &state.audit_key).await?;
    let seal_rate = rate(sealed, started);
    let started = Instant::now();
    let report = verify::verify(&state.db, &state.storage, &state.audit_key).await?;
    let verify_rate = rate(report.entries_checked, started);
    // Last, because rows without a MAC are what verification reports as inserted without the key.
    let started = Instant::now();
    write(state, entries, false).await?;
    let plain = rate(entries, started);
    println!(
        "bench audit on {engine}, {entries} entries per run, {PER_TRANSACTION} per transaction:"
    );
    println!("  plain insert (no MAC):      {plain:>10.0} rows/s");
    println!("  record with entry MAC:      {with_mac:>10.0} rows/s");
    println!("  sealing into the chain:     {seal_rate:>10.0} rows/s ({sealed} entries)");
    println!(
        "  verify:                     {verify_rate:>10.0} entries/s ({})",
        report.summary()
    );
    Ok(())
}

fn rate(n: u64, started: Instant) -> f64 {
    n as f64 / started.elapsed().as_secs_f64().max(1e-9)
}

async fn write(state: &AppState, entries: u64, with_mac: bool) -> anyhow::Result<()> {
    let mut written = 0;
    while written < entries {
        let txn = begin_write(&state.db).await?;
        for _ in 0..PER_TRANSACTION.min(entries - written) {
            let detail =
                serde_json::json!({ "n": written, "name": "张三", "changed": ["phone", "email"] });
            if with_mac {
                audit::record(
                    &txn,
                    None,
                    AuditEvent {
                        action: "bench.entry",
                        target_type: "teacher",
                        target_id: Some(written.to_string()),
                        target_path: Some("51/5101/510104/".into()),
                        detail,
                    },
                )
                .await?;
            } else {
                audit_log::ActiveModel {
                    at: Set(chrono::Utc::now()),
                    actor: Set("system".into()),
                    action: Set("bench.entry".into()),
                    target_type: Set("teacher".into()),
                    target_id: Set(Some(written.to_string())),
                    target_path: Set(Some("51/5101/510104/".into())),
                    detail: Set(detail.to_string()),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            written += 1;
        }
        txn.commit().await?;
    }
    Ok(())
}
