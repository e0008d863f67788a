//! Three durable pieces of state:
//! - `jobs.retry_since`: when a job's current retry period began (its first failure, or an administrator's
//!   retry), so a job gives up after a configured period instead of a fixed number of attempts.
//! - `upload_quota_owners`: one row per quota owner (a teacher, or an account without a teacher record). Every
//!   quota decision first updates the owner's row, which serialises the decisions of all server instances.
//! - `blind_copies`: the copy of a lesson file with its identifying metadata removed, made once and served to
//!   reviewers of blind rounds; the row is also the lock that keeps two reviewers from making it twice.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::foreign_key;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    RetrySince,
}

#[derive(DeriveIden)]
enum UploadQuotaOwners {
    Table,
    OwnerKey,
    Decisions,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum BlindCopies {
    Table,
    FileId,
    Status,
    StorageKey,
    Size,
    LockedUntil,
    LastError,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .add_column(timestamp_with_time_zone_null(Jobs::RetrySince))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UploadQuotaOwners::Table)
                    // `teacher:<id>` or `account:<id>`.
                    .col(string_len(UploadQuotaOwners::OwnerKey, 40).primary_key())
                    .col(big_integer(UploadQuotaOwners::Decisions).default(0))
                    .col(timestamp_with_time_zone(UploadQuotaOwners::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(BlindCopies::Table)
                    .col(big_integer(BlindCopies::FileId).primary_key())
                    // making | ready | failed
                    .col(string_len(BlindCopies::Status, 16))
                    .col(string_len_null(BlindCopies::StorageKey, 128))
                    .col(big_integer_null(BlindCopies::Size))
                    .col(timestamp_with_time_zone_null(BlindCopies::LockedUntil))
                    .col(text_null(BlindCopies::LastError))
                    .col(timestamp_with_time_zone(BlindCopies::CreatedAt))
                    .col(timestamp_with_time_zone(BlindCopies::UpdatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_blind_copies_file",
                        (BlindCopies::Table, BlindCopies::FileId),
                        "files",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(BlindCopies::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(UploadQuotaOwners::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .drop_column(Jobs::RetrySince)
                    .to_owned(),
            )
            .await
    }
}
