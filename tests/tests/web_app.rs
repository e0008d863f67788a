//! The web app the server carries: `index.html` for every page of the app (revalidated on each load), hashed
//! assets cached for a year and sent precompressed when the browser accepts it, a 404 — not `index.html` — for an
//! asset that does not exist, and `YANXIU_STATIC_DIR` taking precedence over the built-in copy. Also the readiness
//! probe that load balancers ask before sending traffic.
#![allow(clippy::unwrap_used)]

use std::io::Read;

use poem::http::Method;
use yanxiu_tests::*;

fn header(r: &Resp, name: &str) -> Option<String> {
    r.headers.get(name).map(|v| v.to_str().unwrap().to_string())
}

async fn fetch(app: &TestApp, path: &str, accept_encoding: Option<&str>) -> Resp {
    let headers: Vec<(&str, String)> = accept_encoding
        .map(|e| vec![("accept-encoding", e.to_string())])
        .unwrap_or_default();
    app.call_headers(Method::GET, path, None, &headers, None)
        .await
}

/// The first `/assets/….js` the page names.
fn script_of(index: &str) -> String {
    let start = index.find("/assets/").expect("index.html names its assets");
    let end = start + index[start..].find(".js").expect("a script asset") + 3;
    index[start..end].to_string()
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

both_engines!(
    the_built_in_web_app_is_served_with_caching_and_compression,
    |app: TestApp| async move {
        let index = fetch(&app, "/", None).await.expect(200);
        let html = String::from_utf8(index.bytes.clone()).unwrap();
        assert!(html.contains("<div id=\"root\">"), "{html}");
        assert!(index.content_type().starts_with("text/html"));
        assert_eq!(header(&index, "cache-control").as_deref(), Some("no-cache"));

        // A page of the app reloaded in the browser is the same index.html.
        let page = fetch(&app, "/programs/12", None).await.expect(200);
        assert_eq!(page.bytes, index.bytes);
        assert_eq!(header(&page, "cache-control").as_deref(), Some("no-cache"));

        let script = script_of(&html);
        let plain = fetch(&app, &script, None).await.expect(200);
        assert!(plain.content_type().starts_with("text/javascript"));
        assert_eq!(
            header(&plain, "cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(header(&plain, "content-encoding"), None);

        let gzipped = fetch(&app, &script, Some("gzip, deflate"))
            .await
            .expect(200);
        assert_eq!(
            header(&gzipped, "content-encoding").as_deref(),
            Some("gzip")
        );
        assert_eq!(header(&gzipped, "vary").as_deref(), Some("Accept-Encoding"));
        assert_eq!(gunzip(&gzipped.bytes), plain.bytes);
        assert!(gzipped.bytes.len() < plain.bytes.len() / 2);

        let brotli = fetch(&app, &script, Some("gzip, deflate, br, zstd"))
            .await
            .expect(200);
        assert_eq!(header(&brotli, "content-encoding").as_deref(), Some("br"));
        assert!(brotli.bytes.len() < gzipped.bytes.len());
        // A browser refusing brotli gets gzip.
        let refused = fetch(&app, &script, Some("br;q=0, gzip")).await.expect(200);
        assert_eq!(
            header(&refused, "content-encoding").as_deref(),
            Some("gzip")
        );

        // After a redeploy, an old tab asks for chunks that are gone: a 404, never the HTML page.
        let gone = fetch(&app, "/assets/Programs-0ld0ld00.js", None)
            .await
            .expect(404);
        assert!(!gone.content_type().starts_with("text/html"));
        // Nothing outside the build is reachable.
        fetch(&app, "/assets/..%2f..%2fCargo.toml", None)
            .await
            .expect(404);
        // The API keeps its own JSON 404.
        let api = fetch(&app, "/api/no-such-thing", None).await.expect(404);
        assert!(
            api.content_type().contains("json"),
            "{}",
            api.content_type()
        );
    }
);

fn own_spa_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("yanxiu-own-spa-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>own build</title>",
    )
    .unwrap();
    std::fs::write(dir.join("assets/app-1234abcd.js"), "console.log('own');").unwrap();
    dir
}

both_engines!(
    a_static_directory_overrides_the_built_in_web_app,
    config = |c: &mut yanxiu::platform::config::Config| c.static_dir = Some(own_spa_dir()),
    |app: TestApp| async move {
        let index = fetch(&app, "/anything", Some("br, gzip")).await.expect(200);
        assert_eq!(index.text(), "<!doctype html><title>own build</title>");
        // No precompressed copy in this directory: sent as it is.
        let script = fetch(&app, "/assets/app-1234abcd.js", Some("br, gzip"))
            .await
            .expect(200);
        assert_eq!(header(&script, "content-encoding"), None);
        assert_eq!(script.text(), "console.log('own');");
        fetch(&app, "/assets/app-00000000.js", None)
            .await
            .expect(404);
    }
);

fn check<'a>(body: &'a serde_json::Value, item: &str) -> &'a serde_json::Value {
    body["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == item)
        .unwrap_or_else(|| panic!("no {item} check: {body}"))
}

// Checks on every call (no reuse of the last outcome), so each change below is seen at once.
both_engines!(
    readiness_names_what_is_missing,
    config = |c: &mut yanxiu::platform::config::Config| c.readiness_cache_seconds = 0,
    |app: TestApp| async move {
        use migration::{Migrator, MigratorTrait};
        let ready = app
            .call(Method::GET, "/api/ready", None, None)
            .await
            .expect(200);
        assert_eq!(ready.body["ready"], true, "{}", ready.body);
        for item in ["database", "migrations", "object_store", "ffprobe"] {
            assert_eq!(check(&ready.body, item)["ok"], true, "{}", ready.body);
        }
        // The probe's object is removed again.
        assert!(
            !app.dir
                .path()
                .join("files/readiness")
                .read_dir()
                .is_ok_and(|mut d| d.next().is_some())
        );

        // A database one migration behind this version: not ready, and the migration is named.
        Migrator::down(&app.db, Some(1)).await.unwrap();
        let behind = app
            .call(Method::GET, "/api/ready", None, None)
            .await
            .expect(503);
        assert_eq!(behind.body["ready"], false);
        let migrations = check(&behind.body, "migrations");
        assert_eq!(migrations["ok"], false);
        assert!(
            migrations["reason"]
                .as_str()
                .unwrap()
                .starts_with("not applied: m00"),
            "{}",
            behind.body
        );
        assert_eq!(check(&behind.body, "database")["ok"], true);
        Migrator::up(&app.db, None).await.unwrap();
        app.call(Method::GET, "/api/ready", None, None)
            .await
            .expect(200);
        // Liveness does not depend on readiness.
        app.call(Method::GET, "/api/health", None, None)
            .await
            .expect(200);
    }
);

both_engines!(
    readiness_fails_without_the_video_tool,
    config =
        |c: &mut yanxiu::platform::config::Config| c.ffprobe_path = "/nonexistent/ffprobe".into(),
    |app: TestApp| async move {
        let r = app
            .call(Method::GET, "/api/ready", None, None)
            .await
            .expect(503);
        let ffprobe = check(&r.body, "ffprobe");
        assert_eq!(ffprobe["ok"], false);
        assert!(
            ffprobe["reason"]
                .as_str()
                .unwrap()
                .contains("/nonexistent/ffprobe"),
            "{}",
            r.body
        );
        assert_eq!(check(&r.body, "object_store")["ok"], true);
    }
);

both_engines!(
    readiness_is_checked_once_per_period,
    config = |c: &mut yanxiu::platform::config::Config| c.readiness_cache_seconds = 2,
    |app: TestApp| async move {
        let ready = || async {
            app.call(Method::GET, "/api/ready", None, None)
                .await
                .expect(200)
                .body
        };
        // A flood of probes within the period: one check, the same outcome and time for all.
        let probes = futures_util::future::join_all((0..20).map(|_| ready())).await;
        let first = probes[0]["checked_at"].as_str().unwrap().to_string();
        for p in &probes {
            assert_eq!(p["checked_at"], first.as_str(), "{p}");
            assert_eq!(p["checks"].as_array().unwrap().len(), 4, "{p}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
        let later = ready().await;
        assert_ne!(
            later["checked_at"],
            first.as_str(),
            "checked again after the period"
        );
        let time = |v: &str| chrono::DateTime::parse_from_rfc3339(v).unwrap();
        assert!(time(later["checked_at"].as_str().unwrap()) > time(&first));
    }
);

both_engines!(
    readiness_without_reuse_checks_every_call,
    config = |c: &mut yanxiu::platform::config::Config| c.readiness_cache_seconds = 0,
    |app: TestApp| async move {
        let at = || async {
            app.call(Method::GET, "/api/ready", None, None)
                .await
                .expect(200)
                .body["checked_at"]
                .as_str()
                .unwrap()
                .to_string()
        };
        let a = at().await;
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        assert_ne!(a, at().await);
    }
);
