//! The database half of a backup: SQLite copied online with `VACUUM INTO`, PostgreSQL dumped with `pg_dump -Fc`
//! and put back with `pg_restore`.
use std::path::{Path, PathBuf};

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use super::manifest::Engine;

/// The last migration of this version's sequence that the database has applied (the sequence is not in name
/// order). A database with migrations this version does not know is refused: the manifest would misname it.
pub async fn last_migration(db: &DatabaseConnection) -> anyhow::Result<String> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT version FROM seaql_migrations",
        ))
        .await?;
    let applied = rows
        .iter()
        .map(|row| row.try_get::<String>("", "version"))
        .collect::<Result<std::collections::HashSet<_>, _>>()?;
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_string())
        .collect();
    let mut unknown: Vec<&String> = applied.iter().filter(|v| !known.contains(v)).collect();
    unknown.sort();
    anyhow::ensure!(
        unknown.is_empty(),
        "the database has migrations this Yanxiu ({}) does not know: {}; use the Yanxiu that serves it",
        env!("CARGO_PKG_VERSION"),
        unknown
            .iter()
            .map(|v| v.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    known
        .into_iter()
        .rev()
        .find(|name| applied.contains(name))
        .ok_or_else(|| anyhow::anyhow!("the database has no migration applied"))
}

/// How many tables the database has (in PostgreSQL's current schema): 0 is an empty database to restore into.
pub async fn table_count(db: &DatabaseConnection) -> anyhow::Result<i64> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()"
        }
        _ => "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'",
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?
        .ok_or_else(|| anyhow::anyhow!("no answer to the table count"))?;
    Ok(row.try_get::<i64>("", "n")?)
}

/// The file of a `sqlite:` URL (`sqlite://path?mode=rwc`, `sqlite:path`).
pub fn sqlite_file(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| anyhow::anyhow!("not a sqlite: URL"))?;
    let path = rest.split('?').next().unwrap_or_default();
    anyhow::ensure!(
        !path.is_empty() && !path.starts_with(":memory:"),
        "an in-memory SQLite database cannot be backed up or restored"
    );
    Ok(PathBuf::from(path))
}

/// A consistent copy of the live SQLite database at `dest` (which must not exist): `VACUUM INTO` reads one
/// snapshot, so a server may keep writing meanwhile.
pub async fn sqlite_copy(db: &DatabaseConnection, dest: &Path) -> anyhow::Result<()> {
    let target = dest
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("{} is not UTF-8", dest.display()))?
        .replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{target}'"))
        .await?;
    Ok(())
}

/// Puts the SQLite file `copy` in place of the database at `file`: written beside it under a temporary name,
/// then renamed over it, and the old write-ahead log removed so it cannot be replayed onto the copy. No server
/// may have the database open meanwhile (it would keep writing to the file it opened).
pub async fn sqlite_put_back(copy: &Path, file: &Path) -> anyhow::Result<()> {
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await?;
    }
    let partial = with_suffix(file, ".restoring");
    tokio::fs::copy(copy, &partial).await?;
    super::manifest::sync_file(&partial).await?;
    for suffix in ["-wal", "-shm"] {
        match tokio::fs::remove_file(with_suffix(file, suffix)).await {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    tokio::fs::rename(&partial, file).await?;
    Ok(())
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// `pg_dump` and `pg_restore` of the PostgreSQL client, checked against the server before they run.
pub struct PgTools {
    url: String,
    password: Option<String>,
}

impl PgTools {
    /// The tools for the database at `url`; its password goes to them through `PGPASSWORD`, not the command
    /// line, so that it does not show in the process list.
    pub fn new(url: &str) -> Self {
        let (url, password) = split_password(url);
        Self { url, password }
    }

    /// The major and full version of a client tool (`pg_dump (PostgreSQL) 15.20 (Debian …)` → 15, "15.20").
    pub async fn version(tool: &str) -> anyhow::Result<(u32, String)> {
        let out = tokio::process::Command::new(tool)
            .arg("--version")
            .output()
            .await
            .map_err(|e| {
                anyhow::anyhow!(
                    "{tool} is needed for a PostgreSQL backup and restore and could not be run: {e} \
                     (Debian: apt-get install postgresql-client)"
                )
            })?;
        let text = String::from_utf8_lossy(&out.stdout);
        parse_version(&text).ok_or_else(|| anyhow::anyhow!("{tool} --version said {text:?}"))
    }

    /// The server's major version (`server_version_num` 150020 → 15).
    pub async fn server_major(db: &DatabaseConnection) -> anyhow::Result<u32> {
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_setting('server_version_num')::int AS v",
            ))
            .await?
            .ok_or_else(|| anyhow::anyhow!("no server version"))?;
        Ok(u32::try_from(row.try_get::<i32>("", "v")? / 10000)?)
    }

    /// `pg_dump -Fc` of the database into `dest`; refused up front when pg_dump is older than the server
    /// (pg_dump itself would abort with "server version mismatch"). Returns pg_dump's version.
    pub async fn dump(&self, db: &DatabaseConnection, dest: &Path) -> anyhow::Result<String> {
        let (client, version) = Self::version("pg_dump").await?;
        let server = Self::server_major(db).await?;
        anyhow::ensure!(
            client >= server,
            "pg_dump {version} is older than the PostgreSQL {server} server and cannot dump it: install the \
             PostgreSQL {server} client (Debian: apt-get install postgresql-client-{server}) or put a newer \
             pg_dump first on PATH"
        );
        let mut cmd = self.command("pg_dump");
        cmd.arg("--format=custom").arg("--file").arg(dest);
        run(cmd, "pg_dump").await?;
        Ok(version)
    }

    /// `pg_restore` of the dump `src` into the (empty) database; refused up front when pg_restore is older than
    /// the pg_dump that wrote it (it could not read the archive).
    pub async fn restore(&self, src: &Path, written_by: Option<&str>) -> anyhow::Result<()> {
        let (client, version) = Self::version("pg_restore").await?;
        if let Some((dumped, _)) = written_by.and_then(parse_version) {
            anyhow::ensure!(
                client >= dumped,
                "pg_restore {version} is older than the pg_dump {} that wrote this backup: install the \
                 PostgreSQL {dumped} client (Debian: apt-get install postgresql-client-{dumped})",
                written_by.unwrap_or_default()
            );
        }
        let mut cmd = self.command("pg_restore");
        // Objects belong to whoever restores; the source's role names need not exist here.
        cmd.args(["--no-owner", "--no-privileges", "--exit-on-error"])
            .arg(src);
        run(cmd, "pg_restore").await
    }

    fn command(&self, tool: &str) -> tokio::process::Command {
        let mut cmd = tokio::process::Command::new(tool);
        cmd.arg(format!("--dbname={}", self.url));
        if let Some(password) = &self.password {
            cmd.env("PGPASSWORD", password);
        }
        cmd
    }
}

