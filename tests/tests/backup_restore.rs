//! The restore drill, on the real binary and both engines: demo data and uploaded files, `yanxiu backup` while the
//! server runs, the installation wiped, `yanxiu restore`, and then the report counters agree with the ledger
//! (`rebuild-stats`: 0 rows differ), every stored object has its original SHA-256, the audit chain is intact and
//! a sign-in, a list and file downloads work on a server of the restored installation. Refusals on the way: a
//! restore into a database that holds data, a backup with one changed byte, and other keys — each changing
//! nothing. The PostgreSQL drill restores a local folder's files into an S3-compatible bucket (moto).
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use futures_util::StreamExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use yanxiu::platform::{config::Config, storage::Storage};
use yanxiu_tests::{s3::S3Server, *};

const SECRET_KEY: &str = "5f1e0c7a9b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f";
const AUDIT_KEY: &str = "a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff00";
const OTHER_KEY: &str = "abababababababababababababababababababababababababababababababab";

/// One installation as an operator sees it: a data dir, a database URL, an object store and the keys, given to
/// every `yanxiu` command as its environment.
struct Installation {
    data_dir: PathBuf,
    database_url: Option<String>,
    env: Vec<(String, String)>,
}

impl Installation {
    fn new(data_dir: PathBuf, database_url: Option<String>) -> Self {
        let env = [
            ("YANXIU_SECRET_KEY", SECRET_KEY),
            ("YANXIU_AUDIT_KEY", AUDIT_KEY),
            ("YANXIU_ADMIN_PASSWORD", ADMIN_PASSWORD),
            ("YANXIU_SECURITY_ADMIN_PASSWORD", SECURITY_PASSWORD),
            ("YANXIU_LOG", "warn"),
        ]
        .into_iter()
        .chain(PASSWORD_ONLY_SIGN_IN)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        Self {
            data_dir,
            database_url,
            env,
        }
    }

    fn with_env(mut self, extra: Vec<(String, String)>) -> Self {
        self.env.extend(extra);
        self
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(binary());
        cmd.args(args)
            .current_dir(self.data_dir.parent().expect("the data dir has a parent"))
            .env_remove("DATABASE_URL")
            .env_remove("YANXIU_DATABASE_URL")
            .env_remove("YANXIU_SMTP_URL")
            .env_remove("YANXIU_CONFIG")
            .env("YANXIU_DATA_DIR", &self.data_dir)
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        if let Some(url) = &self.database_url {
            cmd.env("YANXIU_DATABASE_URL", url);
        }
        cmd
    }

