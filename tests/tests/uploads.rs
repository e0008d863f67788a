//! Resumable lesson uploads (tus 1.0 core + creation + termination at `/api/uploads`), their limits and quota,
//! the content check, video probing and posters, `Range` playback and playback links — on both engines.
//! The interrupted-PATCH test drives a real server over TCP and cuts the connection mid-body.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use base64::{Engine, engine::general_purpose::STANDARD};
use poem::http::Method;
use sea_orm::EntityTrait;
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;
use yanxiu_tests::*;

const TUS: (&str, &str) = ("tus-resumable", "1.0.0");

/// A teacher account in a new school: (token, teacher id).
async fn teacher(app: &TestApp, seq: u32) -> (String, i64) {
    let admin = app.as_admin().await;
    let school = app
        .create_school(
            &admin,
            &school_code(500 + seq),
            "510104",
            &format!("上传小学{seq}"),
        )
        .await;
    let code = school["code"].as_str().unwrap().to_string();
    let tid = app
        .post(
            "/api/teachers",
            &admin,
            &teacher_body(
                school["id"].as_i64().unwrap(),
                &format!("上传教师{seq}"),
                &id_card("510104", 700 + seq),
            ),
        )
        .await
        .expect(200)
        .id();
    let username = format!("up.t{seq}");
    app.create_account(&admin, &username, "teacher", &code, Some(tid))
        .await;
    (app.login(&username, PASSWORD).await, tid)
}

fn metadata(name: &str, purpose: &str) -> String {
    format!(
        "filename {},purpose {}",
        STANDARD.encode(name),
        STANDARD.encode(purpose)
    )
}

async fn create(app: &TestApp, token: &str, name: &str, length: usize) -> Resp {
    app.call_headers(
        Method::POST,
        "/api/uploads",
        Some(token),
        &[
            (TUS.0, TUS.1.into()),
            ("upload-length", length.to_string()),
            ("upload-metadata", metadata(name, "lesson")),
        ],
        None,
    )
    .await
}

