//! Institution result batches: a class sheet filled in by a training institution (结业状态, 证书编号/不合格原因, 成绩,
//! 获得学时), validated whole on upload and kept pending until a program administrator confirms or rejects it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveIden)]
enum ResultBatches {
    Table,
    Id,
    ProgramId,
    NodeCode,
    NodePath,
    Status,
    Rows,
    RowCount,
    FileName,
    SubmittedBy,
    SubmittedAt,
    DecidedBy,
    DecidedAt,
    DecisionReason,
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ResultBatches::Table)
                    .col(big_pk_auto(ResultBatches::Id))
                    .col(big_integer(ResultBatches::ProgramId))
                    .col(string_len(ResultBatches::NodeCode, 10))
                    .col(string_len(ResultBatches::NodePath, 96))
                    .col(string_len(ResultBatches::Status, 16))
                    .col(text(ResultBatches::Rows))
                    .col(integer(ResultBatches::RowCount))
                    .col(string_len(ResultBatches::FileName, 255))
                    .col(big_integer(ResultBatches::SubmittedBy))
                    .col(timestamp_with_time_zone(ResultBatches::SubmittedAt))
                    .col(big_integer_null(ResultBatches::DecidedBy))
                    .col(timestamp_with_time_zone_null(ResultBatches::DecidedAt))
                    .col(text_null(ResultBatches::DecisionReason))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_result_batches_program_path")
                    .table(ResultBatches::Table)
                    .col(ResultBatches::ProgramId)
                    .col(ResultBatches::NodePath)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ResultBatches::Table).to_owned())
            .await
    }
}
