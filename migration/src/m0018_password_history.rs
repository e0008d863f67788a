//! The argon2 hashes of the passwords an account has had, so a new password cannot be one of the last few.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PasswordHistory {
    Table,
    Id,
    AccountId,
    PasswordHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PasswordHistory::Table)
                    .col(big_pk_auto(PasswordHistory::Id))
                    .col(big_integer(PasswordHistory::AccountId))
                    .col(string_len(PasswordHistory::PasswordHash, 255))
                    .col(timestamp_with_time_zone(PasswordHistory::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_history_account")
                            .from_tbl(PasswordHistory::Table)
                            .from_col(PasswordHistory::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_password_history_account")
                    .table(PasswordHistory::Table)
                    .col(PasswordHistory::AccountId)
                    .col(PasswordHistory::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PasswordHistory::Table).to_owned())
            .await
    }
}
