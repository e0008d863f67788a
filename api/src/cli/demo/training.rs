//! Programs, the quota cascade, enrolments in every state, hours with 补录 approved, rejected and pending, and the
//! completions (with their certificates) that follow.
use bytes::Bytes;
use serde_json::json;

use super::{
    accounts::{self, CHENGDU, JINJIANG, MIANYANG},
    directory::{Directory, TEACHERS_PER_SCHOOL, counties_of},
    steps::{CITY_PROGRAM, PROVINCE_PROGRAM, days_ago, failed, input, this_year},
};
use crate::{
    AppState,
    auth::Principal,
    files::{self, FilePurpose},
    training::{enrollments, hours, programs, quotas},
};

/// The programs of the demo year.
pub struct Programs {
    pub province: i64,
    /// The province program's approved enrolments of the demo school's account holders, in account order.
    pub school_enrolments: Vec<i64>,
}

/// A minimal PDF: 补录 evidence must be a real document.
const EVIDENCE_PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub async fn build(state: &AppState, directory: &Directory) -> anyhow::Result<Programs> {
    let province = accounts::principal(state, accounts::PROVINCE_ADMIN).await?;
    let city = accounts::principal(state, accounts::CITY_ADMIN).await?;
    let county = accounts::principal(state, accounts::COUNTY_ADMIN).await?;
    let school = accounts::principal(state, accounts::SCHOOL_ADMIN).await?;
    let mianyang = accounts::principal(state, accounts::MIANYANG_ADMIN).await?;

    let province_program = create_program(state, &province, province_program_body()).await?;
    let jinjiang_schools = schools_of(directory, JINJIANG);
    allocate(state, &province, province_program, CHENGDU, 600).await?;
    allocate(state, &province, province_program, MIANYANG, 400).await?;
    allocate(state, &city, province_program, JINJIANG, 60).await?;
    for code in &jinjiang_schools {
        allocate(state, &county, province_program, code, 12).await?;
    }
    let mianyang_county = counties_of(&state.regions, MIANYANG)
        .first()
        .map(|c| c.code.clone())
        .ok_or_else(|| anyhow::anyhow!("绵阳市 has no county"))?;
    let mianyang_school = schools_of(directory, &mianyang_county)
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no demo school in {mianyang_county}"))?;
    allocate(state, &mianyang, province_program, &mianyang_county, 30).await?;
    allocate(state, &mianyang, province_program, &mianyang_school, 10).await?;

    // Every teacher of the 锦江区 schools and of one 绵阳市 school is assigned, with hours of their own.
    let mut school_enrolments = Vec::new();
    for code in &jinjiang_schools {
        let enrolled = assign_school(state, &county, directory, province_program, code).await?;
        if *code == accounts::jinjiang_school() {
            school_enrolments = enrolled.clone();
        }
        credit_course_hours(state, &county, &enrolled).await?;
    }
    let enrolled = assign_school(
        state,
        &mianyang,
        directory,
        province_program,
        &mianyang_school,
    )
    .await?;
    credit_course_hours(state, &mianyang, &enrolled).await?;
    supplements(state, &school, &school_enrolments).await?;
    withdraw_one(state, &school, &school_enrolments).await?;

    let city_program = create_program(state, &city, city_program_body()).await?;
    allocate(state, &city, city_program, JINJIANG, 40).await?;
    allocate(
        state,
        &county,
        city_program,
        &accounts::jinjiang_school(),
        10,
    )
    .await?;
    applications(state, &school, &county, city_program).await?;
    println!(
        "programs: {PROVINCE_PROGRAM} (assigned), {CITY_PROGRAM} (free choice), quotas down to the schools"
    );
    Ok(Programs {
        province: province_program,
        school_enrolments: school_enrolments.into_iter().take(4).collect(),
    })
}

fn province_program_body() -> serde_json::Value {
    json!({
        "name": PROVINCE_PROGRAM, "level": "provincial", "kind": "信息技术应用能力提升",
        "year": this_year(), "enrolment_mode": "assigned",
        "hour_rule": { "kind": "cumulative" }, "completion": { "required_hours": 50 },
        "owner_code": accounts::PROVINCE, "seats": 2000,
    })
}

fn city_program_body() -> serde_json::Value {
    json!({
        "name": CITY_PROGRAM, "level": "city", "kind": "信息化教学创新",
        "year": this_year(), "enrolment_mode": "free",
        "hour_rule": { "kind": "cumulative" }, "completion": { "required_hours": 30 },
        "owner_code": CHENGDU, "seats": 300,
    })
}

/// Creates and publishes a program as its owner's administrator.
async fn create_program(
    state: &AppState,
    owner: &Principal,
    body: serde_json::Value,
) -> anyhow::Result<i64> {
    let created = programs::create(state, owner, input(body)?)
        .await
        .map_err(failed("program"))?;
    programs::publish(&state.db, owner, created.id)
        .await
        .map_err(failed("publish program"))?;
    Ok(created.id)
}

/// Hands `seats` of a program down to a node, as the administrator of its parent.
async fn allocate(
    state: &AppState,
    giver: &Principal,
    program: i64,
    node: &str,
    seats: i32,
) -> anyhow::Result<()> {
    quotas::allocate(
        state,
        giver,
        program,
        node,
        input(json!({ "seats": seats }))?,
    )
    .await
    .map_err(failed("quota"))?;
    Ok(())
}

/// The demo school codes of a county.
fn schools_of(directory: &Directory, county: &str) -> Vec<String> {
    directory
        .schools
        .iter()
        .filter(|s| s.county_code == county)
        .map(|s| s.code.clone())
        .collect()
}

