//! `yanxiu-bench upload [--size-mb 1024] [--chunk-mb 16]`: one lesson file of `size_mb` through the resumable
//! upload (tus POST + PATCHes of `chunk_mb`) over real HTTP on loopback, into a temp SQLite database and a local
//! object store. Prints MB/s from creation to completion (assembly and SHA-256 included) and the peak resident
//! memory before and after — it must stay flat whatever the size — then checks the stored file's hash.
use std::time::Instant;

use bytes::Bytes;
use poem::{
    Server,
    listener::{Acceptor, Listener, TcpListener},
};
use sea_orm::{ConnectionTrait, Statement};
use sha2::{Digest, Sha256};

use crate::harness::{peak_rss_mb, seed_directory};
use yanxiu::{AppState, cli::bootstrap, platform::config::Config};

pub struct UploadBench {
    pub size_mb: u64,
    pub chunk_mb: u64,
}

/// Below this the benchmark fails.
const MIN_MB_PER_SECOND: f64 = 100.0;
const ADMIN_PASSWORD: &str = "Bench#Admin2026";
const TEACHER_PASSWORD: &str = "Bench#Teacher2026";

/// Chunk `i` of the generated file: a pseudo-random block (the same for every chunk but for its stamp), the first
/// one starting like a zip archive so the content check accepts `bench.zip`.
fn chunk(block: &Bytes, i: u64, len: usize) -> Bytes {
    let mut c = block.slice(..len).to_vec();
    let stamp = i.to_le_bytes();
    let at = if i == 0 { 4 } else { 0 };
    c[at..at + 8].copy_from_slice(&stamp);
    if i == 0 {
        c[..4].copy_from_slice(b"PK\x03\x04");
    }
    Bytes::from(c)
}

fn random_block(len: usize) -> Bytes {
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    Bytes::from(out)
}

