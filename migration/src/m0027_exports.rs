//! The export center and scheduled reports: background exports (the request returns at once, a worker makes the
//! file into the object store, its owner downloads it for a few days) and standing orders that make one on a
//! weekly or monthly schedule.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index_on as index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Exports {
    Table,
    Id,
    AccountId,
    Kind,
    Format,
    Params,
    Status,
    SubscriptionId,
    StorageKey,
    Filename,
    ContentType,
    SizeBytes,
    Rows,
    Error,
    CreatedAt,
    StartedAt,
    FinishedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ReportSubscriptions {
    Table,
    Id,
    AccountId,
    Kind,
    Format,
    Params,
    Cadence,
    Active,
    NextRunAt,
    LastRunAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ReportSubscriptions::Table)
                    .col(
                        big_integer(ReportSubscriptions::Id)
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(big_integer(ReportSubscriptions::AccountId))
                    .col(string_len(ReportSubscriptions::Kind, 32))
                    .col(string_len(ReportSubscriptions::Format, 8))
                    .col(text(ReportSubscriptions::Params))
                    .col(string_len(ReportSubscriptions::Cadence, 16))
                    .col(boolean(ReportSubscriptions::Active).default(true))
                    .col(timestamp_with_time_zone(ReportSubscriptions::NextRunAt))
                    .col(timestamp_with_time_zone_null(
                        ReportSubscriptions::LastRunAt,
                    ))
                    .col(timestamp_with_time_zone(ReportSubscriptions::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_report_subscriptions_account",
                        (ReportSubscriptions::Table, ReportSubscriptions::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        // The scheduler looks for due, active subscriptions.
        manager
            .create_index(index(
                "ix_report_subscriptions_due",
                ReportSubscriptions::Table,
                &["active", "next_run_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_report_subscriptions_account",
                ReportSubscriptions::Table,
                &["account_id", "id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Exports::Table)
                    .col(string_len(Exports::Id, 36).primary_key())
                    .col(big_integer(Exports::AccountId))
                    .col(string_len(Exports::Kind, 32))
                    .col(string_len(Exports::Format, 8))
                    .col(text(Exports::Params))
                    .col(string_len(Exports::Status, 16))
                    .col(big_integer_null(Exports::SubscriptionId))
                    .col(string_len_null(Exports::StorageKey, 128))
                    .col(string_len_null(Exports::Filename, 255))
                    .col(string_len_null(Exports::ContentType, 128))
                    .col(big_integer_null(Exports::SizeBytes))
                    .col(big_integer_null(Exports::Rows))
                    .col(text_null(Exports::Error))
                    .col(timestamp_with_time_zone(Exports::CreatedAt))
                    .col(timestamp_with_time_zone_null(Exports::StartedAt))
                    .col(timestamp_with_time_zone_null(Exports::FinishedAt))
                    .col(timestamp_with_time_zone_null(Exports::ExpiresAt))
                    .foreign_key(&mut foreign_key(
                        "fk_exports_account",
                        (Exports::Table, Exports::AccountId),
                        "accounts",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_exports_subscription",
                        (Exports::Table, Exports::SubscriptionId),
                        "report_subscriptions",
                    ))
                    .to_owned(),
            )
            .await?;
        // "My exports", newest first; and the sweeper's expired files.
        manager
            .create_index(index(
                "ix_exports_account",
                Exports::Table,
                &["account_id", "created_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_exports_expires",
                Exports::Table,
                &["expires_at"],
                false,
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Exports::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ReportSubscriptions::Table).to_owned())
            .await
    }
}