    /// Runs `yanxiu ARGS` to its end.
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run yanxiu")
    }

    /// Runs `yanxiu ARGS`, which must succeed; its standard output.
    fn succeed(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "yanxiu {args:?} failed ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs `yanxiu ARGS`, which must fail with exit code 1; its standard output and error together.
    fn refuse(&self, args: &[&str]) -> String {
        let out = self.run(args);
        let text = format!(
            "{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "yanxiu {args:?}:\n{text}");
        text
    }

    /// The configuration the commands read, for opening the installation's object store from here.
    fn config(&self) -> Config {
        let mut config = test_config(&self.data_dir, self.database_url.clone());
        let value = |name: &str| {
            self.env
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(bucket) = value("YANXIU_S3_BUCKET") {
            config.s3_bucket = Some(bucket);
            config.s3_endpoint = value("YANXIU_S3_ENDPOINT");
            config.s3_allow_http = true;
            config.s3_access_key_id = value("YANXIU_S3_ACCESS_KEY_ID");
            config.s3_secret_access_key = value("YANXIU_S3_SECRET_ACCESS_KEY");
        }
        config
    }

    /// Every object of the store: key → SHA-256.
    async fn objects(&self) -> BTreeMap<String, String> {
        let storage = Storage::from_config(&self.config()).expect("open the object store");
        let keys: Vec<String> = storage
            .list()
            .map(|listed| listed.expect("list the store").0)
            .collect()
            .await;
        let mut objects = BTreeMap::new();
        for key in keys {
            let bytes = storage.get(&key).await.expect("read an object");
            objects.insert(key, sha256(&bytes));
        }
        objects
    }

    async fn serve(&self) -> Server {
        let port = free_port();
        let mut cmd = self.command(&["serve"]);
        cmd.env("YANXIU_BIND", format!("127.0.0.1:{port}"))
            .env("YANXIU_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        Server(ServeProcess::launch(cmd, port).await)
    }
}

/// A running `yanxiu serve` (the shared harness), killed when dropped.
struct Server(ServeProcess);

impl std::ops::Deref for Server {
    type Target = ServeProcess;
    fn deref(&self) -> &ServeProcess {
        &self.0
    }
}

impl Server {
    async fn sign_in(&self) -> String {
        let r = self
            .http
            .post(self.url("/api/auth/login"))
            .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
            .send()
            .await
            .expect("sign in");
        assert_eq!(r.status(), 200, "sign-in as admin");
        let body: Value = r.json().await.expect("token pair");
        body["access_token"].as_str().expect("access_token").into()
    }

    async fn get_json(&self, path: &str, token: &str) -> Value {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("GET");
        assert_eq!(r.status(), 200, "GET {path}");
        r.json().await.expect("JSON")
    }

    async fn upload(&self, token: &str, name: &str, data: Vec<u8>) -> i64 {
        let r = self
            .http
            .post(self.url(&format!(
                "/api/files?purpose=evidence&name={}",
                utf8_percent(name)
            )))
            .bearer_auth(token)
            .header("content-type", "application/octet-stream")
            .body(data)
            .send()
            .await
            .expect("upload");
        assert_eq!(r.status(), 200, "upload {name}");
        let body: Value = r.json().await.expect("file");
        body["id"].as_i64().expect("file id")
    }

    async fn content(&self, token: &str, id: i64) -> Vec<u8> {
        let r = self
            .http
            .get(self.url(&format!("/api/files/{id}/content")))
            .bearer_auth(token)
            .send()
            .await
            .expect("download");
        assert_eq!(r.status(), 200, "download file {id}");
        r.bytes().await.expect("file bytes").to_vec()
    }
}

fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// A PDF-looking file of `n` bytes whose contents depend on `seed`.
fn pdf(n: usize, seed: u32) -> Vec<u8> {
    let mut data = b"%PDF-1.7\n".to_vec();
    let mut x: u32 = 2463534242 ^ seed;
    while data.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.push((x & 0xff) as u8);
    }
    data
}

/// What the drill compares before and after: uploaded files by id with their SHA-256, and the number of schools.
struct Before {
    files: Vec<(i64, String)>,
    schools: u64,
    objects: BTreeMap<String, String>,
}

/// Demo data, a few uploads (one larger than a multipart piece) and the online backup, while a server runs.
async fn fill_and_back_up(source: &Installation, backup: &Path) -> Before {
    source.succeed(&["demo-data"]);
    let server = source.serve().await;
    let token = server.sign_in().await;
    let mut files = Vec::new();
    for (name, data) in [
        ("结业证明.pdf", pdf(2_000, 1)),
        ("evidence.pdf", pdf(300_000, 2)),
        ("recording.pdf", pdf(9 * 1024 * 1024, 3)),
    ] {
        let digest = sha256(&data);
        files.push((server.upload(&token, name, data).await, digest));
    }
    let schools = server.get_json("/api/schools", &token).await["total"]
        .as_u64()
        .expect("total");
    assert!(schools > 0, "demo data has schools");
    let out = source.succeed(&["backup", backup.to_str().expect("UTF-8 path")]);
    assert!(out.contains("backup complete"), "{out}");
    assert!(out.contains("keys are not in the backup"), "{out}");
    drop(server);
    let objects = source.objects().await;
    assert!(objects.len() >= files.len(), "{objects:?}");
    Before {
        files,
        schools,
        objects,
    }
}

/// A restore into the installation the backup came from, which holds data, is refused without `--force` and
/// changes nothing.
async fn refused_over_data(source: &Installation, backup: &Path, before: &Before) {
    let text = source.refuse(&["restore", backup.to_str().expect("UTF-8 path")]);
    assert!(text.contains("already has"), "{text}");
    assert!(text.contains("--force"), "{text}");
    assert_eq!(source.objects().await, before.objects);
}

/// A copy of the backup with one byte of one object changed is refused, naming the object.
fn tampered_copy(backup: &Path, to: &Path) -> String {
    copy_dir(backup, to);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(to.join("manifest.json")).expect("manifest"))
            .expect("manifest JSON");
    let key = manifest["objects"][0]["path"]
        .as_str()
        .expect("an object")
        .to_string();
    let file = to.join("files").join(&key);
    let mut bytes = std::fs::read(&file).expect("object file");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    std::fs::write(&file, bytes).expect("tamper");
    key
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// The refusals against an empty target (a tampered backup, other keys) and then the restore and every check.
async fn restore_and_check(
    target: &Installation,
    backup: &Path,
    root: &Path,
    before: &Before,
    target_is_empty: impl AsyncFn() -> bool,
) {
    let tampered = root.join("tampered");
    let key = tampered_copy(backup, &tampered);
    let text = target.refuse(&["restore", tampered.to_str().expect("UTF-8 path")]);
    assert!(text.contains("does not match its manifest"), "{text}");
    assert!(text.contains(&key), "the changed object is named: {text}");
    assert!(
        target_is_empty().await,
        "a refused restore changed the database"
    );
    assert!(
        target.objects().await.is_empty(),
        "a refused restore wrote objects"
    );

    let other_keys = Installation {
        data_dir: target.data_dir.clone(),
        database_url: target.database_url.clone(),
        env: target.env.clone(),
    }
    .with_env(vec![("YANXIU_SECRET_KEY".into(), OTHER_KEY.into())]);
    let text = other_keys.refuse(&["restore", backup.to_str().expect("UTF-8 path")]);
    assert!(text.contains("secret key version 1"), "{text}");
    assert!(
        target_is_empty().await,
        "a refused restore changed the database"
    );

    let out = target.succeed(&["restore", backup.to_str().expect("UTF-8 path")]);
    assert!(out.contains("every checksum matches"), "{out}");
    assert!(out.contains("restore complete"), "{out}");

    let stats = target.succeed(&["rebuild-stats"]);
    assert!(
        stats.contains(" 0 maintained rows differed")
            && stats.contains("counters: 0 rows differed"),
        "the restored counters agree with the ledger: {stats}"
    );
    let audit = target.succeed(&["audit", "verify"]);
    assert!(audit.contains("intact"), "{audit}");
    assert_eq!(
        target.objects().await,
        before.objects,
        "every object back with its SHA-256"
    );

    // Restoring again over the restored installation needs --force, and then replaces it whole.
    let out = target.succeed(&["restore", "--force", backup.to_str().expect("UTF-8 path")]);
    assert!(out.contains("replacing (--force)"), "{out}");
    let stats = target.succeed(&["rebuild-stats"]);
    assert!(stats.contains(" 0 maintained rows differed"), "{stats}");
    assert_eq!(target.objects().await, before.objects);

    let server = target.serve().await;
    let token = server.sign_in().await;
    let schools = server.get_json("/api/schools", &token).await["total"].as_u64();
    assert_eq!(schools, Some(before.schools));
    for (id, digest) in &before.files {
        assert_eq!(&sha256(&server.content(&token, *id).await), digest);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_drill() {
    yanxiu::install_crypto_provider();
    let root = tempfile::tempdir().expect("temp dir");
    let backup = root.path().join("backup");
    let source = Installation::new(root.path().join("data"), None);
    let before = fill_and_back_up(&source, &backup).await;
    assert!(backup.join("yanxiu.sqlite3").exists());
    refused_over_data(&source, &backup, &before).await;

    // The installation is lost: the SQLite file and the data dir with it.
    std::fs::remove_dir_all(&source.data_dir).expect("wipe the data dir");
    let target = Installation::new(source.data_dir.clone(), None);
    let db_file = target.data_dir.join("yanxiu.db");
    restore_and_check(&target, &backup, root.path(), &before, async || {
        !db_file.exists()
    })
    .await;

    // A backup goes into a new or empty folder only.
    let text = target.refuse(&["backup", backup.to_str().expect("UTF-8 path")]);
    assert!(text.contains("is not empty"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_drill_into_an_s3_bucket() {
    yanxiu::install_crypto_provider();
    let root = tempfile::tempdir().expect("temp dir");
    let backup = root.path().join("backup");
    let pg = PgDatabase::create().await;
    let source = Installation::new(root.path().join("data"), Some(pg.url.clone()));
    let before = fill_and_back_up(&source, &backup).await;
    assert!(backup.join("yanxiu.pgdump").exists());
    refused_over_data(&source, &backup, &before).await;

    // The database is dropped and made again empty; the files go with the data dir, and the restored
    // installation keeps its files in a bucket instead.
    recreate_database(&pg.url).await;
    std::fs::remove_dir_all(&source.data_dir).expect("wipe the data dir");
    let s3 = S3Server::start().await;
    let target = Installation::new(source.data_dir.clone(), Some(pg.url.clone()))
        .with_env(s3.env("yanxiu-files"));
    let url = pg.url.clone();
    restore_and_check(&target, &backup, root.path(), &before, async || {
        table_count(&url).await == 0
    })
    .await;

    // The restored installation backs up from the bucket: the same objects with the same checksums.
    let again = root.path().join("again");
    target.succeed(&["backup", again.to_str().expect("UTF-8 path")]);
    let objects = |dir: &Path| -> Value {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).expect("manifest"))
                .expect("JSON");
        manifest["objects"].clone()
    };
    assert_eq!(objects(&again), objects(&backup));
}

async fn recreate_database(url: &str) {
    let name = url
        .rsplit('/')
        .next()
        .and_then(|tail| tail.split('?').next())
        .expect("a database name")
        .to_string();
    let admin = Database::connect(PgDatabase::base_url().as_str())
        .await
        .expect("connect to PostgreSQL");
    admin
        .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .await
        .expect("drop");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create");
    let _ = admin.close().await;
}

async fn table_count(url: &str) -> i64 {
    let db = Database::connect(url).await.expect("connect");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = 'public'",
        ))
        .await
        .expect("count")
        .expect("a row");
    let _ = db.close().await;
    row.try_get::<i64>("", "n").expect("n")
}

/// A backup taken before this version's last migration restores and is then migrated: the database is built up
/// to the migration before the last, backed up, wiped and restored.
async fn older_backup_is_migrated(database_url: Option<String>, root: &Path) {
    use migration::{Migrator, MigratorTrait};
    let data_dir = root.join("data");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    let url = database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", data_dir.join("yanxiu.db").display()));
    let all = Migrator::migrations();
    let previous = all[all.len() - 2].name().to_string();
    let latest = all[all.len() - 1].name().to_string();
    let db = yanxiu::platform::db::connect(&url, 1, yanxiu::platform::config::DatabasePooler::None)
        .await
        .expect("connect");
    Migrator::up(&db, Some(u32::try_from(all.len() - 1).expect("count")))
        .await
        .expect("migrate to the one before the last");
    db.close().await.expect("close");

    let installation = Installation::new(data_dir.clone(), database_url.clone());
    let backup = root.join("backup");
    let out = installation.succeed(&["backup", backup.to_str().expect("UTF-8 path")]);
    assert!(
        out.contains(&format!("(migration {previous})")),
        "expected {previous}: {out}"
    );
    match &database_url {
        Some(url) => recreate_database(url).await,
        None => std::fs::remove_file(data_dir.join("yanxiu.db")).expect("wipe"),
    }
    let out = installation.succeed(&["restore", backup.to_str().expect("UTF-8 path")]);
    assert!(
        out.contains(&format!("at migration {latest} (migrated from {previous})")),
        "{out}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_backup_is_migrated_sqlite() {
    let root = tempfile::tempdir().expect("temp dir");
    older_backup_is_migrated(None, root.path()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn older_backup_is_migrated_postgres() {
    let root = tempfile::tempdir().expect("temp dir");
    let pg = PgDatabase::create().await;
    older_backup_is_migrated(Some(pg.url.clone()), root.path()).await;
}
