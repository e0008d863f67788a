//! What every part of the demo year shares: the demo programs' names, request bodies parsed as the API parses
//! them, errors that say which step failed, and dates relative to today.
use chrono::{Datelike, NaiveDate, Utc};
use poem_openapi::types::ParseFromJSON;

use crate::platform::error::AppError;

/// The province's assigned program.
pub const PROVINCE_PROGRAM: &str = "全省中小学教师信息技术应用能力提升工程2.0培训（演示）";
/// 成都市's free-choice program, applied for by teachers.
pub const CITY_PROGRAM: &str = "成都市信息化教学创新能力研修（演示，自主报名）";
/// Every program demo-data makes; any other is real data.
pub const PROGRAM_NAMES: [&str; 2] = [PROVINCE_PROGRAM, CITY_PROGRAM];

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
