//! Assessments (issue #6): the question bank, quizzes and exams attached to a program (or one of its classes),
//! and attempts with their saved answers. Correct answers live only in `questions`; an attempt keeps its own
//! paper (which questions, in which order, options shuffled how), so a bank edit never changes a running exam.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index_on as index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Questions {
    Table,
    Id,
    OwnerCode,
    OwnerPath,
    Kind,
    Subject,
    Tags,
    Difficulty,
    Stem,
    Options,
    Answer,
    Explanation,
    Points,
    Active,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Quizzes {
    Table,
    Id,
    ProgramId,
    ClassId,
    Path,
    Title,
    Description,
    Mode,
    Paper,
    OpensAt,
    ClosesAt,
    TimeLimitMinutes,
    AttemptsAllowed,
    PassScore,
    TotalPoints,
    ShuffleOptions,
    CountsForCompletion,
    Status,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Id,
    QuizId,
    TeacherId,
    EnrollmentId,
    Path,
    AttemptNo,
    Status,
    StartedAt,
    DeadlineAt,
    ClosedAt,
    ClosedByTimeout,
    Paper,
    Score,
    Passed,
}

#[derive(DeriveIden)]
enum AttemptAnswers {
    Table,
    Id,
    AttemptId,
    QuestionId,
    Response,
    SavedAt,
    AutoScore,
    Score,
    NeedsGrading,
    Comment,
    GradedBy,
    GradedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Questions::Table)
                    .col(big_pk_auto(Questions::Id))
                    .col(string_len(Questions::OwnerCode, 10))
                    .col(string_len(Questions::OwnerPath, 96))
                    .col(string_len(Questions::Kind, 16))
                    .col(string_len(Questions::Subject, 32))
                    .col(text(Questions::Tags))
                    .col(integer(Questions::Difficulty))
                    .col(text(Questions::Stem))
                    .col(text(Questions::Options))
                    .col(text(Questions::Answer))
                    .col(text(Questions::Explanation))
                    .col(double(Questions::Points))
                    .col(boolean(Questions::Active))
                    .col(big_integer(Questions::CreatedBy))
                    .col(timestamp_with_time_zone(Questions::CreatedAt))
                    .col(timestamp_with_time_zone(Questions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Quizzes::Table)
                    .col(big_pk_auto(Quizzes::Id))
                    .col(big_integer(Quizzes::ProgramId))
                    .col(big_integer_null(Quizzes::ClassId))
                    .col(string_len(Quizzes::Path, 96))
                    .col(string_len(Quizzes::Title, 128))
                    .col(text(Quizzes::Description))
                    .col(string_len(Quizzes::Mode, 16))
                    .col(text(Quizzes::Paper))
                    .col(timestamp_with_time_zone(Quizzes::OpensAt))
                    .col(timestamp_with_time_zone(Quizzes::ClosesAt))
                    .col(integer(Quizzes::TimeLimitMinutes))
                    .col(integer(Quizzes::AttemptsAllowed))
                    .col(double(Quizzes::PassScore))
                    .col(double(Quizzes::TotalPoints))
                    .col(boolean(Quizzes::ShuffleOptions))
                    .col(boolean(Quizzes::CountsForCompletion))
                    .col(string_len(Quizzes::Status, 16))
                    .col(big_integer(Quizzes::CreatedBy))
                    .col(timestamp_with_time_zone(Quizzes::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_quizzes_program",
                        (Quizzes::Table, Quizzes::ProgramId),
                        "programs",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_quizzes_class",
                        (Quizzes::Table, Quizzes::ClassId),
                        "training_classes",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuizAttempts::Table)
                    .col(big_pk_auto(QuizAttempts::Id))
                    .col(big_integer(QuizAttempts::QuizId))
                    .col(big_integer(QuizAttempts::TeacherId))
                    .col(big_integer(QuizAttempts::EnrollmentId))
                    .col(string_len(QuizAttempts::Path, 96))
                    .col(integer(QuizAttempts::AttemptNo))
                    .col(string_len(QuizAttempts::Status, 16))
                    .col(timestamp_with_time_zone(QuizAttempts::StartedAt))
                    .col(timestamp_with_time_zone(QuizAttempts::DeadlineAt))
                    .col(timestamp_with_time_zone_null(QuizAttempts::ClosedAt))
                    .col(boolean(QuizAttempts::ClosedByTimeout))
                    .col(text(QuizAttempts::Paper))
                    .col(double_null(QuizAttempts::Score))
                    .col(boolean_null(QuizAttempts::Passed))
                    .foreign_key(&mut foreign_key(
                        "fk_attempts_quiz",
                        (QuizAttempts::Table, QuizAttempts::QuizId),
                        "quizzes",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_attempts_enrollment",
                        (QuizAttempts::Table, QuizAttempts::EnrollmentId),
                        "enrollments",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AttemptAnswers::Table)
                    .col(big_pk_auto(AttemptAnswers::Id))
                    .col(big_integer(AttemptAnswers::AttemptId))
                    .col(big_integer(AttemptAnswers::QuestionId))
                    .col(text(AttemptAnswers::Response))
                    .col(timestamp_with_time_zone(AttemptAnswers::SavedAt))
                    .col(double_null(AttemptAnswers::AutoScore))
                    .col(double_null(AttemptAnswers::Score))
                    .col(boolean(AttemptAnswers::NeedsGrading))
                    .col(text_null(AttemptAnswers::Comment))
                    .col(big_integer_null(AttemptAnswers::GradedBy))
                    .col(timestamp_with_time_zone_null(AttemptAnswers::GradedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_answers_attempt",
                        (AttemptAnswers::Table, AttemptAnswers::AttemptId),
                        "quiz_attempts",
                    ))
                    .to_owned(),
            )
            .await?;
        for statement in [
            index(
                "idx_questions_owner",
                Questions::Table,
                &["owner_path"],
                false,
            ),
            index(
                "idx_quizzes_program",
                Quizzes::Table,
                &["program_id"],
                false,
            ),
            index(
                "uq_attempts_number",
                QuizAttempts::Table,
                &["quiz_id", "teacher_id", "attempt_no"],
                true,
            ),
            index(
                "idx_attempts_deadline",
                QuizAttempts::Table,
                &["status", "deadline_at"],
                false,
            ),
            index(
                "uq_answers_question",
                AttemptAnswers::Table,
                &["attempt_id", "question_id"],
                true,
            ),
        ] {
            manager.create_index(statement).await?;
        }
        // One running attempt per teacher and quiz, enforced by the database so two tabs (or two instances)
        // starting at once cannot both succeed. Partial unique indexes read the same on both engines.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_attempts_running ON quiz_attempts (quiz_id, teacher_id) \
                 WHERE status = 'in_progress'",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["attempt_answers", "quiz_attempts", "quizzes", "questions"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