/// Creates an upload and returns its location.
async fn location(app: &TestApp, token: &str, name: &str, length: usize) -> String {
    let r = create(app, token, name, length).await.expect(201);
    assert_eq!(r.headers["tus-resumable"], "1.0.0");
    let loc = r.headers["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with("/api/uploads/"), "{loc}");
    loc
}

async fn patch(app: &TestApp, token: &str, loc: &str, offset: usize, bytes: &[u8]) -> Resp {
    app.call_headers(
        Method::PATCH,
        loc,
        Some(token),
        &[
            (TUS.0, TUS.1.into()),
            ("upload-offset", offset.to_string()),
            ("content-type", "application/offset+octet-stream".into()),
        ],
        Some(bytes.to_vec()),
    )
    .await
}

async fn head(app: &TestApp, token: &str, loc: &str) -> Resp {
    app.call_headers(
        Method::HEAD,
        loc,
        Some(token),
        &[(TUS.0, TUS.1.into())],
        None,
    )
    .await
}

fn offset_of(r: &Resp) -> u64 {
    r.headers["upload-offset"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Sends `data` in `parts` PATCHes; returns the file id announced by the last one.
async fn upload_all(app: &TestApp, token: &str, loc: &str, data: &[u8], parts: usize) -> i64 {
    let step = data.len().div_ceil(parts);
    let mut offset = 0;
    let mut file_id = None;
    while offset < data.len() {
        let end = (offset + step).min(data.len());
        let r = patch(app, token, loc, offset, &data[offset..end])
            .await
            .expect(204);
        assert_eq!(offset_of(&r), end as u64);
        if end == data.len() {
            file_id = Some(
                r.headers["upload-file-id"]
                    .to_str()
                    .unwrap()
                    .parse()
                    .unwrap(),
            );
        } else {
            assert!(r.headers.get("upload-file-id").is_none());
        }
        offset = end;
    }
    file_id.unwrap()
}

/// A PDF-looking body of `n` bytes with varied content.
fn pdf_bytes(n: usize) -> Vec<u8> {
    let mut data = b"%PDF-1.7\n".to_vec();
    let mut x: u32 = 2463534242;
    while data.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        data.push((x & 0xff) as u8);
    }
    data
}

fn sha256(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

fn status_path(loc: &str) -> String {
    format!("{loc}/status")
}

both_engines!(
    upload_in_several_patches_then_range_reads,
    |app: TestApp| async move {
        let (token, tid) = teacher(&app, 1).await;
        let options = app
            .call_headers(Method::OPTIONS, "/api/uploads", None, &[], None)
            .await
            .expect(204);
        assert_eq!(options.headers["tus-version"], "1.0.0");
        assert_eq!(options.headers["tus-extension"], "creation,termination");
        assert_eq!(
            options.headers["tus-max-size"].to_str().unwrap(),
            app.config.lesson_upload_max_bytes.to_string()
        );

        let data = pdf_bytes(300_000);
        let loc = location(&app, &token, "教学设计.pdf", data.len()).await;
        let h = head(&app, &token, &loc).await.expect(200);
        assert_eq!(offset_of(&h), 0);
        assert_eq!(h.headers["upload-length"], data.len().to_string().as_str());
        assert_eq!(h.headers["cache-control"], "no-store");

        // The protocol's refusals: a wrong offset, no Tus-Resumable, another content type.
        patch(&app, &token, &loc, 5, &data[..10])
            .await
            .expect_problem(409, "offset_mismatch");
        app.call_headers(
            Method::PATCH,
            &loc,
            Some(&token),
            &[
                ("upload-offset", "0".into()),
                ("content-type", "application/offset+octet-stream".into()),
            ],
            Some(data[..10].to_vec()),
        )
        .await
        .expect_problem(412, "tus_version");
        app.call_headers(
            Method::PATCH,
            &loc,
            Some(&token),
            &[
                (TUS.0, TUS.1.into()),
                ("upload-offset", "0".into()),
                ("content-type", "application/octet-stream".into()),
            ],
            Some(data[..10].to_vec()),
        )
        .await
        .expect_problem(415, "unsupported_media_type");
        // A body past the announced length changes nothing.
        let mut too_long = data.clone();
        too_long.push(0);
        patch(&app, &token, &loc, 0, &too_long).await.expect(413);
        assert_eq!(offset_of(&head(&app, &token, &loc).await.expect(200)), 0);

        let status = app.get(&status_path(&loc), &token).await.expect(200);
        assert_eq!(status.body["complete"], false);
        assert_eq!(status.body["offset"], 0);

        let file_id = upload_all(&app, &token, &loc, &data, 3).await;
        // A PATCH after completion is refused.
        patch(&app, &token, &loc, data.len(), b"x")
            .await
            .expect(409);
        let status = app.get(&status_path(&loc), &token).await.expect(200);
        assert_eq!(status.body["complete"], true, "{}", status.text());
        assert_eq!(status.body["offset"], data.len());
        assert_eq!(status.body["file"]["id"], file_id);
        assert_eq!(status.body["file"]["purpose"], "lesson");
        assert_eq!(status.body["file"]["content_type"], "application/pdf");
        assert_eq!(status.body["file"]["sha256"], sha256(&data));
        assert_eq!(status.body["file"]["has_poster"], false);
        assert!(status.body["file"]["media"].is_null());
        let row = entity::file::Entity::find_by_id(file_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(row.teacher_id, Some(tid));
        assert!(app.count_rows("audit_log").await > 0);

        // Playback: the whole file, then ranges.
        let content = format!("/api/files/{file_id}/content");
        let full = app.get(&content, &token).await.expect(200);
        assert_eq!(full.bytes, data);
        assert_eq!(full.headers["accept-ranges"], "bytes");
        let range = |r: &'static str| {
            let (app, token, content) = (&app, token.clone(), content.clone());
            async move {
                app.call_headers(
                    Method::GET,
                    &content,
                    Some(&token),
                    &[("range", r.into())],
                    None,
                )
                .await
            }
        };
        let part = range("bytes=1000-1999").await.expect(206);
        assert_eq!(part.bytes, &data[1000..2000]);
        assert_eq!(
            part.headers["content-range"],
            format!("bytes 1000-1999/{}", data.len()).as_str()
        );
        assert_eq!(part.headers["content-length"], "1000");
        let tail = range("bytes=-100").await.expect(206);
        assert_eq!(tail.bytes, &data[data.len() - 100..]);
        let open = range("bytes=299990-").await.expect(206);
        assert_eq!(open.bytes, &data[299_990..]);
        let beyond = range("bytes=400000-").await;
        let beyond = beyond.expect_problem(416, "range_not_satisfiable");
        assert_eq!(
            beyond.headers["content-range"],
            format!("bytes */{}", data.len()).as_str()
        );

        // Termination: the session goes, the completed file stays.
        app.call_headers(
            Method::DELETE,
            &loc,
            Some(&token),
            &[(TUS.0, TUS.1.into())],
            None,
        )
        .await
        .expect(204);
        head(&app, &token, &loc).await.expect(404);
        app.get(&content, &token).await.expect(200);

        // An unfinished upload terminated: its bytes are gone from the quota and the session is not found.
        let loc = location(&app, &token, "课件.pptx", 1000).await;
        patch(&app, &token, &loc, 0, b"PK\x03\x04 part of a deck")
            .await
            .expect(204);
        app.call_headers(
            Method::DELETE,
            &loc,
            Some(&token),
            &[(TUS.0, TUS.1.into())],
            None,
        )
        .await
        .expect(204);
        app.get(&status_path(&loc), &token).await.expect(404);
        assert_eq!(app.count_rows("uploads").await, 0);

        // The whole file in one PATCH (tus-js-client's default): its segment becomes the file.
        let whole = pdf_bytes(70_000);
        let loc = location(&app, &token, "整份.pdf", whole.len()).await;
        let id = upload_all(&app, &token, &loc, &whole, 1).await;
        let got = app
            .get(&format!("/api/files/{id}/content"), &token)
            .await
            .expect(200);
        assert_eq!(got.bytes, whole);
        let view = app
            .get(&format!("/api/files/{id}"), &token)
            .await
            .expect(200);
        assert_eq!(view.body["sha256"], sha256(&whole));
        let left = walk(&app.dir.path().join("files").join("uploads"));
        assert!(left.is_empty(), "no segments left: {left:?}");
    }
);

both_engines!(others_cannot_see_an_upload, |app: TestApp| async move {
    let (token, _) = teacher(&app, 1).await;
    let (other, _) = teacher(&app, 2).await;
    let loc = location(&app, &token, "a.pdf", 100).await;
    head(&app, &other, &loc).await.expect(404);
    patch(&app, &other, &loc, 0, b"%PDF-")
        .await
        .expect_problem(404, "not_found");
    app.get(&status_path(&loc), &other)
        .await
        .expect_problem(404, "not_found");
    app.call_headers(
        Method::DELETE,
        &loc,
        Some(&other),
        &[(TUS.0, TUS.1.into())],
        None,
    )
    .await
    .expect(404);
    // Without a token: 401.
    app.call_headers(Method::HEAD, &loc, None, &[(TUS.0, TUS.1.into())], None)
        .await
        .expect(401);
    app.call_headers(
        Method::POST,
        "/api/uploads",
        None,
        &[(TUS.0, TUS.1.into()), ("upload-length", "10".into())],
        None,
    )
    .await
    .expect_problem(401, "unauthorized");
    head(&app, &token, &loc).await.expect(200);
    head(&app, &token, "/api/uploads/not-a-uuid")
        .await
        .expect(404);
});

both_engines!(
    limits_and_quota,
    config = |c: &mut yanxiu::platform::config::Config| {
        c.lesson_upload_max_bytes = 1_000_000;
        c.teacher_upload_quota_bytes = 2_000_000;
    },
    |app: TestApp| async move {
        let (token, _) = teacher(&app, 1).await;
        create(&app, &token, "big.mp4", 1_000_001)
            .await
            .expect_problem(413, "payload_too_large");
        let bad = |name: &'static str| {
            let (app, token) = (&app, token.clone());
            async move { create(app, &token, name, 10).await }
        };
        let r = bad("run.exe").await.expect_problem(400, "invalid_upload");
        assert_eq!(r.error_fields(), ["filename"]);
        bad("notes.txt").await.expect_problem(400, "invalid_upload");
        bad("").await.expect_problem(400, "invalid_upload");
        // No length, another purpose.
        app.call_headers(
            Method::POST,
            "/api/uploads",
            Some(&token),
            &[
                (TUS.0, TUS.1.into()),
                ("upload-metadata", metadata("a.pdf", "lesson")),
            ],
            None,
        )
        .await
        .expect_problem(400, "invalid_upload");
        app.call_headers(
            Method::POST,
            "/api/uploads",
            Some(&token),
            &[
                (TUS.0, TUS.1.into()),
                ("upload-length", "10".into()),
                ("upload-metadata", metadata("a.pdf", "evidence")),
            ],
            None,
        )
        .await
        .expect_problem(400, "invalid_upload");

        // Quota: a finished 900 kB file and a pending 900 kB upload leave no room for another 900 kB.
        let data = pdf_bytes(900_000);
        let loc = location(&app, &token, "一.pdf", data.len()).await;
        upload_all(&app, &token, &loc, &data, 2).await;
        let pending = location(&app, &token, "二.pdf", 900_000).await;
        let refused = create(&app, &token, "三.pdf", 900_000)
            .await
            .expect_problem(413, "payload_too_large");
        assert!(
            refused.body["detail"]
                .as_str()
                .unwrap()
                .contains("上传空间"),
            "{}",
            refused.text()
        );
        assert!(
            refused.body["detail"]
                .as_str()
                .unwrap()
                .contains("上传空间")
        );
        // Another teacher has their own quota; ending the pending upload frees its share.
        let (other, _) = teacher(&app, 2).await;
        location(&app, &other, "三.pdf", 900_000).await;
        app.call_headers(
            Method::DELETE,
            &pending,
            Some(&token),
            &[(TUS.0, TUS.1.into())],
            None,
        )
        .await
        .expect(204);
        location(&app, &token, "三.pdf", 900_000).await;
        // The small upload path counts against the same quota.
        let small = format!(
            "/api/files?purpose=lesson&name={}",
            utf8_percent("学情分析.pdf")
        );
        app.call_raw(
            Method::POST,
            &small,
            Some(&token),
            "application/octet-stream",
            pdf_bytes(300_000),
        )
        .await
        .expect_problem(413, "payload_too_large");
    }
);

both_engines!(content_must_match_the_name, |app: TestApp| async move {
    let (token, _) = teacher(&app, 1).await;
    // Found at the last byte: a PDF called .mp4, sent in one PATCH.
    let data = pdf_bytes(50_000);
    let loc = location(&app, &token, "课堂实录.mp4", data.len()).await;
    let r = patch(&app, &token, &loc, 0, &data)
        .await
        .expect_field_error("file");
    assert_eq!(
        r.body["errors"][0]["code"],
        "file_content_mismatch",
        "{}",
        r.text()
    );
    // Found at the first PATCH of a longer upload: refused before the rest is sent.
    let loc2 = location(&app, &token, "课件.pptx", data.len()).await;
    patch(&app, &token, &loc2, 0, &data[..1000])
        .await
        .expect_field_error("file");
    head(&app, &token, &loc).await.expect(404);
    head(&app, &token, &loc2).await.expect(404);
    assert_eq!(app.count_rows("files").await, 0, "nothing stored");
    assert_eq!(app.count_rows("uploads").await, 0);
    let leftovers = walk(&app.dir.path().join("files"));
    assert!(leftovers.is_empty(), "no bytes left behind: {leftovers:?}");
});

both_engines!(abandoned_uploads_expire, |app: TestApp| async move {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let (token, _) = teacher(&app, 1).await;
    let data = pdf_bytes(20_000);
    // One upload left half-way and one finished: only the first is abandoned.
    let stale = location(&app, &token, "半途.pdf", data.len()).await;
    patch(&app, &token, &stale, 0, &data[..5000])
        .await
        .expect(204);
    let done = location(&app, &token, "完成.pdf", data.len()).await;
    upload_all(&app, &token, &done, &data, 2).await;
    // Nothing is young enough to go yet.
    let expired = yanxiu::files::uploads::expire_abandoned(&app.state)
        .await
        .unwrap();
    assert_eq!(expired, 0);
    head(&app, &token, &stale).await.expect(200);
    // Two days untouched (the default expiry is 24 hours).
    let id = stale.rsplit('/').next().unwrap().to_string();
    let row = entity::upload::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut row: entity::upload::ActiveModel = row.into();
    row.updated_at = Set(chrono::Utc::now() - chrono::Duration::hours(48));
    row.update(&app.db).await.unwrap();
    let files_before = walk(&app.dir.path().join("files")).len();
    let expired = yanxiu::files::uploads::expire_abandoned(&app.state)
        .await
        .unwrap();
    assert_eq!(expired, 1);
    head(&app, &token, &stale).await.expect(404);
    head(&app, &token, &done).await.expect(200);
    assert_eq!(app.count_rows("uploads").await, 1);
    assert_eq!(
        walk(&app.dir.path().join("files")).len(),
        files_before - 1,
        "the abandoned segment is gone, the finished file stays"
    );
});

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// The app served over real TCP on loopback: its base address.
async fn serve(app: &TestApp) -> std::net::SocketAddr {
    use poem::listener::{Acceptor, Listener, TcpListener};
    let acceptor = TcpListener::bind("127.0.0.1:0")
        .into_acceptor()
        .await
        .unwrap();
    let addr = *acceptor.local_addr()[0].as_socket_addr().unwrap();
    let endpoint = yanxiu::app(app.state.clone());
    tokio::spawn(async move {
        poem::Server::new_with_acceptor(acceptor)
            .run(endpoint)
            .await
    });
    addr
}

both_engines!(
    an_interrupted_patch_keeps_what_arrived,
    |app: TestApp| async move {
        let (token, _) = teacher(&app, 1).await;
        let data = pdf_bytes(3_000_000);
        let loc = location(&app, &token, "课件.zip", data.len()).await;
        // The content check wants a zip: make it look like one.
        let mut data = data;
        data[..4].copy_from_slice(b"PK\x03\x04");
        patch(&app, &token, &loc, 0, &data[..500_000])
            .await
            .expect(204);

        // A PATCH announcing the rest, cut off after 1 MB: the connection drops mid-body.
        let addr = serve(&app).await;
        let mut tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head_lines = format!(
            "PATCH {loc} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n\
         Upload-Offset: 500000\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: {}\r\n\r\n",
            data.len() - 500_000
        );
        tcp.write_all(head_lines.as_bytes()).await.unwrap();
        tcp.write_all(&data[500_000..1_500_000]).await.unwrap();
        tcp.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        drop(tcp);

        let resumed_at = eventually(Duration::from_secs(10), || async {
            let h = head(&app, &token, &loc).await.expect(200);
            let o = offset_of(&h);
            (o > 500_000).then_some(o)
        })
        .await
        .expect("HEAD reports the bytes that arrived before the drop");
        assert!(resumed_at <= 1_500_000, "{resumed_at}");
        let at = resumed_at as usize;
        let r = patch(&app, &token, &loc, at, &data[at..]).await.expect(204);
        let file_id: i64 = r.headers["upload-file-id"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let got = app
            .get(&format!("/api/files/{file_id}/content"), &token)
            .await
            .expect(200);
        assert_eq!(got.bytes.len(), data.len());
        assert_eq!(sha256(&got.bytes), sha256(&data));
        let view = app
            .get(&format!("/api/files/{file_id}"), &token)
            .await
            .expect(200);
        assert_eq!(view.body["sha256"], sha256(&data));
        assert_eq!(view.body["content_type"], "application/zip");
    }
);

/// A 3-second 720×576 H.264/AAC MP4 made by ffmpeg (which the suite requires: missing is a failure).
fn make_mp4(dir: &std::path::Path) -> Vec<u8> {
    let out = dir.join("lesson.mp4");
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=720x576:rate=25",
            "-f",
            "lavfi",
            "-i",
            "sine",
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-c:a",
            "aac",
        ])
        .arg(&out)
        .status()
        .expect("ffmpeg must be installed (apt-get install ffmpeg; .ci/run does it)");
    assert!(status.success(), "ffmpeg failed to make the test video");
    std::fs::read(out).unwrap()
}

both_engines!(a_video_is_probed_and_played, |app: TestApp| async move {
    let (token, _) = teacher(&app, 1).await;
    let (other, _) = teacher(&app, 2).await;
    let video = make_mp4(app.dir.path());
    let loc = location(&app, &token, "课堂实录.mp4", video.len()).await;
    let file_id = upload_all(&app, &token, &loc, &video, 2).await;
    let view = app
        .get(&format!("/api/files/{file_id}"), &token)
        .await
        .expect(200);
    let media = &view.body["media"];
    assert_eq!(view.body["content_type"], "video/mp4");
    assert_eq!(media["video_codec"], "h264", "{}", view.text());
    assert_eq!(media["audio_codec"], "aac");
    assert_eq!(media["width"], 720);
    assert_eq!(media["height"], 576);
    let duration = media["duration_seconds"].as_f64().unwrap();
    assert!((2.5..3.5).contains(&duration), "{duration}");
    let check = |key: &str| {
        media["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .unwrap_or_else(|| panic!("no check {key}: {media}"))
            .clone()
    };
    for key in ["container_mp4", "video_h264", "audio_aac", "resolution"] {
        assert_eq!(check(key)["passed"], true, "{key}: {media}");
        assert_eq!(check(key)["advisory"], false);
    }
    assert_eq!(check("duration")["passed"], false);
    assert_eq!(check("duration")["required"], "≥ 1800 s");
    assert_eq!(check("bitrate")["advisory"], true);
    assert_eq!(media["passed"], false, "too short to compete");
    assert_eq!(view.body["has_poster"], true);

    let poster = app
        .get(&format!("/api/files/{file_id}/poster"), &token)
        .await
        .expect(200);
    assert_eq!(poster.content_type(), "image/jpeg");
    assert!(poster.bytes.starts_with(b"\xff\xd8\xff"));
    app.get(&format!("/api/files/{file_id}/poster"), &other)
        .await
        .expect(404);

    // A playback link: no bearer needed, ranges work, bound to the file and not forgeable.
    let link = app
        .post(
            &format!("/api/files/{file_id}/play-token"),
            &token,
            &serde_json::json!({}),
        )
        .await
        .expect(200);
    let url = link.body["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("/api/files/{file_id}/content?token=")));
    let played = app.call(Method::GET, &url, None, None).await.expect(200);
    assert_eq!(played.bytes, video);
    assert_eq!(played.content_type(), "video/mp4");
    let part = app
        .call_headers(
            Method::GET,
            &url,
            None,
            &[("range", "bytes=0-99".into())],
            None,
        )
        .await
        .expect(206);
    assert_eq!(part.bytes, &video[..100]);
    let poster_url = link.body["poster_url"].as_str().unwrap();
    app.call(Method::GET, poster_url, None, None)
        .await
        .expect(200);
    app.post(
        &format!("/api/files/{file_id}/play-token"),
        &other,
        &serde_json::json!({}),
    )
    .await
    .expect(404);

    let token_of = |u: &str| u.split("token=").nth(1).unwrap().to_string();
    let genuine = token_of(&url);
    let mut forged = genuine.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    let content = format!("/api/files/{file_id}/content");
    app.call(
        Method::GET,
        &format!("{content}?token={forged}"),
        None,
        None,
    )
    .await
    .expect_problem(401, "unauthorized");
    let me: i64 = genuine.split('.').nth(1).unwrap().parse().unwrap();
    let expired = yanxiu::files::content::sign_play_token(
        &app.state.keys,
        file_id,
        me,
        chrono::Utc::now() - chrono::Duration::seconds(1),
    );
    app.call(
        Method::GET,
        &format!("{content}?token={expired}"),
        None,
        None,
    )
    .await
    .expect_problem(401, "unauthorized");
    // A genuine link for another file does not open this one.
    let elsewhere = yanxiu::files::content::sign_play_token(
        &app.state.keys,
        file_id + 1000,
        me,
        chrono::Utc::now() + chrono::Duration::minutes(5),
    );
    app.call(
        Method::GET,
        &format!("{content}?token={elsewhere}"),
        None,
        None,
    )
    .await
    .expect(401);
    // A link minted for an account that may not read the file opens nothing either.
    let other_account = app.get("/api/me", &other).await.expect(200).body["id"]
        .as_i64()
        .unwrap();
    let stolen = yanxiu::files::content::sign_play_token(
        &app.state.keys,
        file_id,
        other_account,
        chrono::Utc::now() + chrono::Duration::minutes(5),
    );
    app.call(
        Method::GET,
        &format!("{content}?token={stolen}"),
        None,
        None,
    )
    .await
    .expect(404);
});

both_engines!(
    without_ffprobe_a_video_is_refused_with_the_reason,
    config =
        |c: &mut yanxiu::platform::config::Config| c.ffprobe_path = "/nonexistent/ffprobe".into(),
    |app: TestApp| async move {
        let (token, _) = teacher(&app, 1).await;
        let video = make_mp4(app.dir.path());
        let loc = location(&app, &token, "课堂实录.mp4", video.len()).await;
        let r = patch(&app, &token, &loc, 0, &video)
            .await
            .expect_problem(422, "video_tool_missing");
        assert_eq!(r.body["errors"][0]["field"], "file", "{}", r.text());
        assert!(r.text().contains("/nonexistent/ffprobe"), "{}", r.text());
        assert_eq!(app.count_rows("files").await, 0, "nothing stored");
        assert_eq!(app.count_rows("uploads").await, 0);
    }
);
