//! Maintained 能力点 numbers (ARCHITECTURE.md "Reports read maintained numbers"): per node, year and point code
//! (`''` for the teacher totals row) the teachers who submitted, passed and reached 优秀. Every event that changes a
//! teacher's latest submissions, final grades or school plan adds its delta to the school and each region above it.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0006_files_counters::counter;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CompetencyNodeStats {
    Table,
    Id,
    NodePath,
    Year,
    Code,
    Submitted,
    Passed,
    Excellent,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompetencyNodeStats::Table)
                    .col(big_pk_auto(CompetencyNodeStats::Id))
                    .col(string_len(CompetencyNodeStats::NodePath, 96))
                    .col(integer(CompetencyNodeStats::Year))
                    .col(string_len(CompetencyNodeStats::Code, 8))
                    .col(counter(CompetencyNodeStats::Submitted))
                    .col(counter(CompetencyNodeStats::Passed))
                    .col(counter(CompetencyNodeStats::Excellent))
                    .to_owned(),
            )
            .await?;
        let keys = ["node_path", "year", "code"].map(Alias::new).to_vec();
        manager
            .create_index(crate::m0007_coursework::index(
                "uq_competency_node_stats",
                CompetencyNodeStats::Table,
                keys,
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CompetencyNodeStats::Table).to_owned())
            .await
    }
}
