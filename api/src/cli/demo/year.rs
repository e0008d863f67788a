//! The demo year: what a province's year of training looks like, done through the same service functions the
//! API's handlers call, as the accounts whose work it is, so counters, audit entries, notifications and
//! completion are what real use would leave behind.
use entity::{audit_log, program};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{
    competency, coursework,
    directory::Directory,
    lessons, quiz,
    steps::{PROGRAM_NAMES, PROVINCE_PROGRAM},
    training,
};
use crate::{
    AppState,
    platform::audit::{self, AuditEvent},
};

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