/// Drops every table, function and sequence of the current schema (a forced restore over a database that holds
/// data): the dump then lands in an empty schema, and migrations newer than the backup run on it afresh.
pub async fn pg_empty_schema(db: &DatabaseConnection) -> anyhow::Result<()> {
    db.execute_unprepared(
        "DO $$ DECLARE s text := current_schema(); BEGIN \
           EXECUTE format('DROP SCHEMA %I CASCADE', s); \
           EXECUTE format('CREATE SCHEMA %I', s); \
         END $$",
    )
    .await?;
    Ok(())
}

async fn run(mut cmd: tokio::process::Command, tool: &str) -> anyhow::Result<()> {
    let out = cmd.output().await?;
    anyhow::ensure!(
        out.status.success(),
        "{tool} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}

fn parse_version(text: &str) -> Option<(u32, String)> {
    let full = text
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let major = full.split('.').next()?.parse().ok()?;
    Some((major, full.to_string()))
}

/// `postgres://user:secret@host/db` → (`postgres://user@host/db`, the percent-decoded secret).
fn split_password(url: &str) -> (String, Option<String>) {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return (url.to_string(), None);
    };
    let authority_end = url[scheme_end..]
        .find(['/', '?'])
        .map_or(url.len(), |i| scheme_end + i);
    let Some(at) = url[scheme_end..authority_end].rfind('@') else {
        return (url.to_string(), None);
    };
    let userinfo = &url[scheme_end..scheme_end + at];
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    let stripped = format!("{}{user}{}", &url[..scheme_end], &url[scheme_end + at..]);
    (stripped, Some(percent_decode(password)))
}

/// A URL's password as written, percent-decoded (the request guard's decoder; `+` stays a plus).
fn percent_decode(text: &str) -> String {
    let (bytes, _) = crate::platform::request_guard::percent_decode(text, false);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The engine of the configured database, and the SQLite file when it is one.
pub fn engine_of(url: &str) -> anyhow::Result<(Engine, Option<PathBuf>)> {
    let engine = Engine::of_url(url)?;
    let file = match engine {
        Engine::Sqlite => Some(sqlite_file(url)?),
        Engine::Postgres => None,
    };
    Ok((engine, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_leaves_the_url_for_the_environment() {
        assert_eq!(
            split_password("postgres://yx:p%40ss@db:5432/yanxiu?sslmode=require"),
            (
                "postgres://yx@db:5432/yanxiu?sslmode=require".to_string(),
                Some("p@ss".to_string())
            )
        );
        assert_eq!(
            split_password("postgres://postgres@127.0.0.1:5432/test"),
            ("postgres://postgres@127.0.0.1:5432/test".to_string(), None)
        );
    }

    #[test]
    fn versions_and_sqlite_files_are_read_from_their_text() {
        assert_eq!(
            parse_version("pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)\n"),
            Some((15, "15.20".to_string()))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/yanxiu/yanxiu.db?mode=rwc").expect("a file"),
            PathBuf::from("/var/lib/yanxiu/yanxiu.db")
        );
        assert_eq!(
            sqlite_file("sqlite:data/yanxiu.db").expect("a file"),
            PathBuf::from("data/yanxiu.db")
        );
        assert!(sqlite_file("sqlite::memory:").is_err());
    }
}
