//! Resumable uploads (tus 1.0, issue #5): one row per upload session. The received offset and the list of stored
//! segments live here and the bytes in the object store (`uploads/{id}/…`), so any server instance can take the
//! next PATCH. Lesson files gain the probe result of a video (`media`, JSON) and the key of its poster frame.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index_on as index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Uploads {
    Table,
    Id,
    AccountId,
    TeacherId,
    Path,
    Name,
    Purpose,
    Length,
    ReceivedBytes,
    Segments,
    FileId,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Files {
    Table,
    Media,
    PosterKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Uploads::Table)
                    .col(string_len(Uploads::Id, 36).primary_key())
                    .col(big_integer(Uploads::AccountId))
                    .col(big_integer_null(Uploads::TeacherId))
                    .col(string_len(Uploads::Path, 96))
                    .col(string_len(Uploads::Name, 255))
                    .col(string_len(Uploads::Purpose, 24))
                    .col(big_integer(Uploads::Length))
                    .col(big_integer(Uploads::ReceivedBytes).default(0))
                    // JSON array of the stored segments, in order: [{"key": …, "start": …, "len": …}].
                    .col(text(Uploads::Segments))
                    .col(big_integer_null(Uploads::FileId))
                    .col(timestamp_with_time_zone(Uploads::CreatedAt))
                    .col(timestamp_with_time_zone(Uploads::UpdatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_uploads_account",
                        (Uploads::Table, Uploads::AccountId),
                        "accounts",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_uploads_file",
                        (Uploads::Table, Uploads::FileId),
                        "files",
                    ))
                    .to_owned(),
            )
            .await?;
        // The quota sums a teacher's (or an account's) unfinished uploads.
        manager
            .create_index(index(
                "ix_uploads_teacher",
                Uploads::Table,
                &["teacher_id", "file_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_uploads_account",
                Uploads::Table,
                &["account_id", "file_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_files_teacher_purpose",
                Files::Table,
                &["teacher_id", "purpose"],
                false,
            ))
            .await?;
        // SQLite adds one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(Files::Table)
                    .add_column(text_null(Files::Media))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Files::Table)
                    .add_column(string_len_null(Files::PosterKey, 128))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Uploads::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_files_teacher_purpose")
                    .table(Files::Table)
                    .to_owned(),
            )
            .await?;
        for col in [Files::PosterKey, Files::Media] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Files::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
