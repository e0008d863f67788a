//! The question bank's first questions and a quiz of the demo class: one teacher has handed it in (closed and
//! graded), another is in the middle of it (running).
use serde_json::json;

use super::{
    accounts,
    steps::{failed, input},
    training::Programs,
};
use crate::{
    AppState,
    assessment::{attempts, bank, quizzes},
    auth::Principal,
};

/// (kind, stem, options, answer key) of the demo questions.
fn questions() -> [(
    &'static str,
    &'static str,
    serde_json::Value,
    serde_json::Value,
); 4] {
    [
        (
            "single",
            "在多媒体教室中，用于将计算机画面投射到幕布上的设备是？",
            json!(["投影仪", "扫描仪", "打印机", "路由器"]),
            json!({ "choice": 0 }),
        ),
        (
            "multiple",
            "下列属于信息技术支持下“学情分析”常用工具的是？",
            json!(["在线问卷", "课堂即时反馈系统", "文字处理软件的字数统计"]),
            json!({ "choices": [0, 1] }),
        ),
        (
            "true_false",
            "能力点 A1 “技术支持的学情分析”属于多媒体教学环境。",
            json!([]),
            json!({ "value": true }),
        ),
        (
            "single",
            "混合式学习环境中，教师发布微课最适合在哪个环节？",
            json!(["课前预习", "期末考试", "家长会", "教研评比"]),
            json!({ "choice": 0 }),
        ),
    ]
}

pub async fn build(state: &AppState, programs: &Programs, class: i64) -> anyhow::Result<()> {
    let province = accounts::principal(state, accounts::PROVINCE_ADMIN).await?;
    let mut items = Vec::new();
    for (kind, stem, options, answer) in questions() {
        let body = json!({
            "kind": kind, "subject": "信息技术", "tags": ["能力提升2.0"], "difficulty": 2,
            "stem": stem, "options": options, "answer": answer,
            "explanation": "见《中小学教师信息技术应用能力提升工程2.0》能力点说明。", "points": 25,
        });
        let q = bank::create(state, &province, input(body)?)
            .await
            .map_err(failed("question"))?;
        items.push(json!({ "question_id": q.id }));
    }
    let body = json!({
        "title": "信息技术应用能力阶段测验", "class_id": class, "mode": "fixed", "items": items,
        "opens_at": (chrono::Utc::now() - chrono::Duration::days(7)).to_rfc3339(),
        "closes_at": (chrono::Utc::now() + chrono::Duration::days(60)).to_rfc3339(),
        "time_limit_minutes": 600, "attempts_allowed": 2, "pass_score": 60,
        "shuffle_options": false,
    });
    let quiz = quizzes::create(&state.db, &province, programs.province, input(body)?)
        .await
        .map_err(failed("quiz"))?;
    quizzes::publish(&state.db, &province, quiz.id)
        .await
        .map_err(failed("quiz publish"))?;
    let keys: Vec<(i64, serde_json::Value)> = items
        .iter()
        .filter_map(|i| i["question_id"].as_i64())
        .zip(questions().map(|(_, _, _, answer)| answer))
        .collect();
    let handed_in = accounts::principal(state, accounts::TEACHER).await?;
    answer(state, &handed_in, quiz.id, &keys, true).await?;
    let running = accounts::principal(state, accounts::CLASSMATES[0]).await?;
    answer(state, &running, quiz.id, &keys[..2], false).await?;
    println!("quiz: 4 questions, one attempt closed and graded, one running (closes in 10 hours)");
    Ok(())
}

/// Starts an attempt and answers `keys` (the first one wrongly, for a realistic score); hands it in if asked.
async fn answer(
    state: &AppState,
    teacher: &Principal,
    quiz: i64,
    keys: &[(i64, serde_json::Value)],
    hand_in: bool,
) -> anyhow::Result<()> {
    let attempt = attempts::start(&state.db, teacher, quiz)
        .await
        .map_err(failed("attempt"))?;
    for (n, (question, key)) in keys.iter().enumerate() {
        let response = if n == 0 {
            json!({ "choice": 1 })
        } else {
            key.clone()
        };
        attempts::save_answer(
            &state.db,
            teacher,
            attempt.id,
            *question,
            input(json!({ "response": response }))?,
        )
        .await
        .map_err(failed("answer"))?;
    }
    if hand_in {
        attempts::submit(&state.db, teacher, attempt.id)
            .await
            .map_err(failed("hand in"))?;
    }
    Ok(())
}
