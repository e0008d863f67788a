//! 一师一优课: last year's activity, whose 锦江区 round is published with its awards, and this year's, whose county
//! round is under way — reviewers certified into the pool, lessons assigned, a draft score and a submitted one.
//! Lesson videos are short generated MP4s sent through the resumable upload (the real tus endpoints, in process,
//! as the teacher), so they are probed and get posters as any upload; without ffmpeg the lessons stay drafts.
use std::path::PathBuf;

use base64::Engine as _;
use bytes::Bytes;
use entity::{lesson_catalogue_node as node, lesson_rubric};
use poem::{Endpoint, Request, http::Method};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use super::{
    accounts,
    steps::{failed, input, this_year},
};
use crate::{
    AppState,
    auth::Principal,
    files::{self, FilePurpose},
    lessons::{
        activities, assignment, checking, lesson, pool, publicity, results, reviews, rounds,
    },
};

/// The catalogue both activities import: 小学 nodes of the subjects the demo school teaches.
const CATALOGUE_CSV: &str = "学段,学科,教材版本,年级,册次,章节,知识节点\n\
小学,数学,人教版,三年级,上册,第八单元 分数的初步认识,几分之一\n\
小学,数学,人教版,三年级,上册,第七单元 长方形和正方形,周长\n\
小学,语文,部编版,三年级,上册,第二单元,古诗三首\n\
小学,英语,人教版,三年级,上册,Unit 1,Hello\n\
小学,科学,教科版,三年级,上册,第一单元 水,水到哪里去了\n";

/// A design, courseware and exercise file (the three required items besides the video).
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// The 教学设计 of every demo lesson.
fn design() -> serde_json::Value {
    json!({
        "objectives": "理解几分之一的含义，会读写简单分数",
        "learner_analysis": "三年级学生已会平均分，初次接触分数",
        "key_points": "重点：几分之一的意义；难点：用分数表示图形的一部分",
        "activities": "情境导入（动画分饼）→ 动手折一折 → 平板上涂一涂并即时反馈 → 小结",
    })
}

/// (teacher account, catalogue node index, title) of this year's lessons; the last is sent back by the school.
const THIS_YEAR: [(&str, usize, &str); 4] = [
    (accounts::TEACHER, 0, "分一分，认识几分之一"),
    (accounts::CLASSMATES[0], 2, "古诗三首：山行"),
    (accounts::CLASSMATES[1], 3, "Hello! 英语课堂问候"),
    (accounts::CLASSMATES[2], 4, "水到哪里去了"),
];
/// Last year's lessons, all checked, reviewed and published.
const LAST_YEAR: [(&str, usize, &str); 3] = [
    (accounts::TEACHER, 1, "周长的认识"),
    (accounts::CLASSMATES[0], 2, "古诗三首：望天门山"),
    (accounts::CLASSMATES[1], 0, "几分之一（复习课）"),
];

pub async fn build(state: &AppState) -> anyhow::Result<()> {
    let video = match generated_video() {
        Ok(path) => {
            let bytes = std::fs::read(&path);
            let _ = std::fs::remove_file(&path);
            Some(bytes?)
        }
        Err(reason) => {
            println!(
                "note: 一师一优课 lessons are left as drafts without their video: {reason}. Install ffmpeg \
                 (apt-get install ffmpeg) for lessons that reach the review rounds."
            );
            None
        }
    };
    let county = accounts::principal(state, accounts::COUNTY_ADMIN).await?;
    certify_pool(state, &county).await?;

    let last_year = open_activity(state, this_year() - 1).await?;
    let lessons = make_lessons(state, last_year, &LAST_YEAR, video.as_deref()).await?;
    if video.is_none() {
        return Ok(());
    }
    check_all(state, &lessons, false).await?;
    let published = county_round(state, &county, last_year, "县级评审（上一年度）").await?;
    score_all(state, published).await?;
    results::close(state, &county, published)
        .await
        .map_err(failed("round close"))?;
    results::confirm(state, &county, published)
        .await
        .map_err(failed("round confirm"))?;
    publicity::publish(state, &county, published)
        .await
        .map_err(failed("round publish"))?;

    let this_year_activity = open_activity(state, this_year()).await?;
    let lessons = make_lessons(state, this_year_activity, &THIS_YEAR, video.as_deref()).await?;
    check_all(state, &lessons, true).await?;
    let running = county_round(state, &county, this_year_activity, "县级评审").await?;
    review_some(state, running).await?;
    println!(
        "一师一优课: last year's county round published with awards; this year's in review (draft and submitted \
         scores), one lesson sent back by the school"
    );
    Ok(())
}