/// Assigns every teacher of a school to the program; returns the enrolments in teacher order.
async fn assign_school(
    state: &AppState,
    admin: &Principal,
    directory: &Directory,
    program: i64,
    school_code: &str,
) -> anyhow::Result<Vec<i64>> {
    let first = directory.first_teacher_of(school_code);
    let mut enrolled = Vec::new();
    for n in 0..TEACHERS_PER_SCHOOL as usize {
        let t = directory.teacher(state, first + n).await?;
        let e = enrollments::enroll(
            &state.db,
            admin,
            program,
            input(json!({ "teacher_id": t.id }))?,
        )
        .await
        .map_err(failed("assignment"))?;
        enrolled.push(e.id);
    }
    Ok(enrolled)
}

/// Course hours, different per teacher: the first two of each school complete the program (50 h and more),
/// the others are on their way; the last has none yet (报到 only).
async fn credit_course_hours(
    state: &AppState,
    admin: &Principal,
    enrolled: &[i64],
) -> anyhow::Result<()> {
    const HOURS: [(f64, f64); 8] = [
        (30.0, 20.0),
        (36.0, 18.0),
        (20.0, 4.0),
        (12.0, 6.0),
        (16.0, 0.0),
        (24.0, 12.0),
        (8.0, 2.5),
        (0.0, 0.0),
    ];
    for (&enrolment, (online, centralized)) in enrolled.iter().zip(HOURS) {
        let e = enrollments::get(&state.db, admin, enrolment)
            .await
            .map_err(failed("enrolment"))?;
        for (category, hours, days) in [("online", online, 120), ("centralized", centralized, 60)] {
            if hours > 0.0 {
                let body = json!({
                    "teacher_id": e.teacher_id, "enrollment_id": enrolment, "category": category,
                    "hours": hours, "occurred_on": days_ago(days), "source": "course",
                    "note": "平台学习记录",
                });
                hours::record(state, admin, input(body)?)
                    .await
                    .map_err(failed("course hours"))?;
            }
        }
    }
    Ok(())
}

/// 补录 filed by the demo school's teachers with a scanned proof: one approved, one rejected with its reason,
/// two waiting for the school.
async fn supplements(
    state: &AppState,
    school: &Principal,
    enrolments: &[i64],
) -> anyhow::Result<()> {
    let mut filed = Vec::new();
    let teachers = std::iter::once(accounts::TEACHER).chain(accounts::CLASSMATES);
    for (username, &enrolment) in teachers.zip(enrolments) {
        let teacher = accounts::principal(state, username).await?;
        let proof = files::upload(
            state,
            &teacher,
            FilePurpose::Evidence,
            "校外培训结业证明.pdf",
            futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(EVIDENCE_PDF))]),
        )
        .await
        .map_err(failed("evidence upload"))?;
        let body = json!({
            "enrollment_id": enrolment, "category": "practice", "hours": 6,
            "occurred_on": days_ago(30), "source": "supplement",
            "note": "参加区教研活动：信息技术与学科融合课例研讨", "evidence": [proof.id],
        });
        let entry = hours::record(state, &teacher, input(body)?)
            .await
            .map_err(failed("补录"))?;
        filed.push(entry.id);
    }
    if let [approved, rejected, ..] = filed[..] {
        hours::decide(
            state,
            school,
            approved,
            input(json!({ "decision": "approve" }))?,
        )
        .await
        .map_err(failed("补录 approval"))?;
        let body = json!({ "decision": "reject", "reason": "证明材料未加盖培训单位公章，请补充后重新提交" });
        hours::decide(state, school, rejected, input(body)?)
            .await
            .map_err(failed("补录 rejection"))?;
    }
    Ok(())
}

/// The school withdraws the enrolment of its teacher who left for a long study leave (撤销).
async fn withdraw_one(
    state: &AppState,
    school: &Principal,
    enrolments: &[i64],
) -> anyhow::Result<()> {
    let Some(&last) = enrolments.last() else {
        return Ok(());
    };
    let body = json!({ "reason": "该教师本学年外出跟岗学习，无法参加培训" });
    enrollments::withdraw(&state.db, school, last, input(body)?)
        .await
        .map_err(failed("withdrawal"))?;
    Ok(())
}

/// The demo teachers apply to the free-choice program and are decided on at every stage: approved by school
/// and county, waiting for the school, waiting for the county, and rejected by the school.
async fn applications(
    state: &AppState,
    school: &Principal,
    county: &Principal,
    program: i64,
) -> anyhow::Result<()> {
    let approve = || input::<enrollments::DecisionRequest>(json!({ "decision": "approve" }));
    let mut applied = Vec::new();
    for username in std::iter::once(accounts::TEACHER).chain(accounts::CLASSMATES) {
        let teacher = accounts::principal(state, username).await?;
        let e = enrollments::enroll(&state.db, &teacher, program, input(json!({}))?)
            .await
            .map_err(failed("application"))?;
        applied.push(e.id);
    }
    // The second application is left waiting for the school.
    let [approved, _, awaiting_county, rejected] = applied[..] else {
        anyhow::bail!("four applications expected");
    };
    for id in [approved, awaiting_county] {
        enrollments::decide(&state.db, school, id, approve()?)
            .await
            .map_err(failed("school decision"))?;
    }
    enrollments::decide(&state.db, county, approved, approve()?)
        .await
        .map_err(failed("county decision"))?;
    let body = json!({ "decision": "reject", "reason": "本校名额已满，请报名下一期" });
    enrollments::decide(&state.db, school, rejected, input(body)?)
        .await
        .map_err(failed("rejection"))?;
    Ok(())
}
