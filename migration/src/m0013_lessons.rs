//! 一师一优课 (issue #5): the yearly activity with its upload windows and lesson catalogue, teachers' lessons and
//! their items, the school's verification of teachers, rubrics, the reviewer pools, review rounds chained from county
//! to province with their entries, assignments, declared conflicts, 公示 objections and the awards per level.
//!
//! The Wuhan 100-point rubric is seeded as the default.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index_on as index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LessonActivities {
    Table,
    Id,
    Year,
    Name,
    Windows,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonCatalogueNodes {
    Table,
    Id,
    ActivityId,
    Stage,
    Subject,
    Edition,
    Grade,
    Volume,
    Chapter,
    Node,
    Position,
}

#[derive(DeriveIden)]
enum LessonTeacherVerifications {
    Table,
    Id,
    ActivityId,
    TeacherId,
    Path,
    VerifiedBy,
    VerifiedAt,
}

#[derive(DeriveIden)]
enum Lessons {
    Table,
    Id,
    ActivityId,
    CatalogueNodeId,
    TeacherId,
    SchoolId,
    Path,
    Title,
    LessonNo,
    Advisors,
    Design,
    Status,
    SubmittedAt,
    CheckedBy,
    CheckedAt,
    CheckReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonItems {
    Table,
    Id,
    LessonId,
    Kind,
    MaterialType,
    FileId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonRubrics {
    Table,
    Id,
    Name,
    Path,
    Criteria,
    IsDefault,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonReviewers {
    Table,
    Id,
    AccountId,
    Path,
    HomeSchoolId,
    HomeCounty,
    CertifiedBy,
    CertifiedAt,
}

#[derive(DeriveIden)]
enum LessonRounds {
    Table,
    Id,
    ActivityId,
    Level,
    RegionCode,
    Path,
    Name,
    RubricId,
    Criteria,
    ReviewersPerLesson,
    Blind,
    SameCountyConflict,
    Aggregation,
    SpreadThreshold,
    QuotaKind,
    QuotaValue,
    Deadline,
    ReminderDays,
    PublicityDays,
    Status,
    PublicityEndsAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LessonRoundEntries {
    Table,
    Id,
    RoundId,
    LessonId,
    TeacherId,
    SchoolId,
    Path,
    Slot,
    Score,
    Spread,
    Flagged,
    OverrideScore,
    OverrideReason,
    OverrideBy,
    Rank,
    Recommended,
    Reason,
    Excluded,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonAssignments {
    Table,
    Id,
    RoundId,
    EntryId,
    ReviewerId,
    Status,
    Scores,
    Total,
    Comment,
    AssignedBy,
    AssignedAt,
    SavedAt,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum LessonConflicts {
    Table,
    Id,
    ActivityId,
    ReviewerId,
    TeacherId,
    SchoolId,
    Reason,
    DeclaredBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonObjections {
    Table,
    Id,
    RoundId,
    EntryId,
    RaisedBy,
    Text,
    Status,
    Response,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LessonAwards {
    Table,
    Id,
    ActivityId,
    LessonId,
    RoundId,
    Level,
    Path,
    AwardedAt,
}

/// The Wuhan 100-point rubric: (key, name, maximum points).
const WUHAN: &[(&str, &str, u32)] = &[
    ("objectives", "教学目标", 10),
    ("strategy", "教学策略", 15),
    ("content", "教学内容", 20),
    ("methods", "教学方法", 20),
    ("effect", "教学效果", 20),
    ("assessment", "学习评价", 10),
    ("literacy", "基本素养", 5),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for statement in indexes() {
            manager.create_index(statement).await?;
        }
        seed_wuhan_rubric(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            LessonAwards::Table.into_iden(),
            LessonObjections::Table.into_iden(),
            LessonConflicts::Table.into_iden(),
            LessonAssignments::Table.into_iden(),
            LessonRoundEntries::Table.into_iden(),
            LessonRounds::Table.into_iden(),
            LessonReviewers::Table.into_iden(),
            LessonRubrics::Table.into_iden(),
            LessonItems::Table.into_iden(),
            Lessons::Table.into_iden(),
            LessonTeacherVerifications::Table.into_iden(),
            LessonCatalogueNodes::Table.into_iden(),
            LessonActivities::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

fn tables() -> Vec<TableCreateStatement> {
    let mut out = activity_tables();
    out.extend(lesson_tables());
    out.extend(review_tables());
    out
}

fn activity_tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(LessonActivities::Table)
            .col(big_pk_auto(LessonActivities::Id))
            .col(integer_uniq(LessonActivities::Year))
            .col(string_len(LessonActivities::Name, 128))
            .col(text(LessonActivities::Windows))
            .col(big_integer(LessonActivities::CreatedBy))
            .col(timestamp_with_time_zone(LessonActivities::CreatedAt))
            .col(timestamp_with_time_zone(LessonActivities::UpdatedAt))
            .to_owned(),
        Table::create()
            .table(LessonCatalogueNodes::Table)
            .col(big_pk_auto(LessonCatalogueNodes::Id))
            .col(big_integer(LessonCatalogueNodes::ActivityId))
            .col(string_len(LessonCatalogueNodes::Stage, 16))
            .col(string_len(LessonCatalogueNodes::Subject, 32))
            .col(string_len(LessonCatalogueNodes::Edition, 64))
            .col(string_len(LessonCatalogueNodes::Grade, 16))
            .col(string_len(LessonCatalogueNodes::Volume, 8))
            .col(string_len(LessonCatalogueNodes::Chapter, 128))
            .col(string_len(LessonCatalogueNodes::Node, 128))
            .col(integer(LessonCatalogueNodes::Position))
            .foreign_key(&mut foreign_key(
                "fk_lesson_catalogue_activity",
                (
                    LessonCatalogueNodes::Table,
                    LessonCatalogueNodes::ActivityId,
                ),
                "lesson_activities",
            ))
            .to_owned(),
        Table::create()
            .table(LessonTeacherVerifications::Table)
            .col(big_pk_auto(LessonTeacherVerifications::Id))
            .col(big_integer(LessonTeacherVerifications::ActivityId))
            .col(big_integer(LessonTeacherVerifications::TeacherId))
            .col(string_len(LessonTeacherVerifications::Path, 96))
            .col(big_integer(LessonTeacherVerifications::VerifiedBy))
            .col(timestamp_with_time_zone(
                LessonTeacherVerifications::VerifiedAt,
            ))
            .foreign_key(&mut foreign_key(
                "fk_lesson_verifications_teacher",
                (
                    LessonTeacherVerifications::Table,
                    LessonTeacherVerifications::TeacherId,
                ),
                "teachers",
            ))
            .to_owned(),
    ]
}

fn lesson_tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(Lessons::Table)
            .col(big_pk_auto(Lessons::Id))
            .col(big_integer(Lessons::ActivityId))
            .col(big_integer(Lessons::CatalogueNodeId))
            .col(big_integer(Lessons::TeacherId))
            .col(big_integer(Lessons::SchoolId))
            .col(string_len(Lessons::Path, 96))
            .col(string_len(Lessons::Title, 200))
            .col(integer(Lessons::LessonNo))
            .col(text(Lessons::Advisors))
            .col(text(Lessons::Design))
            .col(string_len(Lessons::Status, 16))
            .col(timestamp_with_time_zone_null(Lessons::SubmittedAt))
            .col(big_integer_null(Lessons::CheckedBy))
            .col(timestamp_with_time_zone_null(Lessons::CheckedAt))
            .col(text_null(Lessons::CheckReason))
            .col(timestamp_with_time_zone(Lessons::CreatedAt))
            .col(timestamp_with_time_zone(Lessons::UpdatedAt))
            .foreign_key(&mut foreign_key(
                "fk_lessons_node",
                (Lessons::Table, Lessons::CatalogueNodeId),
                "lesson_catalogue_nodes",
            ))
            .foreign_key(&mut foreign_key(
                "fk_lessons_teacher",
                (Lessons::Table, Lessons::TeacherId),
                "teachers",
            ))
            .to_owned(),
        Table::create()
            .table(LessonItems::Table)
            .col(big_pk_auto(LessonItems::Id))
            .col(big_integer(LessonItems::LessonId))
            .col(string_len(LessonItems::Kind, 24))
            .col(string_len_null(LessonItems::MaterialType, 24))
            .col(big_integer(LessonItems::FileId))
            .col(timestamp_with_time_zone(LessonItems::CreatedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_items_lesson",
                (LessonItems::Table, LessonItems::LessonId),
                "lessons",
            ))
            .foreign_key(&mut foreign_key(
                "fk_lesson_items_file",
                (LessonItems::Table, LessonItems::FileId),
                "files",
            ))
            .to_owned(),
    ]
}

fn review_tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(LessonRubrics::Table)
            .col(big_pk_auto(LessonRubrics::Id))
            .col(string_len(LessonRubrics::Name, 128))
            .col(string_len(LessonRubrics::Path, 96))
            .col(text(LessonRubrics::Criteria))
            .col(boolean(LessonRubrics::IsDefault))
            .col(big_integer_null(LessonRubrics::CreatedBy))
            .col(timestamp_with_time_zone(LessonRubrics::CreatedAt))
            .to_owned(),
        Table::create()
            .table(LessonReviewers::Table)
            .col(big_pk_auto(LessonReviewers::Id))
            .col(big_integer(LessonReviewers::AccountId))
            .col(string_len(LessonReviewers::Path, 96))
            .col(big_integer_null(LessonReviewers::HomeSchoolId))
            .col(string_len_null(LessonReviewers::HomeCounty, 12))
            .col(big_integer(LessonReviewers::CertifiedBy))
            .col(timestamp_with_time_zone(LessonReviewers::CertifiedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_reviewers_account",
                (LessonReviewers::Table, LessonReviewers::AccountId),
                "accounts",
            ))
            .to_owned(),
        Table::create()
            .table(LessonRounds::Table)
            .col(big_pk_auto(LessonRounds::Id))
            .col(big_integer(LessonRounds::ActivityId))
            .col(string_len(LessonRounds::Level, 16))
            .col(string_len(LessonRounds::RegionCode, 12))
            .col(string_len(LessonRounds::Path, 96))
            .col(string_len(LessonRounds::Name, 200))
            .col(big_integer(LessonRounds::RubricId))
            .col(text(LessonRounds::Criteria))
            .col(integer(LessonRounds::ReviewersPerLesson))
            .col(boolean(LessonRounds::Blind))
            .col(boolean(LessonRounds::SameCountyConflict))
            .col(string_len(LessonRounds::Aggregation, 16))
            .col(double(LessonRounds::SpreadThreshold))
            .col(string_len(LessonRounds::QuotaKind, 8))
            .col(integer(LessonRounds::QuotaValue))
            .col(timestamp_with_time_zone(LessonRounds::Deadline))
            .col(text(LessonRounds::ReminderDays))
            .col(integer(LessonRounds::PublicityDays))
            .col(string_len(LessonRounds::Status, 16))
            .col(timestamp_with_time_zone_null(LessonRounds::PublicityEndsAt))
            .col(big_integer(LessonRounds::CreatedBy))
            .col(timestamp_with_time_zone(LessonRounds::CreatedAt))
            .col(timestamp_with_time_zone(LessonRounds::UpdatedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_rounds_activity",
                (LessonRounds::Table, LessonRounds::ActivityId),
                "lesson_activities",
            ))
            .to_owned(),
        Table::create()
            .table(LessonRoundEntries::Table)
            .col(big_pk_auto(LessonRoundEntries::Id))
            .col(big_integer(LessonRoundEntries::RoundId))
            .col(big_integer(LessonRoundEntries::LessonId))
            .col(big_integer(LessonRoundEntries::TeacherId))
            .col(big_integer(LessonRoundEntries::SchoolId))
            .col(string_len(LessonRoundEntries::Path, 96))
            .col(string_len(LessonRoundEntries::Slot, 400))
            .col(double_null(LessonRoundEntries::Score))
            .col(double_null(LessonRoundEntries::Spread))
            .col(boolean(LessonRoundEntries::Flagged))
            .col(double_null(LessonRoundEntries::OverrideScore))
            .col(text_null(LessonRoundEntries::OverrideReason))
            .col(big_integer_null(LessonRoundEntries::OverrideBy))
            .col(integer_null(LessonRoundEntries::Rank))
            .col(boolean(LessonRoundEntries::Recommended))
            .col(string_len_null(LessonRoundEntries::Reason, 24))
            .col(boolean(LessonRoundEntries::Excluded))
            .col(timestamp_with_time_zone(LessonRoundEntries::CreatedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_entries_round",
                (LessonRoundEntries::Table, LessonRoundEntries::RoundId),
                "lesson_rounds",
            ))
            .foreign_key(&mut foreign_key(
                "fk_lesson_entries_lesson",
                (LessonRoundEntries::Table, LessonRoundEntries::LessonId),
                "lessons",
            ))
            .to_owned(),
        Table::create()
            .table(LessonAssignments::Table)
            .col(big_pk_auto(LessonAssignments::Id))
            .col(big_integer(LessonAssignments::RoundId))
            .col(big_integer(LessonAssignments::EntryId))
            .col(big_integer(LessonAssignments::ReviewerId))
            .col(string_len(LessonAssignments::Status, 16))
            .col(text(LessonAssignments::Scores))
            .col(double_null(LessonAssignments::Total))
            .col(text_null(LessonAssignments::Comment))
            .col(big_integer_null(LessonAssignments::AssignedBy))
            .col(timestamp_with_time_zone(LessonAssignments::AssignedAt))
            .col(timestamp_with_time_zone_null(LessonAssignments::SavedAt))
            .col(timestamp_with_time_zone_null(
                LessonAssignments::SubmittedAt,
            ))
            .foreign_key(&mut foreign_key(
                "fk_lesson_assignments_entry",
                (LessonAssignments::Table, LessonAssignments::EntryId),
                "lesson_round_entries",
            ))
            .foreign_key(&mut foreign_key(
                "fk_lesson_assignments_reviewer",
                (LessonAssignments::Table, LessonAssignments::ReviewerId),
                "accounts",
            ))
            .to_owned(),
        Table::create()
            .table(LessonConflicts::Table)
            .col(big_pk_auto(LessonConflicts::Id))
            .col(big_integer(LessonConflicts::ActivityId))
            .col(big_integer(LessonConflicts::ReviewerId))
            .col(big_integer_null(LessonConflicts::TeacherId))
            .col(big_integer_null(LessonConflicts::SchoolId))
            .col(text(LessonConflicts::Reason))
            .col(big_integer(LessonConflicts::DeclaredBy))
            .col(timestamp_with_time_zone(LessonConflicts::CreatedAt))
            .to_owned(),
        Table::create()
            .table(LessonObjections::Table)
            .col(big_pk_auto(LessonObjections::Id))
            .col(big_integer(LessonObjections::RoundId))
            .col(big_integer(LessonObjections::EntryId))
            .col(big_integer(LessonObjections::RaisedBy))
            .col(text(LessonObjections::Text))
            .col(string_len(LessonObjections::Status, 16))
            .col(text_null(LessonObjections::Response))
            .col(big_integer_null(LessonObjections::ResolvedBy))
            .col(timestamp_with_time_zone_null(LessonObjections::ResolvedAt))
            .col(timestamp_with_time_zone(LessonObjections::CreatedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_objections_entry",
                (LessonObjections::Table, LessonObjections::EntryId),
                "lesson_round_entries",
            ))
            .to_owned(),
        Table::create()
            .table(LessonAwards::Table)
            .col(big_pk_auto(LessonAwards::Id))
            .col(big_integer(LessonAwards::ActivityId))
            .col(big_integer(LessonAwards::LessonId))
            .col(big_integer(LessonAwards::RoundId))
            .col(string_len(LessonAwards::Level, 16))
            .col(string_len(LessonAwards::Path, 96))
            .col(timestamp_with_time_zone(LessonAwards::AwardedAt))
            .foreign_key(&mut foreign_key(
                "fk_lesson_awards_lesson",
                (LessonAwards::Table, LessonAwards::LessonId),
                "lessons",
            ))
            .to_owned(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index(
            "uq_lesson_catalogue_node",
            LessonCatalogueNodes::Table,
            &[
                "activity_id",
                "stage",
                "subject",
                "edition",
                "grade",
                "volume",
                "chapter",
                "node",
            ],
            true,
        ),
        index(
            "uq_lesson_verifications",
            LessonTeacherVerifications::Table,
            &["activity_id", "teacher_id"],
            true,
        ),
        index(
            "idx_lessons_path",
            Lessons::Table,
            &["activity_id", "path"],
            false,
        ),
        index(
            "idx_lessons_teacher",
            Lessons::Table,
            &["teacher_id", "activity_id"],
            false,
        ),
        index(
            "idx_lesson_items_lesson",
            LessonItems::Table,
            &["lesson_id"],
            false,
        ),
        index(
            "idx_lesson_items_file",
            LessonItems::Table,
            &["file_id"],
            false,
        ),
        index(
            "uq_lesson_reviewers",
            LessonReviewers::Table,
            &["account_id", "path"],
            true,
        ),
        index(
            "uq_lesson_rounds_level",
            LessonRounds::Table,
            &["activity_id", "level", "region_code"],
            true,
        ),
        index(
            "uq_lesson_round_entries",
            LessonRoundEntries::Table,
            &["round_id", "lesson_id"],
            true,
        ),
        index(
            "idx_lesson_round_entries_lesson",
            LessonRoundEntries::Table,
            &["lesson_id"],
            false,
        ),
        index(
            "uq_lesson_assignments",
            LessonAssignments::Table,
            &["entry_id", "reviewer_id"],
            true,
        ),
        index(
            "idx_lesson_assignments_reviewer",
            LessonAssignments::Table,
            &["reviewer_id", "round_id"],
            false,
        ),
        index(
            "idx_lesson_assignments_round",
            LessonAssignments::Table,
            &["round_id"],
            false,
        ),
        index(
            "idx_lesson_conflicts",
            LessonConflicts::Table,
            &["activity_id", "reviewer_id"],
            false,
        ),
        index(
            "idx_lesson_objections_round",
            LessonObjections::Table,
            &["round_id", "status"],
            false,
        ),
        index(
            "uq_lesson_awards",
            LessonAwards::Table,
            &["lesson_id", "level"],
            true,
        ),
        index(
            "idx_lesson_awards_activity",
            LessonAwards::Table,
            &["activity_id", "level", "path"],
            false,
        ),
    ]
}

async fn seed_wuhan_rubric(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    // Keys and names are plain words, so the JSON is written by hand (this crate has no JSON dependency).
    let criteria: Vec<String> = WUHAN
        .iter()
        .map(|(key, name, max)| format!(r#"{{"key":"{key}","name":"{name}","max_points":{max}}}"#))
        .collect();
    let insert = Query::insert()
        .into_table(LessonRubrics::Table)
        .columns([
            LessonRubrics::Name,
            LessonRubrics::Path,
            LessonRubrics::Criteria,
            LessonRubrics::IsDefault,
            LessonRubrics::CreatedAt,
        ])
        .values_panic([
            "武汉市一师一优课评价标准（100分）".into(),
            "/".into(),
            format!("[{}]", criteria.join(",")).into(),
            true.into(),
            Expr::current_timestamp(),
        ])
        .to_owned();
    manager.exec_stmt(insert).await
}
