//! Training (issue #4): programs, the quota cascade, enrolments with their decision log, the append-only hours
//! ledger and certificates. Hours are integer half-hours. Per-enrolment progress columns are maintained in the
//! same transaction as the ledger entry that changes them.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0001_directory::Teachers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Programs {
    Table,
    Id,
    Name,
    Level,
    Kind,
    Year,
    EnrolmentMode,
    EnrolFrom,
    EnrolUntil,
    TrainFrom,
    TrainUntil,
    HourRule,
    CompletionRule,
    OwnerCode,
    OwnerPath,
    Status,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProgramQuotas {
    Table,
    Id,
    ProgramId,
    NodeCode,
    NodePath,
    ParentId,
    Seats,
    Allocated,
    Used,
    Eligibility,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Enrollments {
    Table,
    Id,
    ProgramId,
    TeacherId,
    Path,
    QuotaId,
    ReviewStatus,
    TrainingStatus,
    Grade,
    HoursCentralized,
    HoursOnline,
    HoursIct,
    HoursRegional,
    HoursSchoolBased,
    HoursPractice,
    CountedHours,
    CompletedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnrollmentDecisions {
    Table,
    Id,
    EnrollmentId,
    Level,
    Decision,
    Reason,
    ActorId,
    At,
}

#[derive(DeriveIden)]
enum HourEntries {
    Table,
    Id,
    TeacherId,
    EnrollmentId,
    Path,
    Category,
    HalfHours,
    OccurredOn,
    Source,
    SourceRef,
    Status,
    VoidsEntryId,
    Note,
    Evidence,
    CreatedBy,
    CreatedAt,
    DecidedBy,
    DecidedAt,
    DecisionReason,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Number,
    EnrollmentId,
    TeacherId,
    ProgramId,
    IssuedAt,
    RevokedAt,
    RevokeReason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(big_pk_auto(Programs::Id))
                    .col(string_len(Programs::Name, 128))
                    .col(string_len(Programs::Level, 16))
                    .col(string_len(Programs::Kind, 64))
                    .col(integer(Programs::Year))
                    .col(string_len(Programs::EnrolmentMode, 16))
                    .col(timestamp_with_time_zone_null(Programs::EnrolFrom))
                    .col(timestamp_with_time_zone_null(Programs::EnrolUntil))
                    .col(date_null(Programs::TrainFrom))
                    .col(date_null(Programs::TrainUntil))
                    .col(text(Programs::HourRule))
                    .col(text(Programs::CompletionRule))
                    .col(string_len(Programs::OwnerCode, 10))
                    .col(string_len(Programs::OwnerPath, 96))
                    .col(string_len(Programs::Status, 16))
                    .col(big_integer(Programs::CreatedBy))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .col(timestamp_with_time_zone(Programs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_programs_owner")
                    .table(Programs::Table)
                    .col(Programs::OwnerPath)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramQuotas::Table)
                    .col(big_pk_auto(ProgramQuotas::Id))
                    .col(big_integer(ProgramQuotas::ProgramId))
                    .col(string_len(ProgramQuotas::NodeCode, 10))
                    .col(string_len(ProgramQuotas::NodePath, 96))
                    .col(big_integer_null(ProgramQuotas::ParentId))
                    .col(integer(ProgramQuotas::Seats))
                    .col(integer(ProgramQuotas::Allocated).default(0))
                    .col(integer(ProgramQuotas::Used).default(0))
                    .col(text(ProgramQuotas::Eligibility))
                    .col(timestamp_with_time_zone(ProgramQuotas::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_quotas_program")
                            .from(ProgramQuotas::Table, ProgramQuotas::ProgramId)
                            .to(Programs::Table, Programs::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_quotas_program_node")
                    .table(ProgramQuotas::Table)
                    .col(ProgramQuotas::ProgramId)
                    .col(ProgramQuotas::NodeCode)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let hours = |c: Enrollments| integer(c).default(0).to_owned();
        manager
            .create_table(
                Table::create()
                    .table(Enrollments::Table)
                    .col(big_pk_auto(Enrollments::Id))
                    .col(big_integer(Enrollments::ProgramId))
                    .col(big_integer(Enrollments::TeacherId))
                    .col(string_len(Enrollments::Path, 96))
                    .col(big_integer_null(Enrollments::QuotaId))
                    .col(string_len(Enrollments::ReviewStatus, 16))
                    .col(string_len(Enrollments::TrainingStatus, 16))
                    .col(string_len_null(Enrollments::Grade, 16))
                    .col(hours(Enrollments::HoursCentralized))
                    .col(hours(Enrollments::HoursOnline))
                    .col(hours(Enrollments::HoursIct))
                    .col(hours(Enrollments::HoursRegional))
                    .col(hours(Enrollments::HoursSchoolBased))
                    .col(hours(Enrollments::HoursPractice))
                    .col(hours(Enrollments::CountedHours))
                    .col(timestamp_with_time_zone_null(Enrollments::CompletedAt))
                    .col(timestamp_with_time_zone(Enrollments::CreatedAt))
                    .col(timestamp_with_time_zone(Enrollments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrollments_program")
                            .from(Enrollments::Table, Enrollments::ProgramId)
                            .to(Programs::Table, Programs::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_enrollments_teacher")
                            .from(Enrollments::Table, Enrollments::TeacherId)
                            .to(Teachers::Table, Teachers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_enrollments_program_teacher")
                    .table(Enrollments::Table)
                    .col(Enrollments::ProgramId)
                    .col(Enrollments::TeacherId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_enrollments_program_path")
                    .table(Enrollments::Table)
                    .col(Enrollments::ProgramId)
                    .col(Enrollments::Path)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(EnrollmentDecisions::Table)
                    .col(big_pk_auto(EnrollmentDecisions::Id))
                    .col(big_integer(EnrollmentDecisions::EnrollmentId))
                    .col(string_len(EnrollmentDecisions::Level, 16))
                    .col(string_len(EnrollmentDecisions::Decision, 16))
                    .col(text_null(EnrollmentDecisions::Reason))
                    .col(big_integer(EnrollmentDecisions::ActorId))
                    .col(timestamp_with_time_zone(EnrollmentDecisions::At))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_enrollment")
                            .from(
                                EnrollmentDecisions::Table,
                                EnrollmentDecisions::EnrollmentId,
                            )
                            .to(Enrollments::Table, Enrollments::Id),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(HourEntries::Table)
                    .col(big_pk_auto(HourEntries::Id))
                    .col(big_integer(HourEntries::TeacherId))
                    .col(big_integer_null(HourEntries::EnrollmentId))
                    .col(string_len(HourEntries::Path, 96))
                    .col(string_len(HourEntries::Category, 16))
                    .col(integer(HourEntries::HalfHours))
                    .col(date(HourEntries::OccurredOn))
                    .col(string_len(HourEntries::Source, 24))
                    .col(string_len_null(HourEntries::SourceRef, 64))
                    .col(string_len(HourEntries::Status, 16))
                    .col(big_integer_null(HourEntries::VoidsEntryId))
                    .col(text_null(HourEntries::Note))
                    .col(text(HourEntries::Evidence))
                    .col(big_integer(HourEntries::CreatedBy))
                    .col(timestamp_with_time_zone(HourEntries::CreatedAt))
                    .col(big_integer_null(HourEntries::DecidedBy))
                    .col(timestamp_with_time_zone_null(HourEntries::DecidedAt))
                    .col(text_null(HourEntries::DecisionReason))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_hours_enrollment", vec![HourEntries::EnrollmentId]),
            (
                "idx_hours_teacher_date",
                vec![HourEntries::TeacherId, HourEntries::OccurredOn],
            ),
            (
                "idx_hours_status_path",
                vec![HourEntries::Status, HourEntries::Path],
            ),
        ] {
            let mut index = Index::create()
                .name(name)
                .table(HourEntries::Table)
                .to_owned();
            for c in cols {
                index.col(c);
            }
            manager.create_index(index).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .col(big_pk_auto(Certificates::Id))
                    .col(string_len_uniq(Certificates::Number, 32))
                    .col(big_integer(Certificates::EnrollmentId).unique_key())
                    .col(big_integer(Certificates::TeacherId))
                    .col(big_integer(Certificates::ProgramId))
                    .col(timestamp_with_time_zone(Certificates::IssuedAt))
                    .col(timestamp_with_time_zone_null(Certificates::RevokedAt))
                    .col(text_null(Certificates::RevokeReason))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Certificates::Table.into_iden(),
            HourEntries::Table.into_iden(),
            EnrollmentDecisions::Table.into_iden(),
            Enrollments::Table.into_iden(),
            ProgramQuotas::Table.into_iden(),
            Programs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