/// The reviewers of the 锦江区 pool.
async fn certify_pool(state: &AppState, county: &Principal) -> anyhow::Result<()> {
    for username in [accounts::REVIEWER, accounts::REVIEWER_2] {
        let reviewer = accounts::principal(state, username).await?;
        let body = json!({ "account_id": reviewer.account_id });
        pool::certify(state, county, input(body)?)
            .await
            .map_err(failed("pool certification"))?;
    }
    Ok(())
}

/// An activity of `year` with its 小学 upload window open, and the catalogue imported.
async fn open_activity(state: &AppState, year: i32) -> anyhow::Result<i64> {
    let province = accounts::principal(state, accounts::PROVINCE_ADMIN).await?;
    let now = chrono::Utc::now();
    let body = json!({
        "year": year, "name": format!("{year}年“一师一优课、一课一名师”活动（演示）"),
        "windows": [{ "stage": "小学", "opens_at": (now - chrono::Duration::days(20)).to_rfc3339(),
                      "closes_at": (now + chrono::Duration::days(30)).to_rfc3339() }],
    });
    let activity = activities::save(&state.db, &province, None, input(body)?)
        .await
        .map_err(failed("lesson activity"))?;
    let report = activities::import_catalogue(
        &state.db,
        &province,
        activity.id,
        CATALOGUE_CSV.as_bytes(),
        false,
    )
    .await
    .map_err(failed("lesson catalogue"))?;
    anyhow::ensure!(report.committed, "the demo lesson catalogue did not import");
    Ok(activity.id)
}

/// Each teacher's lesson with its four required items; the school verifies the teachers. Returns (teacher
/// account, lesson id).
async fn make_lessons(
    state: &AppState,
    activity: i64,
    planned: &[(&'static str, usize, &str)],
    video: Option<&[u8]>,
) -> anyhow::Result<Vec<(&'static str, i64)>> {
    let nodes: Vec<i64> = node::Entity::find()
        .filter(node::Column::ActivityId.eq(activity))
        .order_by_asc(node::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    let school = accounts::principal(state, accounts::SCHOOL_ADMIN).await?;
    let mut made = Vec::new();
    for &(username, n, title) in planned {
        let teacher = accounts::principal(state, username).await?;
        let body = json!({
            "activity_id": activity, "catalogue_node_id": nodes[n], "title": title, "lesson_no": 1,
            "advisors": ["刘建华"], "design": design(),
        });
        let l = lesson::create(&state.db, &teacher, input(body)?)
            .await
            .map_err(failed("lesson"))?
            .summary
            .id;
        for (kind, name) in [
            ("design", "教学设计.pdf"),
            ("courseware", "课件及资源.pdf"),
            ("exercise", "评测练习.pdf"),
        ] {
            let f = upload_pdf(state, &teacher, name).await?;
            add_item(state, &teacher, l, kind, f).await?;
        }
        if let Some(bytes) = video {
            let f = resumable_upload(state, username, "课堂实录.mp4", bytes).await?;
            add_item(state, &teacher, l, "video", f).await?;
        }
        let teacher_id = teacher.teacher_id.unwrap_or_default();
        checking::set_verified(&state.db, &school, activity, teacher_id, true)
            .await
            .map_err(failed("teacher verification"))?;
        made.push((username, l));
    }
    Ok(made)
}

async fn upload_pdf(state: &AppState, teacher: &Principal, name: &str) -> anyhow::Result<i64> {
    let body = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(PDF))]);
    let f = files::upload(state, teacher, FilePurpose::Lesson, name, body)
        .await
        .map_err(failed("lesson file"))?;
    Ok(f.id)
}

