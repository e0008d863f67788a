//! 能力点: the province fills the catalogue's cards and publishes it, the demo school plans its year, and its
//! teachers' evidence stands at every stage — waiting for the school's reviewer, graded 优秀, 合格 and 不合格 (with
//! the comment that grade needs), and resubmitted after the 不合格.
use serde_json::json;

use super::{
    accounts,
    steps::{failed, input, this_year},
};
use crate::{
    AppState,
    auth::Principal,
    competency::{
        catalogue::{self, CatalogStatus},
        evidence, plans,
    },
};

/// How the shipped draft marks a card the province has not named yet.
const UNNAMED: &str = "（待省级填写）";

/// The points of the demo school's plan (code, 必修).
const PLAN: [(&str, bool); 5] = [
    ("A1", true),
    ("A3", false),
    ("A5", false),
    ("B3", false),
    ("C4", false),
];

pub async fn build(state: &AppState) -> anyhow::Result<()> {
    let province = accounts::principal(state, accounts::PROVINCE_ADMIN).await?;
    if !publish_catalogue(state, &province).await? {
        println!(
            "能力点: a catalogue is already published; the demo plan and evidence are left out"
        );
        return Ok(());
    }
    let school = accounts::principal(state, accounts::SCHOOL_ADMIN).await?;
    let body = json!({
        "school_code": accounts::jinjiang_school(), "year": this_year(), "required_passes": 3,
        "points": PLAN.iter().map(|(c, k)| json!({ "code": c, "compulsory": k })).collect::<Vec<_>>(),
    });
    plans::save(&state.db, &school, input(body)?)
        .await
        .map_err(failed("能力点 plan"))?;
    evidence_at_every_stage(state).await?;
    println!(
        "能力点: catalogue published, the school's plan, evidence waiting, 优秀, 合格, 不合格 and resubmitted"
    );
    Ok(())
}

/// Fills every card of the shipped draft (keeping the names it has) and publishes it. False when another
/// catalogue is already published (a real one, on a forced run): the demo then leaves 能力点 alone.
async fn publish_catalogue(state: &AppState, province: &Principal) -> anyhow::Result<bool> {
    if catalogue::current(&state.db)
        .await
        .map_err(failed("catalogue"))?
        .is_some()
    {
        return Ok(false);
    }
    let drafts = catalogue::list(&state.db, province, Some(CatalogStatus::Draft), None, None)
        .await
        .map_err(failed("catalogue drafts"))?;
    let Some(draft) = drafts.items.first() else {
        return Ok(false);
    };
    let points = catalogue::points_of(&state.db, draft.id)
        .await
        .map_err(failed("catalogue points"))?;
    let dimensions = ["analysis", "design", "guidance", "assessment"];
    for (i, point) in points.iter().enumerate() {
        // Only five names are confirmed; the demo names the others as demo cards rather than inventing them.
        let name = if point.name.ends_with(UNNAMED) {
            format!("{}（演示卡片）", point.code)
        } else {
            point.name.clone()
        };
        let card = json!({
            "name": name, "dimension": dimensions[i % 4],
            "description": format!("{name}：运用信息技术开展教学的一项微能力。"),
            "evidence_items": [
                { "key": "design", "name": "教学设计", "required": true },
                { "key": "reflection", "name": "教学反思", "required": false },
            ],
            "excellent_criteria": ["设计新颖，技术运用恰当有效", "反思深入，有改进措施"],
            "pass_criteria": ["材料完整", "技术运用符合教学需要"],
        });
        catalogue::update_point(state, province, draft.id, &point.code, input(card)?)
            .await
            .map_err(failed("catalogue card"))?;
    }
    catalogue::publish(state, province, draft.id)
        .await
        .map_err(failed("catalogue publish"))?;
    Ok(true)
}

/// A teacher's evidence for one point.
async fn submit(
    state: &AppState,
    teacher: &Principal,
    code: &str,
    text: &str,
) -> anyhow::Result<i64> {
    let body = json!({
        "year": this_year(), "code": code,
        "items": [
            { "key": "design", "text": text },
            { "key": "reflection", "text": "课后反思：技术环节节省了讲解时间，学生的参与更充分。" },
        ],
    });
    let s = evidence::submit(&state.db, teacher, input(body)?)
        .await
        .map_err(failed("能力点 evidence"))?;
    Ok(s.id)
}

/// The school reviewer's checklist: all 优秀 criteria met, only the 合格 ones, or not even those.
async fn review(
    state: &AppState,
    reviewer: &Principal,
    id: i64,
    excellent: bool,
    pass: bool,
) -> anyhow::Result<()> {
    let comment = (!pass).then_some("教学设计缺少信息技术应用的具体环节，请补充后重新提交。");
    let body =
        json!({ "excellent": [excellent, excellent], "pass": [pass, pass], "comment": comment });
    evidence::review(&state.db, reviewer, id, input(body)?)
        .await
        .map_err(failed("能力点 review"))?;
    Ok(())
}

async fn evidence_at_every_stage(state: &AppState) -> anyhow::Result<()> {
    let reviewer = accounts::principal(state, accounts::SCHOOL_REVIEWER).await?;
    let teacher = accounts::principal(state, accounts::TEACHER).await?;
    let design = "《分数的初步认识》：课前用问卷星做学情分析，课上依据数据分组。";
    let excellent = submit(state, &teacher, "A1", design).await?;
    review(state, &reviewer, excellent, true, true).await?;
    let passed = submit(state, &teacher, "A3", "用演示文稿呈现分数的意义。").await?;
    review(state, &reviewer, passed, false, true).await?;
    let failed_once = submit(state, &teacher, "A5", "课堂导入。").await?;
    review(state, &reviewer, failed_once, false, false).await?;
    submit(
        state,
        &teacher,
        "A5",
        "用动画情境导入：小熊分饼，引出平均分。",
    )
    .await?;
    submit(
        state,
        &teacher,
        "B3",
        "探究活动《校园里的分数》设计与学习单。",
    )
    .await?;

    let classmate = accounts::principal(state, accounts::CLASSMATES[0]).await?;
    let refused = submit(state, &classmate, "A1", "学情分析：期中成绩。").await?;
    review(state, &reviewer, refused, false, false).await?;
    submit(state, &classmate, "A3", "演示文稿《古诗两首》。").await?;
    Ok(())
}
