//! The demo year: what a province's year of training looks like, done through the same service functions the
//! API's handlers call, as the accounts whose work it is, so counters, audit entries, notifications and
//! completion are what real use would leave behind.
use chrono::{Datelike, NaiveDate, Utc};
use entity::{audit_log, program};
use poem_openapi::types::ParseFromJSON;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{competency, coursework, directory::Directory, lessons, quiz, training};
use crate::{
    AppState,
    platform::{
        audit::{self, AuditEvent},
        error::AppError,
    },
};

/// The province's assigned program.
pub const PROVINCE_PROGRAM: &str = "全省中小学教师信息技术应用能力提升工程2.0培训（演示）";
/// 成都市's free-choice program, applied for by teachers.
pub const CITY_PROGRAM: &str = "成都市信息化教学创新能力研修（演示，自主报名）";
/// Every program demo-data makes; any other is real data.
pub const PROGRAM_NAMES: [&str; 2] = [PROVINCE_PROGRAM, CITY_PROGRAM];

/// The audit action recorded when the year is complete: the audit log says demo data was made, and a second
/// run knows the year is there.
const BUILT: &str = "demo.year.built";

/// Builds the year once. A year begun but not finished (a run that failed part-way) is reported, not repeated.
pub async fn build(state: &AppState, directory: &Directory) -> anyhow::Result<()> {
    if built(state).await? {
        println!("the demo year is already in place");
        return Ok(());
    }
    let begun = program::Entity::find()
        .filter(program::Column::Name.eq(PROVINCE_PROGRAM))
        .count(&state.db)
        .await?
        > 0;
    anyhow::ensure!(
        !begun,
        "a previous demo-data run stopped part-way through the demo year; start again on an empty database"
    );
    let started = std::time::Instant::now();
    let programs = training::build(state, directory).await?;
    let class = coursework::build(state, &programs).await?;
    quiz::build(state, &programs, class).await?;
    competency::build(state).await?;
    lessons::build(state).await?;
    let province = super::accounts::principal(state, super::accounts::PROVINCE_ADMIN).await?;
    audit::record(
        &state.db,
        Some(&province),
        AuditEvent {
            action: BUILT,
            target_type: "program",
            target_id: Some(programs.province.to_string()),
            target_path: None,
            detail: serde_json::json!({ "programs": PROGRAM_NAMES }),
        },
    )
    .await?;
    println!("demo year built in {:.1}s", started.elapsed().as_secs_f64());
    Ok(())
}

async fn built(state: &AppState) -> anyhow::Result<bool> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(BUILT))
        .count(&state.db)
        .await?
        > 0)
}

/// A request body as the API would have parsed it.
pub fn input<T: ParseFromJSON>(body: serde_json::Value) -> anyhow::Result<T> {
    T::parse_from_json(Some(body))
        .map_err(|e| anyhow::anyhow!("demo request body: {}", e.into_message()))
}

/// An application error, with what was being done.
pub fn failed(what: &'static str) -> impl FnOnce(AppError) -> anyhow::Error {
    move |e| anyhow::anyhow!("demo {what}: {e:?}")
}

/// The program year: this one.
pub fn this_year() -> i32 {
    Utc::now().year()
}

/// A day `days` before today (hours cannot be dated in the future), as the API writes dates.
pub fn days_ago(days: i64) -> String {
    let day: NaiveDate = Utc::now().date_naive() - chrono::Duration::days(days);
    day.format("%Y-%m-%d").to_string()
}
