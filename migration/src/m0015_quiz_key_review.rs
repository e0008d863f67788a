//! When a quiz's answer keys and explanations reach the teachers who take it: a review policy per quiz.
//! Quizzes that exist already take the default, after the quiz closes, so nothing is revealed earlier than
//! the window's end.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Quizzes {
    Table,
    KeyReview,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Quizzes::Table)
                    .add_column(string_len(Quizzes::KeyReview, 24).default("after_close"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Quizzes::Table)
                    .drop_column(Quizzes::KeyReview)
                    .to_owned(),
            )
            .await
    }
}
