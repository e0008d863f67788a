//! A real S3 protocol peer for the object-store tests: moto's server on a free local port, stopped when dropped.
use std::{
    process::{Child, Command, Stdio},
    time::Duration,
};

use yanxiu::platform::config::Config;

use crate::support::{eventually, free_port};

pub struct S3Server {
    child: Child,
    pub url: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl S3Server {
    /// Starts moto with the bucket `yanxiu-files` (buckets are made by the operator, not by Yanxiu).
    pub async fn start() -> Self {
        yanxiu::install_crypto_provider();
        let port = free_port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto_server must be installed (pip install 'moto[server]'; .ci/run does it)");
        let server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let up = eventually(Duration::from_secs(30), || {
            let http = http.clone();
            let url = server.url.clone();
            async move { http.get(&url).send().await.ok().map(|_| ()) }
        })
        .await;
        assert!(
            up.is_some(),
            "moto_server did not come up on {}",
            server.url
        );
        server.make_bucket("yanxiu-files").await;
        server
    }

    pub async fn make_bucket(&self, bucket: &str) {
        let made = reqwest::Client::new()
            .put(format!("{}/{bucket}", self.url))
            .send()
            .await
            .expect("create bucket");
        assert!(
            made.status().is_success(),
            "create bucket {bucket}: {}",
            made.status()
        );
    }

    /// `config` stores its files in `bucket` of this server.
    pub fn configure(&self, config: &mut Config, bucket: &str) {
        config.s3_bucket = Some(bucket.into());
        config.s3_endpoint = Some(self.url.clone());
        config.s3_allow_http = true;
        config.s3_access_key_id = Some("testing".into());
        config.s3_secret_access_key = Some("testing".into());
    }

    /// The same settings as `YANXIU_*` variables, for a `yanxiu` process.
    pub fn env(&self, bucket: &str) -> Vec<(String, String)> {
        [
            ("YANXIU_S3_BUCKET", bucket),
            ("YANXIU_S3_ENDPOINT", self.url.as_str()),
            ("YANXIU_S3_ALLOW_HTTP", "true"),
            ("YANXIU_S3_ACCESS_KEY_ID", "testing"),
            ("YANXIU_S3_SECRET_ACCESS_KEY", "testing"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }
}
