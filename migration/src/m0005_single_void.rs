//! An hour entry can be voided once: the unique index makes a second, concurrent voiding row fail instead of
//! taking the hours back twice. (NULLs — entries that void nothing — do not collide on either engine.)
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("uq_hour_entries_voids")
                    .table(Alias::new("hour_entries"))
                    .col(Alias::new("voids_entry_id"))
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("uq_hour_entries_voids")
                    .table(Alias::new("hour_entries"))
                    .to_owned(),
            )
            .await
    }
}
