//! Sign-in throttling per (username, client address) with growing lock periods, and the addresses an account has
//! signed in from before (stored as keyed hashes), which keep working while the account as a whole is locked.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginThrottles {
    Table,
    Username,
    AddressHash,
    Failures,
    Strikes,
    LockedUntil,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum KnownAddresses {
    Table,
    Id,
    AccountId,
    AddressHash,
    LastSeenAt,
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
                    .table(LoginThrottles::Table)
                    .col(string_len(LoginThrottles::Username, 64))
                    .col(string_len(LoginThrottles::AddressHash, 64))
                    .col(integer(LoginThrottles::Failures).default(0))
                    .col(integer(LoginThrottles::Strikes).default(0))
                    .col(timestamp_with_time_zone_null(LoginThrottles::LockedUntil))
                    .col(timestamp_with_time_zone(LoginThrottles::UpdatedAt))
                    .primary_key(
                        Index::create()
                            .col(LoginThrottles::Username)
                            .col(LoginThrottles::AddressHash),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(KnownAddresses::Table)
                    .col(big_pk_auto(KnownAddresses::Id))
                    .col(big_integer(KnownAddresses::AccountId))
                    .col(string_len(KnownAddresses::AddressHash, 64))
                    .col(timestamp_with_time_zone(KnownAddresses::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_known_addresses_account")
                            .from_tbl(KnownAddresses::Table)
                            .from_col(KnownAddresses::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_known_addresses_account_address")
                    .table(KnownAddresses::Table)
                    .col(KnownAddresses::AccountId)
                    .col(KnownAddresses::AddressHash)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(KnownAddresses::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LoginThrottles::Table).to_owned())
            .await
    }
}
