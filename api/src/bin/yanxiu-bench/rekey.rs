//! `yanxiu-bench rekey --teachers N`: teachers through the real import under the standard suite and key
//! version 1, then — in a fresh process, so the peak memory is the rekey's own — a switch to the SM suite with a
//! new key version 2 (version 1 kept as previous) and `rekey`; prints rows/s and peak memory, then proves every
//! row is under the new key and a sample decrypts and matches its lookup hash.
use sea_orm::{ConnectionTrait, Statement, Value};

use crate::harness::{
    drop_fresh_database, engine_name, fresh_database, open_state, open_state_with, peak_rss_mb,
    seed_directory,
};
use yanxiu::platform::{config::CryptoSuite, crypto::Keys};

pub struct RekeyBench {
    pub teachers: u32,
    pub batch: usize,
    pub database_url: Option<String>,
}

pub async fn run(b: RekeyBench) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(b.database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), b.teachers, 50).await?;
        state.db.close().await?;
        let status = std::process::Command::new(std::env::current_exe()?)
            .args(["rekey-measure", "--database-url", &url, "--data-dir"])
            .arg(dir.path())
            .args(["--batch", &b.batch.to_string()])
            .status()?;
        anyhow::ensure!(status.success(), "measurement failed: {status}");
        Ok(())
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}

/// `yanxiu-bench rekey-measure`: the measuring half, on the database `run` generated under the data dir's key.
pub async fn measure(url: &str, data_dir: &std::path::Path, batch: usize) -> anyhow::Result<()> {
    let previous = std::fs::read_to_string(data_dir.join("secret.key"))?;
    let state = open_state_with(url, data_dir, |c| {
        c.crypto = CryptoSuite::Sm;
        c.secret_key = Some(hex::encode([0x5au8; 32]));
        c.secret_key_version = 2;
        c.previous_secret_keys = Some(format!("1:{}", previous.trim()));
    })
    .await?;
    let engine = engine_name(&state);
    let summary = yanxiu::cli::rekey_printing(&state, batch).await?;
    println!(
        "[{engine}] rekey standard/v1 → sm/v2: {} rows in {:.2}s = {:.0} rows/s; peak RSS {:.0} MB",
        summary.rows,
        summary.seconds,
        summary.rows_per_second(),
        peak_rss_mb().unwrap_or(f64::NAN),
    );
    verify(&state.db, &state.keys).await?;
    let again = yanxiu::platform::rekey::rekey(&state.db, &state.keys, batch, |_| {}).await?;
    anyhow::ensure!(again.rows == 0, "a second run rewrote {} rows", again.rows);
    println!("[{engine}] a second run found nothing left to do");
    state.db.close().await?;
    Ok(())
}

/// No row is left under an older key, and a sample of rows decrypts and carries its current lookup hash.
async fn verify(db: &impl ConnectionTrait, keys: &Keys) -> anyhow::Result<()> {
    let backend = db.get_database_backend();
    let pattern = format!("{}%", keys.current_prefix());
    let left = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!(
                "SELECT COUNT(*) AS n FROM teachers WHERE id_card_enc NOT LIKE {0} \
                 OR (phone_enc IS NOT NULL AND phone_enc NOT LIKE {0})",
                yanxiu::platform::db::placeholders(backend, 1)[0]
            ),
            [Value::from(pattern)],
        ))
        .await?
        .map(|r| r.try_get::<i64>("", "n"))
        .transpose()?
        .unwrap_or(-1);
    anyhow::ensure!(left == 0, "{left} rows are not under the current key");
    let sample = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id_card_enc, id_card_hash FROM teachers ORDER BY id DESC LIMIT 1000",
        ))
        .await?;
    for row in &sample {
        let sealed: String = row.try_get("", "id_card_enc")?;
        let hash: String = row.try_get("", "id_card_hash")?;
        anyhow::ensure!(
            keys.lookup_hash(&keys.decrypt(&sealed)?) == hash,
            "a rekeyed row's hash does not match its ID number"
        );
    }
    println!(
        "verified: every row under {}, {} sampled rows decrypt and match their hash",
        keys.current_prefix(),
        sample.len()
    );
    Ok(())
}
