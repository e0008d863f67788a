//! A class of the province program with its tutor, the demo school's teachers placed in it, and a piece of
//! coursework with submissions graded (passed and sent back) and one waiting for the tutor.
use serde_json::json;

use super::{
    accounts,
    steps::{failed, input},
    training::Programs,
};
use crate::{AppState, training::classes, training::coursework};

pub async fn build(state: &AppState, programs: &Programs) -> anyhow::Result<i64> {
    let province = accounts::principal(state, accounts::PROVINCE_ADMIN).await?;
    let tutor = accounts::principal(state, accounts::TUTOR).await?;
    let body = json!({ "name": "锦江区信息技术应用能力提升1班", "institution": "四川师范大学" });
    let class = classes::create(&state.db, &province, programs.province, input(body)?)
        .await
        .map_err(failed("class"))?;
    let tutors = json!({ "account_ids": [tutor.account_id] });
    classes::set_tutors(&state.db, &province, class.id, input(tutors)?)
        .await
        .map_err(failed("class tutors"))?;
    let members = json!({ "enrollment_ids": programs.school_enrolments });
    classes::place(&state.db, &province, class.id, input(members)?)
        .await
        .map_err(failed("class members"))?;

    let deadline = (chrono::Utc::now() + chrono::Duration::days(30)).to_rfc3339();
    let body = json!({
        "class_id": class.id, "title": "信息化教学设计：一节融合课的设计与反思",
        "instructions": "选择本学期的一节课，提交教学设计（含信息技术应用环节）与课后反思，不少于800字。",
        "deadline": deadline, "category": "ict", "hours": 4,
    });
    let assignment = coursework::create(&state.db, &tutor, programs.province, input(body)?)
        .await
        .map_err(failed("coursework"))?;
    let texts = [
        "《分数的初步认识》教学设计：用交互式课件让学生拖动分割圆形……课后反思：学生参与度明显提高。",
        "《古诗两首》教学设计：用录音朗读与配乐……反思：信息技术环节偏多，需精简。",
        "《认识时间》教学设计：用希沃白板制作钟面互动……反思待补充。",
    ];
    let mut submitted = Vec::new();
    let teachers = std::iter::once(accounts::TEACHER).chain(accounts::CLASSMATES);
    for (username, text) in teachers.zip(texts) {
        let teacher = accounts::principal(state, username).await?;
        let body = json!({ "body": text, "attachments": [] });
        let s = coursework::submit(&state.db, &teacher, assignment.id, input(body)?)
            .await
            .map_err(failed("submission"))?;
        submitted.push(s.id);
    }
    if let [passed, returned, ..] = submitted[..] {
        let body =
            json!({ "score": 92, "passed": true, "comment": "设计完整，信息技术应用恰当。" });
        coursework::grade(state, &tutor, passed, input(body)?)
            .await
            .map_err(failed("grading"))?;
        let body = json!({ "score": 55, "passed": false, "comment": "反思过于简略，请补充学生反馈与改进措施后重新提交。" });
        coursework::grade(state, &tutor, returned, input(body)?)
            .await
            .map_err(failed("grading"))?;
    }
    println!(
        "class: 1 with its tutor and 4 teachers; coursework with 2 graded submissions and 1 awaiting"
    );
    Ok(class.id)
}
