//! `yanxiu-bench import --teachers N [--database-url URL]`: generates a teacher file and imports it through the
//! real import path (parse, validate, encrypt, one-transaction upsert) as the province admin, then prints
//! rows/s and the peak resident memory.
use crate::harness::{drop_fresh_database, fresh_database, open_state, seed_directory};

pub async fn bench_import(
    teachers: u32,
    per_school: u32,
    database_url: Option<String>,
) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = fresh_database(database_url.as_deref(), dir.path()).await?;
    let result = async {
        let state = open_state(&url, dir.path()).await?;
        seed_directory(&state, dir.path(), teachers, per_school).await?;
        state.db.close().await?;
        anyhow::Ok(())
    }
    .await;
    drop_fresh_database(cleanup).await?;
    result
}
