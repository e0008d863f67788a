//! Cross-cutting tables: the append-only audit log and the durable jobs queue (outbox).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Action,
    TargetType,
    TargetId,
    TargetPath,
    Detail,
    Ip,
    RequestId,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    Status,
    Attempts,
    MaxAttempts,
    RunAt,
    LockedUntil,
    LockedBy,
    DedupeKey,
    LastError,
    CreatedAt,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::Actor, 64))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::TargetType, 32))
                    .col(string_len_null(AuditLog::TargetId, 64))
                    .col(string_len_null(AuditLog::TargetPath, 96))
                    .col(text(AuditLog::Detail))
                    .col(string_len_null(AuditLog::Ip, 64))
                    .col(string_len_null(AuditLog::RequestId, 64))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_audit_target_path", AuditLog::TargetPath),
            ("idx_audit_at", AuditLog::At),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditLog::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(big_pk_auto(Jobs::Id))
                    .col(string_len(Jobs::Kind, 32))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::Status, 16))
                    .col(integer(Jobs::Attempts).default(0))
                    .col(integer(Jobs::MaxAttempts).default(8))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(string_len_null(Jobs::LockedBy, 64))
                    .col(string_len_null(Jobs::DedupeKey, 128).unique_key())
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::Status)
                    .col(Jobs::RunAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}
