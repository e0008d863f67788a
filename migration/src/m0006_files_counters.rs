//! Uploaded files (bytes live in the object store; the row says who uploaded what, for which purpose, under which
//! node) and the maintained report numbers: per program and node, per node, and per teacher and 5-year cycle.
//! Node paths are region paths (`/510000/510100/`) or school paths (`…/510104/2151990001/`), so a report row is
//! one indexed read by exact path.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    StorageKey,
    Name,
    ContentType,
    Size,
    Sha256,
    Purpose,
    UploadedBy,
    TeacherId,
    Path,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ProgramNodeStats {
    Table,
    Id,
    ProgramId,
    NodePath,
    Enrolled,
    Completed,
    HoursCentralized,
    HoursOnline,
    HoursIct,
    HoursRegional,
    HoursSchoolBased,
    HoursPractice,
}

#[derive(DeriveIden)]
enum NodeStats {
    Table,
    Id,
    NodePath,
    Teachers,
}

#[derive(DeriveIden)]
enum TeacherCycles {
    Table,
    Id,
    TeacherId,
    CycleStart,
    HalfHours,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

pub(crate) fn counter<T: IntoIden>(name: T) -> ColumnDef {
    big_integer(name).default(0).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Files::Table)
                    .col(big_pk_auto(Files::Id))
                    .col(string_len_uniq(Files::StorageKey, 96))
                    .col(string_len(Files::Name, 255))
                    .col(string_len(Files::ContentType, 128))
                    .col(big_integer(Files::Size))
                    .col(string_len(Files::Sha256, 64))
                    .col(string_len(Files::Purpose, 24))
                    .col(big_integer(Files::UploadedBy))
                    .col(big_integer_null(Files::TeacherId))
                    .col(string_len(Files::Path, 96))
                    .col(timestamp_with_time_zone(Files::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_files_uploaded_by")
                    .table(Files::Table)
                    .col(Files::UploadedBy)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ProgramNodeStats::Table)
                    .col(big_pk_auto(ProgramNodeStats::Id))
                    .col(big_integer(ProgramNodeStats::ProgramId))
                    .col(string_len(ProgramNodeStats::NodePath, 96))
                    .col(counter(ProgramNodeStats::Enrolled))
                    .col(counter(ProgramNodeStats::Completed))
                    .col(counter(ProgramNodeStats::HoursCentralized))
                    .col(counter(ProgramNodeStats::HoursOnline))
                    .col(counter(ProgramNodeStats::HoursIct))
                    .col(counter(ProgramNodeStats::HoursRegional))
                    .col(counter(ProgramNodeStats::HoursSchoolBased))
                    .col(counter(ProgramNodeStats::HoursPractice))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_program_node_stats")
                    .table(ProgramNodeStats::Table)
                    .col(ProgramNodeStats::ProgramId)
                    .col(ProgramNodeStats::NodePath)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(NodeStats::Table)
                    .col(big_pk_auto(NodeStats::Id))
                    .col(string_len_uniq(NodeStats::NodePath, 96))
                    .col(counter(NodeStats::Teachers))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TeacherCycles::Table)
                    .col(big_pk_auto(TeacherCycles::Id))
                    .col(big_integer(TeacherCycles::TeacherId))
                    .col(integer(TeacherCycles::CycleStart))
                    .col(counter(TeacherCycles::HalfHours))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_teacher_cycles")
                    .table(TeacherCycles::Table)
                    .col(TeacherCycles::TeacherId)
                    .col(TeacherCycles::CycleStart)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Files::Table.into_iden(),
            ProgramNodeStats::Table.into_iden(),
            NodeStats::Table.into_iden(),
            TeacherCycles::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
