//! Indexes for the lookups list pages batch per page (the decisions of a page of enrolments).
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EnrollmentDecisions {
    Table,
    EnrollmentId,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_enrollment_decisions_enrollment")
                    .table(EnrollmentDecisions::Table)
                    .col(EnrollmentDecisions::EnrollmentId)
                    .col(EnrollmentDecisions::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_enrollment_decisions_enrollment")
                    .table(EnrollmentDecisions::Table)
                    .to_owned(),
            )
            .await
    }
}
