//! Uploaded files in an S3-compatible object store shared by two server instances (the production shape):
//! a real S3 protocol peer (moto's server, started here on a free port), real signed requests.
use poem::{EndpointExt, test::TestClient};
use yanxiu_tests::{s3::S3Server, *};

#[tokio::test]
async fn two_instances_share_files_through_s3() {
    let s3 = S3Server::start().await;
    let app = TestApp::start(Engine::Postgres, |c| s3.configure(c, "yanxiu-files")).await;
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
