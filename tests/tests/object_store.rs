//! Uploaded files in an S3-compatible object store shared by two server instances (the production shape):
//! a real S3 protocol peer (moto's server, started here on a free port), real signed requests.
use std::{
    net::TcpListener,
    process::{Child, Command, Stdio},
    time::Duration,
};

use poem::{EndpointExt, test::TestClient};
use yanxiu_tests::*;

/// A moto S3 server on a free local port, stopped when dropped.
struct S3Server {
    child: Child,
    url: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_s3() -> S3Server {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server must be installed (pip install 'moto[server]'; .ci/run does it)");
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let up = eventually(Duration::from_secs(30), || {
        let http = http.clone();
        let url = url.clone();
        async move { http.get(&url).send().await.ok().map(|_| ()) }
    })
    .await;
    assert!(up.is_some(), "moto_server did not come up on {url}");
    // Buckets are made by the operator, not by Yanxiu.
    let made = http
        .put(format!("{url}/yanxiu-files"))
        .send()
        .await
        .expect("create bucket");
    assert!(
        made.status().is_success(),
        "create bucket: {}",
        made.status()
    );
    S3Server { child, url }
}

fn use_s3(config: &mut yanxiu::platform::config::Config, s3: &S3Server) {
    config.s3_bucket = Some("yanxiu-files".into());
    config.s3_endpoint = Some(s3.url.clone());
    config.s3_allow_http = true;
    config.s3_access_key_id = Some("testing".into());
    config.s3_secret_access_key = Some("testing".into());
}

#[tokio::test]
async fn two_instances_share_files_through_s3() {
    let s3 = start_s3().await;
    let app = TestApp::start(Engine::Postgres, |c| use_s3(c, &s3)).await;
    let admin = app.as_admin().await;
    let up = app
        .upload_file(&admin, "evidence", "结业证明.pdf", TINY_PDF)
        .await
        .expect(200);

    // The object is in the bucket, not on the instance's disk.
    let listing = reqwest::get(format!("{}/yanxiu-files?list-type=2", s3.url))
        .await
        .expect("list bucket")
        .text()
        .await
        .expect("listing");
    assert!(listing.contains("<Key>evidence/"), "{listing}");
    assert!(
        !app.dir.path().join("files").exists(),
        "nothing written to the local folder"
    );

    // A second instance on the same database and store serves the same file.
    let second = yanxiu::AppState::build(app.config.clone())
        .await
        .expect("second instance");
    let client = TestClient::new(yanxiu::app(second).map_to_response().boxed());
    let resp = client
        .get(format!("/api/files/{}/content", up.id()))
        .header("authorization", format!("Bearer {admin}"))
        .send()
        .await;
    resp.assert_status_is_ok();
    assert_eq!(resp.0.into_body().into_vec().await.expect("body"), TINY_PDF);
}