async fn add_item(
    state: &AppState,
    teacher: &Principal,
    lesson_id: i64,
    kind: &str,
    file_id: i64,
) -> anyhow::Result<()> {
    lesson::add_item(
        state,
        teacher,
        lesson_id,
        input(json!({ "kind": kind, "file_id": file_id }))?,
    )
    .await
    .map_err(failed("lesson item"))?;
    Ok(())
}

/// The teachers submit; the school checks each lesson (审查), sending the last one back when `send_last_back`.
async fn check_all(
    state: &AppState,
    lessons: &[(&'static str, i64)],
    send_last_back: bool,
) -> anyhow::Result<()> {
    let school = accounts::principal(state, accounts::SCHOOL_ADMIN).await?;
    for (i, &(username, id)) in lessons.iter().enumerate() {
        let teacher = accounts::principal(state, username).await?;
        lesson::submit(&state.db, &teacher, id)
            .await
            .map_err(failed("lesson submit"))?;
        let body = if send_last_back && i + 1 == lessons.len() {
            json!({ "approved": false, "reason": "课堂实录后半段声音偏小，请重新录制或处理后再提交" })
        } else {
            json!({ "approved": true })
        };
        checking::check(state, &school, id, input(body)?)
            .await
            .map_err(failed("lesson check"))?;
    }
    Ok(())
}

/// A blind county round on the default rubric, two reviewers per lesson, assigned from the pool and started.
async fn county_round(
    state: &AppState,
    county: &Principal,
    activity: i64,
    name: &str,
) -> anyhow::Result<i64> {
    let rubric = lesson_rubric::Entity::find()
        .filter(lesson_rubric::Column::IsDefault.eq(true))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no default rubric"))?;
    let body = json!({
        "activity_id": activity, "level": "county", "name": name, "rubric_id": rubric.id,
        "reviewers_per_lesson": 2, "blind": true, "same_county_conflict": false, "aggregation": "mean",
        "spread_threshold": 15, "quota": { "kind": "fixed", "value": 2 },
        "deadline": (chrono::Utc::now() + chrono::Duration::days(14)).to_rfc3339(),
        "reminder_days": [1, 3], "publicity_days": 5,
    });
    let round = rounds::create(state, county, input(body)?)
        .await
        .map_err(failed("round"))?;
    assignment::auto_assign(&state.db, county, round.id)
        .await
        .map_err(failed("round assignment"))?;
    rounds::start(state, county, round.id)
        .await
        .map_err(failed("round start"))?;
    Ok(round.id)
}

/// Scores on the default (Wuhan, 100-point) rubric adding up to `total`, criterion by criterion.
fn scores(total: f64) -> serde_json::Value {
    let mut left = total;
    let criteria = [
        ("objectives", 10.0),
        ("strategy", 15.0),
        ("content", 20.0),
        ("methods", 20.0),
        ("effect", 20.0),
        ("assessment", 10.0),
        ("literacy", 5.0),
    ];
    let scored: Vec<serde_json::Value> = criteria
        .iter()
        .map(|(key, max)| {
            let points = f64::min(*max, left);
            left -= points;
            json!({ "key": key, "points": points })
        })
        .collect();
    json!(scored)
}

/// A reviewer's assignments in a round.
async fn assignments_of(
    state: &AppState,
    reviewer: &Principal,
    round: i64,
) -> anyhow::Result<Vec<i64>> {
    let page = reviews::list(&state.db, reviewer, Some(round), None, None, Some(100))
        .await
        .map_err(failed("review list"))?;
    Ok(page.items.into_iter().map(|a| a.assignment_id).collect())
}

async fn score(
    state: &AppState,
    reviewer: &Principal,
    assignment: i64,
    total: f64,
    submit: bool,
) -> anyhow::Result<()> {
    let body = json!({ "scores": scores(total), "comment": "目标清晰，信息技术与教学融合自然。", "submit": submit });
    reviews::save(&state.db, reviewer, assignment, input(body)?)
        .await
        .map_err(failed("review"))?;
    Ok(())
}

/// Both reviewers submit every assignment, close to each other so nothing is flagged.
async fn score_all(state: &AppState, round: i64) -> anyhow::Result<()> {
    for (r, username) in [accounts::REVIEWER, accounts::REVIEWER_2]
        .iter()
        .enumerate()
    {
        let reviewer = accounts::principal(state, username).await?;
        for (i, a) in assignments_of(state, &reviewer, round)
            .await?
            .into_iter()
            .enumerate()
        {
            score(state, &reviewer, a, 92.0 - 6.0 * i as f64 - r as f64, true).await?;
        }
    }
    Ok(())
}

/// The demo reviewer submits one lesson and leaves a draft on another; the rest wait.
async fn review_some(state: &AppState, round: i64) -> anyhow::Result<()> {
    let reviewer = accounts::principal(state, accounts::REVIEWER).await?;
    let mine = assignments_of(state, &reviewer, round).await?;
    if let [submitted, draft, ..] = mine[..] {
        score(state, &reviewer, submitted, 88.0, true).await?;
        score(state, &reviewer, draft, 80.0, false).await?;
    }
    Ok(())
}

/// A 30-minute 720×576 H.264/AAC colour-bar test pattern at one frame per second: a still picture keeps it
/// under 200 KB and a few seconds to make, made once per run.
fn generated_video() -> Result<PathBuf, String> {
    let out = std::env::temp_dir().join(format!("yanxiu-demo-{}.mp4", std::process::id()));
    let status = std::process::Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "smptebars=size=720x576:rate=1",
        ])
        .args(["-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1800"])
        .args([
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
        ])
        .args(["-c:a", "aac", "-b:a", "8k", "-movflags", "+faststart"])
        .arg(&out)
        .status()
        .map_err(|e| format!("ffmpeg cannot be run ({e})"))?;
    if !status.success() {
        return Err(format!("ffmpeg failed ({status})"));
    }
    Ok(out)
}

