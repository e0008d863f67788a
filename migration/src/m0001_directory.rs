//! Regions (with materialized paths and the Sichuan reference data), schools and teachers.
use sea_orm_migration::{prelude::*, schema::*};

use crate::regions::region_rows;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum Regions {
    Table,
    Code,
    Name,
    Level,
    ParentCode,
    Path,
    PovertyCounty,
    EthnicArea,
}

#[derive(DeriveIden)]
pub enum Schools {
    Table,
    Id,
    Code,
    Name,
    CountyCode,
    Path,
    Stage,
    UrbanRural,
    TeachingPoint,
    Address,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub enum Teachers {
    Table,
    Id,
    Name,
    Gender,
    SchoolId,
    Path,
    IdCardEnc,
    IdCardHash,
    IdCardMasked,
    BirthDate,
    PhoneEnc,
    PhoneHash,
    PhoneMasked,
    Email,
    TeacherNumber,
    Stage,
    Subject,
    Title,
    Education,
    TeachingYears,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Regions::Table)
                    .col(string_len(Regions::Code, 6).primary_key())
                    .col(string_len(Regions::Name, 64))
                    .col(string_len(Regions::Level, 16))
                    .col(string_len_null(Regions::ParentCode, 6))
                    .col(string_len_uniq(Regions::Path, 64))
                    .col(boolean(Regions::PovertyCounty).default(false))
                    .col(boolean(Regions::EthnicArea).default(false))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_regions_parent")
                    .table(Regions::Table)
                    .col(Regions::ParentCode)
                    .to_owned(),
            )
            .await?;
        seed_regions(manager).await?;

        manager
            .create_table(
                Table::create()
                    .table(Schools::Table)
                    .col(big_pk_auto(Schools::Id))
                    .col(string_len_uniq(Schools::Code, 10))
                    .col(string_len(Schools::Name, 128))
                    .col(string_len(Schools::CountyCode, 6))
                    .col(string_len(Schools::Path, 80))
                    .col(string_len(Schools::Stage, 32))
                    .col(string_len(Schools::UrbanRural, 16))
                    .col(boolean(Schools::TeachingPoint).default(false))
                    .col(string_len_null(Schools::Address, 255))
                    .col(boolean(Schools::Active).default(true))
                    .col(timestamp_with_time_zone(Schools::CreatedAt))
                    .col(timestamp_with_time_zone(Schools::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_schools_county")
                            .from(Schools::Table, Schools::CountyCode)
                            .to(Regions::Table, Regions::Code),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_schools_path")
                    .table(Schools::Table)
                    .col(Schools::Path)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Teachers::Table)
                    .col(big_pk_auto(Teachers::Id))
                    .col(string_len(Teachers::Name, 64))
                    .col(string_len(Teachers::Gender, 8))
                    .col(big_integer(Teachers::SchoolId))
                    .col(string_len(Teachers::Path, 96))
                    .col(text(Teachers::IdCardEnc))
                    .col(string_len_uniq(Teachers::IdCardHash, 64))
                    .col(string_len(Teachers::IdCardMasked, 18))
                    .col(date(Teachers::BirthDate))
                    .col(text_null(Teachers::PhoneEnc))
                    .col(string_len_null(Teachers::PhoneHash, 64))
                    .col(string_len_null(Teachers::PhoneMasked, 16))
                    .col(string_len_null(Teachers::Email, 128))
                    .col(string_len_null(Teachers::TeacherNumber, 32))
                    .col(string_len(Teachers::Stage, 32))
                    .col(string_len(Teachers::Subject, 32))
                    .col(string_len_null(Teachers::Title, 32))
                    .col(string_len_null(Teachers::Education, 32))
                    .col(integer_null(Teachers::TeachingYears))
                    .col(boolean(Teachers::Active).default(true))
                    .col(timestamp_with_time_zone(Teachers::CreatedAt))
                    .col(timestamp_with_time_zone(Teachers::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_teachers_school")
                            .from(Teachers::Table, Teachers::SchoolId)
                            .to(Schools::Table, Schools::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_teachers_path", Teachers::Path),
            ("idx_teachers_school", Teachers::SchoolId),
            ("idx_teachers_phone_hash", Teachers::PhoneHash),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Teachers::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Teachers::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Schools::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Regions::Table).to_owned())
            .await
    }
}

async fn seed_regions(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let rows = region_rows().map_err(DbErr::Custom)?;
    let mut insert = Query::insert()
        .into_table(Regions::Table)
        .columns([
            Regions::Code,
            Regions::Name,
            Regions::Level,
            Regions::ParentCode,
            Regions::Path,
        ])
        .to_owned();
    for row in rows {
        insert.values_panic([
            row.code.into(),
            row.name.into(),
            row.level.into(),
            row.parent_code.into(),
            row.path.into(),
        ]);
    }
    manager.exec_stmt(insert).await
}