pub async fn run(b: UploadBench) -> anyhow::Result<()> {
    yanxiu::install_crypto_provider();
    anyhow::ensure!(b.size_mb > 0 && b.chunk_mb > 0, "sizes must be positive");
    let total = b.size_mb * 1024 * 1024;
    let chunk_len = usize::try_from(b.chunk_mb * 1024 * 1024)?;
    let dir = tempfile::tempdir()?;
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: Some(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )),
        admin_password: Some(ADMIN_PASSWORD.into()),
        security_admin_password: Some("Bench#Security2026".into()),
        lesson_upload_max_bytes: total,
        teacher_upload_quota_bytes: total,
        run_worker: false,
        ..Config::default()
    };
    let state = AppState::build(config).await?;
    bootstrap::ensure_first_admin(&state).await?;
    seed_directory(&state, dir.path(), 1, 1).await?;

    let acceptor = TcpListener::bind("127.0.0.1:0").into_acceptor().await?;
    let addr = acceptor
        .local_addr()
        .first()
        .and_then(|a| a.as_socket_addr().copied())
        .ok_or_else(|| anyhow::anyhow!("no local address"))?;
    let app = yanxiu::app(state.clone());
    let server = tokio::spawn(async move { Server::new_with_acceptor(acceptor).run(app).await });
    let base = format!("http://{addr}");
    let client = reqwest013::Client::new();
    let token = teacher_token(&state, &client, &base).await?;

    let block = random_block(chunk_len);
    let rss_before = peak_rss_mb().unwrap_or(f64::NAN);
    println!(
        "upload: {} MB in {} MB PATCHes over http://{addr}; peak RSS before {rss_before:.0} MB",
        b.size_mb, b.chunk_mb
    );
    let started = Instant::now();
    let meta = {
        use base64::Engine;
        let e = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        format!("filename {},purpose {}", e("bench.zip"), e("lesson"))
    };
    let created = client
        .post(format!("{base}/api/uploads"))
        .bearer_auth(&token)
        .header("tus-resumable", "1.0.0")
        .header("upload-length", total)
        .header("upload-metadata", meta)
        .send()
        .await?;
    anyhow::ensure!(
        created.status().as_u16() == 201,
        "creation: {}",
        created.status()
    );
    let location = created
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("no Location"))?
        .to_string();
    let mut offset = 0u64;
    let mut i = 0u64;
    let mut file_id = None;
    while offset < total {
        let len = usize::try_from((total - offset).min(chunk_len as u64))?;
        let body = chunk(&block, i, len);
        let r = client
            .patch(format!("{base}{location}"))
            .bearer_auth(&token)
            .header("tus-resumable", "1.0.0")
            .header("upload-offset", offset)
            .header("content-type", "application/offset+octet-stream")
            .body(body)
            .send()
            .await?;
        anyhow::ensure!(
            r.status().as_u16() == 204,
            "PATCH at {offset}: {} {}",
            r.status(),
            r.text().await.unwrap_or_default()
        );
        file_id = r
            .headers()
            .get("upload-file-id")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<i64>().ok());
        offset += len as u64;
        i += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rss_after = peak_rss_mb().unwrap_or(f64::NAN);
    let file_id = file_id.ok_or_else(|| anyhow::anyhow!("the last PATCH named no file"))?;
    let rate = total as f64 / 1024.0 / 1024.0 / seconds;
    println!(
        "upload: {} MB in {seconds:.2}s = {rate:.0} MB/s (creation to stored file: PATCHes, assembly, SHA-256); \
         peak RSS before {rss_before:.0} MB, after {rss_after:.0} MB",
        b.size_mb
    );

    // The stored file is the one sent.
    let mut hasher = Sha256::new();
    let mut at = 0u64;
    let mut j = 0u64;
    while at < total {
        let len = usize::try_from((total - at).min(chunk_len as u64))?;
        hasher.update(chunk(&block, j, len));
        at += len as u64;
        j += 1;
    }
    let expected = hex::encode(hasher.finalize());
    let row = state
        .db
        .query_one_raw(Statement::from_string(
            state.db.get_database_backend(),
            format!("SELECT sha256, size FROM files WHERE id = {file_id}"),
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("file {file_id} missing"))?;
    let (stored, size): (String, i64) = (row.try_get("", "sha256")?, row.try_get("", "size")?);
    anyhow::ensure!(
        stored == expected && size as u64 == total,
        "stored file differs: {stored} ({size} bytes) vs {expected} ({total} bytes)"
    );
    println!("upload: stored file {file_id} has the SHA-256 of the bytes sent ({expected})");
    server.abort();
    anyhow::ensure!(
        rate >= MIN_MB_PER_SECOND,
        "upload rate {rate:.0} MB/s is below {MIN_MB_PER_SECOND} MB/s"
    );
    Ok(())
}

/// A teacher account for the one generated teacher, made through the API as the province admin; signed in.
async fn teacher_token(
    state: &AppState,
    client: &reqwest013::Client,
    base: &str,
) -> anyhow::Result<String> {
    let row = state
        .db
        .query_one_raw(Statement::from_string(
            state.db.get_database_backend(),
            "SELECT t.id, s.code FROM teachers t JOIN schools s ON s.id = t.school_id ORDER BY t.id LIMIT 1",
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no teacher generated"))?;
    let teacher: i64 = row.try_get_by_index(0)?;
    let school: String = row.try_get_by_index(1)?;
    let login = |username: &str, password: &str| {
        let body = serde_json::json!({ "username": username, "password": password }).to_string();
        client
            .post(format!("{base}/api/auth/login"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let access = |r: reqwest013::Response| async move {
        let v: serde_json::Value = serde_json::from_str(&r.text().await?)?;
        v["access_token"]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow::anyhow!("no access token: {v}"))
    };
    let admin = access(login("admin", ADMIN_PASSWORD).await?).await?;
    let account = serde_json::json!({
        "username": "bench.teacher", "password": TEACHER_PASSWORD, "display_name": "上传测试教师",
        "role": "teacher", "scope_code": school, "teacher_id": teacher,
    });
    let made = client
        .post(format!("{base}/api/accounts"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(account.to_string())
        .send()
        .await?;
    anyhow::ensure!(
        made.status().is_success(),
        "create account: {}",
        made.status()
    );
    access(login("bench.teacher", TEACHER_PASSWORD).await?).await
}