/// Sends `bytes` through the tus endpoints as `username` would from the lesson editor: sign in, create the
/// upload, PATCH it in chunks, read the stored file's id from its status.
async fn resumable_upload(
    state: &AppState,
    username: &str,
    name: &str,
    bytes: &[u8],
) -> anyhow::Result<i64> {
    let app = crate::app(state.clone());
    let signed_in = call(
        &app,
        Request::builder()
            .method(Method::POST)
            .uri_str("/api/auth/login")
            .content_type("application/json")
            .body(json!({ "username": username, "password": accounts::password() }).to_string()),
    )
    .await?;
    let token = signed_in["access_token"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("{username} could not sign in: {signed_in}"))?
        .to_string();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let created = app
        .get_response(
            Request::builder()
                .method(Method::POST)
                .uri_str("/api/uploads")
                .header("authorization", format!("Bearer {token}"))
                .header("tus-resumable", "1.0.0")
                .header("upload-length", bytes.len().to_string())
                .header(
                    "upload-metadata",
                    format!("filename {},purpose {}", b64(name), b64("lesson")),
                )
                .finish(),
        )
        .await;
    let location = created
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| anyhow::anyhow!("upload not created: {}", created.status()))?
        .to_string();
    const CHUNK: usize = 64 * 1024;
    for (i, chunk) in bytes.chunks(CHUNK).enumerate() {
        let patched = app
            .get_response(
                Request::builder()
                    .method(Method::PATCH)
                    .uri_str(&location)
                    .header("authorization", format!("Bearer {token}"))
                    .header("tus-resumable", "1.0.0")
                    .header("upload-offset", (i * CHUNK).to_string())
                    .content_type("application/offset+octet-stream")
                    .body(chunk.to_vec()),
            )
            .await;
        anyhow::ensure!(
            patched.status().is_success(),
            "upload PATCH refused: {} {}",
            patched.status(),
            patched.into_body().into_string().await.unwrap_or_default()
        );
    }
    let status = call(
        &app,
        Request::builder()
            .uri_str(format!("{location}/status"))
            .header("authorization", format!("Bearer {token}"))
            .finish(),
    )
    .await?;
    status["file"]["id"]
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("the upload stored no file: {status}"))
}

/// One in-process request; its JSON body.
async fn call(app: &impl Endpoint, req: Request) -> anyhow::Result<serde_json::Value> {
    let response = app.get_response(req).await;
    let text = response.into_body().into_string().await?;
    Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
}
