//! Maintained numbers of the annual report across programs: per teacher and year the approved enrolments in that
//! year's programs and the approved half-hours dated in it; per node and year the half-hours per category (补录
//! also apart), the teachers who took part in a program, who reached the yearly minimum, and (keyed by the
//! cycle's first year) who reached 360 hours in the 5-year cycle.
use sea_orm_migration::{prelude::*, schema::*};

use crate::{m0006_files_counters::counter, m0007_coursework::index_on};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TeacherYears {
    Table,
    Id,
    TeacherId,
    Year,
    Programs,
    HalfHours,
}

#[derive(DeriveIden)]
enum NodeYearStats {
    Table,
    Id,
    NodePath,
    Year,
    Participants,
    MetMinimum,
    CycleComplete,
    HoursSupplement,
    HoursCentralized,
    HoursOnline,
    HoursIct,
    HoursRegional,
    HoursSchoolBased,
    HoursPractice,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TeacherYears::Table)
                    .col(big_pk_auto(TeacherYears::Id))
                    .col(big_integer(TeacherYears::TeacherId))
                    .col(integer(TeacherYears::Year))
                    .col(counter(TeacherYears::Programs))
                    .col(counter(TeacherYears::HalfHours))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index_on(
                "uq_teacher_years",
                TeacherYears::Table,
                &["teacher_id", "year"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NodeYearStats::Table)
                    .col(big_pk_auto(NodeYearStats::Id))
                    .col(string_len(NodeYearStats::NodePath, 96))
                    .col(integer(NodeYearStats::Year))
                    .col(counter(NodeYearStats::Participants))
                    .col(counter(NodeYearStats::MetMinimum))
                    .col(counter(NodeYearStats::CycleComplete))
                    .col(counter(NodeYearStats::HoursSupplement))
                    .col(counter(NodeYearStats::HoursCentralized))
                    .col(counter(NodeYearStats::HoursOnline))
                    .col(counter(NodeYearStats::HoursIct))
                    .col(counter(NodeYearStats::HoursRegional))
                    .col(counter(NodeYearStats::HoursSchoolBased))
                    .col(counter(NodeYearStats::HoursPractice))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index_on(
                "uq_node_year_stats",
                NodeYearStats::Table,
                &["node_path", "year"],
                true,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TeacherYears::Table.into_iden(),
            NodeYearStats::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
