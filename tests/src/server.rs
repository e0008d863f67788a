//! A real `yanxiu serve` process for black-box tests that stop and restart it: started on free ports with a data
//! dir and an optional database URL, asked to stop with SIGTERM, and watched until it exits.
use std::{
    path::Path,
    process::{Child, Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

use crate::{ADMIN_PASSWORD, PASSWORD_ONLY_SIGN_IN, binary, eventually, free_port};

/// A running `yanxiu serve`; killed on drop if it is still running.
pub struct ServeProcess {
    child: Child,
    pub port: u16,
    pub base: String,
    pub http: reqwest::Client,
}

impl ServeProcess {
    /// Starts `yanxiu serve` on a free port with `data_dir` (and `database_url` when given, else the SQLite file
    /// of the data dir), plus `extra` settings; returns once `/api/health` answers 200.
    pub async fn start(
        data_dir: &Path,
        database_url: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Self {
        let port = free_port();
        let mut cmd = Command::new(binary());
        cmd.arg("serve")
            .current_dir(data_dir)
            .env_remove("DATABASE_URL")
            .env_remove("YANXIU_DATABASE_URL")
            .env_remove("YANXIU_SMTP_URL")
            .env_remove("YANXIU_CONFIG")
            .env("YANXIU_DATA_DIR", data_dir)
            .env("YANXIU_BIND", format!("127.0.0.1:{port}"))
            .env("YANXIU_ADMIN_PASSWORD", ADMIN_PASSWORD)
            .env("YANXIU_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
            .env("YANXIU_LOG", "warn")
            .envs(PASSWORD_ONLY_SIGN_IN)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        if let Some(url) = database_url {
            cmd.env("YANXIU_DATABASE_URL", url);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        Self::launch(cmd, port).await
    }

    /// Spawns `cmd` (a `yanxiu serve` already bound to `port`) and returns once `/api/health` answers 200.
    pub async fn launch(mut cmd: Command, port: u16) -> Self {
        let child = cmd.spawn().expect("start yanxiu serve");
        let server = Self {
            child,
            port,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let up = eventually(Duration::from_secs(60), || async {
            let r = server
                .http
                .get(server.url("/api/health"))
                .send()
                .await
                .ok()?;
            (r.status() == 200).then_some(())
        })
        .await;
        assert!(
            up.is_some(),
            "yanxiu serve did not become healthy on {}",
            server.base
        );
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends SIGTERM and returns at once.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits up to `limit` for the process to exit: its status and how long the wait took, or None (then the
    /// process is killed).
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<(ExitStatus, Duration)> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some((status, started.elapsed()));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        None
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
