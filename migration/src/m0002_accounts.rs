//! Accounts with roles bound to tree nodes, login throttling, refresh tokens and password resets.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0001_directory::Teachers;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Username,
    PasswordHash,
    DisplayName,
    Email,
    TeacherId,
    Active,
    TokenVersion,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccountRoles {
    Table,
    Id,
    AccountId,
    Role,
    ScopeCode,
    ScopeKind,
    ScopePath,
}

#[derive(DeriveIden)]
enum LoginAttempts {
    Table,
    Username,
    Failures,
    LockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    AccountId,
    Family,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum PasswordResets {
    Table,
    Id,
    AccountId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

fn account_fk(table: impl IntoIden, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(table)
        .from_col(Alias::new("account_id"))
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    .col(string_len_uniq(Accounts::Username, 64))
                    .col(string_len(Accounts::PasswordHash, 255))
                    .col(string_len(Accounts::DisplayName, 64))
                    .col(string_len_null(Accounts::Email, 128))
                    .col(big_integer_null(Accounts::TeacherId))
                    .col(boolean(Accounts::Active).default(true))
                    .col(integer(Accounts::TokenVersion).default(0))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accounts_teacher")
                            .from(Accounts::Table, Accounts::TeacherId)
                            .to(Teachers::Table, Teachers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AccountRoles::Table)
                    .col(big_pk_auto(AccountRoles::Id))
                    .col(big_integer(AccountRoles::AccountId))
                    .col(string_len(AccountRoles::Role, 32))
                    .col(string_len(AccountRoles::ScopeCode, 10))
                    .col(string_len(AccountRoles::ScopeKind, 8))
                    .col(string_len(AccountRoles::ScopePath, 96))
                    .foreign_key(&mut account_fk(
                        AccountRoles::Table,
                        "fk_account_roles_account",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_account_roles_account", AccountRoles::AccountId),
            ("idx_account_roles_path", AccountRoles::ScopePath),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AccountRoles::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempts::Table)
                    .col(string_len(LoginAttempts::Username, 64).primary_key())
                    .col(integer(LoginAttempts::Failures).default(0))
                    .col(timestamp_with_time_zone_null(LoginAttempts::LockedUntil))
                    .col(timestamp_with_time_zone(LoginAttempts::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .col(big_pk_auto(RefreshTokens::Id))
                    .col(big_integer(RefreshTokens::AccountId))
                    .col(string_len(RefreshTokens::Family, 36))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(&mut account_fk(
                        RefreshTokens::Table,
                        "fk_refresh_tokens_account",
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_refresh_tokens_family", RefreshTokens::Family),
            ("idx_refresh_tokens_account", RefreshTokens::AccountId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(RefreshTokens::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(PasswordResets::Table)
                    .col(big_pk_auto(PasswordResets::Id))
                    .col(big_integer(PasswordResets::AccountId))
                    .col(string_len_uniq(PasswordResets::TokenHash, 64))
                    .col(timestamp_with_time_zone(PasswordResets::CreatedAt))
                    .col(timestamp_with_time_zone(PasswordResets::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordResets::UsedAt))
                    .foreign_key(&mut account_fk(
                        PasswordResets::Table,
                        "fk_password_resets_account",
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PasswordResets::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            LoginAttempts::Table.into_iden(),
            AccountRoles::Table.into_iden(),
            Accounts::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
