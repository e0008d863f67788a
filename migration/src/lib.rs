//! Schema and reference data. Every migration here runs on SQLite and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m0001_directory;
mod m0002_accounts;
mod m0003_platform;
mod m0004_training;
mod m0005_single_void;
mod m0006_files_counters;
mod m0007_coursework;
mod m0008_result_batches;
mod m0009_assessments;
mod m0010_competencies;
mod m0011_competency_stats;
mod m0012_uploads;
mod m0013_lessons;
mod m0014_sign_in_throttle;
mod m0015_quiz_key_review;
mod m0016_retries_blind_copies_quota;
mod m0017_second_factor_sessions;
mod m0018_password_history;
mod m0019_audit_chain;
mod m0020_list_lookups;
mod m0021_typed_directory;
mod m0022_list_indexes;
mod m0024_inbox_announcements;
mod m0026_year_stats;
mod m0027_exports;
mod regions;

pub use regions::{REGIONS_CSV, RegionRow, region_rows};

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_directory::Migration),
            Box::new(m0002_accounts::Migration),
            Box::new(m0003_platform::Migration),
            Box::new(m0004_training::Migration),
            Box::new(m0005_single_void::Migration),
            Box::new(m0006_files_counters::Migration),
            Box::new(m0007_coursework::Migration),
            Box::new(m0008_result_batches::Migration),
            Box::new(m0009_assessments::Migration),
            Box::new(m0010_competencies::Migration),
            Box::new(m0011_competency_stats::Migration),
            Box::new(m0012_uploads::Migration),
            Box::new(m0013_lessons::Migration),
            Box::new(m0014_sign_in_throttle::Migration),
            Box::new(m0015_quiz_key_review::Migration),
            Box::new(m0016_retries_blind_copies_quota::Migration),
            Box::new(m0018_password_history::Migration),
            Box::new(m0019_audit_chain::Migration),
            Box::new(m0020_list_lookups::Migration),
            Box::new(m0017_second_factor_sessions::Migration),
            Box::new(m0021_typed_directory::Migration),
            Box::new(m0022_list_indexes::Migration),
            Box::new(m0027_exports::Migration),
            Box::new(m0024_inbox_announcements::Migration),
            Box::new(m0026_year_stats::Migration),
        ]
    }
}
