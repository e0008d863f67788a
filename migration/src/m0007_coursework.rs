//! The professional line of a program (issue #4): classes (班级) with their tutors and placed enrolments,
//! coursework (作业) with every submission kept, and offline sessions with attendance (考勤). Hours are integer
//! half-hours; what they earn is credited through the hours ledger, not stored here.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TrainingClasses {
    Table,
    Id,
    ProgramId,
    Name,
    Institution,
    Path,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassTutors {
    Table,
    Id,
    ClassId,
    AccountId,
    AssignedBy,
    AssignedAt,
}

#[derive(DeriveIden)]
enum ClassMembers {
    Table,
    Id,
    ClassId,
    EnrollmentId,
    TeacherId,
    PlacedBy,
    PlacedAt,
}

#[derive(DeriveIden)]
enum Assignments {
    Table,
    Id,
    ProgramId,
    ClassId,
    Path,
    Title,
    Instructions,
    Deadline,
    Category,
    HalfHours,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    AssignmentId,
    EnrollmentId,
    TeacherId,
    ClassId,
    Body,
    Attachments,
    SubmittedAt,
    Score,
    Passed,
    Comment,
    GradedBy,
    GradedAt,
}

#[derive(DeriveIden)]
enum ClassSessions {
    Table,
    Id,
    ClassId,
    HeldOn,
    Title,
    Category,
    HalfHours,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attendance {
    Table,
    Id,
    SessionId,
    EnrollmentId,
    Present,
    RecordedBy,
    RecordedAt,
}

pub(crate) fn foreign_key(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: &str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(Alias::new(to), Alias::new("id"))
        .to_owned()
}

pub(crate) fn index(
    name: &str,
    table: impl IntoIden,
    cols: Vec<Alias>,
    unique: bool,
) -> IndexCreateStatement {
    let mut index = Index::create().name(name).table(table).to_owned();
    for c in cols {
        index.col(c);
    }
    if unique {
        index.unique();
    }
    index
}

/// [`index`] with the columns named by string, for later migrations.
pub(crate) fn index_on(
    name: &str,
    table: impl IntoIden,
    cols: &[&str],
    unique: bool,
) -> IndexCreateStatement {
    index(
        name,
        table,
        cols.iter().map(|c| Alias::new(*c)).collect(),
        unique,
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingClasses::Table)
                    .col(big_pk_auto(TrainingClasses::Id))
                    .col(big_integer(TrainingClasses::ProgramId))
                    .col(string_len(TrainingClasses::Name, 128))
                    .col(string_len_null(TrainingClasses::Institution, 128))
                    .col(string_len(TrainingClasses::Path, 96))
                    .col(big_integer(TrainingClasses::CreatedBy))
                    .col(timestamp_with_time_zone(TrainingClasses::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_classes_program",
                        (TrainingClasses::Table, TrainingClasses::ProgramId),
                        "programs",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassTutors::Table)
                    .col(big_pk_auto(ClassTutors::Id))
                    .col(big_integer(ClassTutors::ClassId))
                    .col(big_integer(ClassTutors::AccountId))
                    .col(big_integer(ClassTutors::AssignedBy))
                    .col(timestamp_with_time_zone(ClassTutors::AssignedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_tutors_class",
                        (ClassTutors::Table, ClassTutors::ClassId),
                        "training_classes",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_tutors_account",
                        (ClassTutors::Table, ClassTutors::AccountId),
                        "accounts",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassMembers::Table)
                    .col(big_pk_auto(ClassMembers::Id))
                    .col(big_integer(ClassMembers::ClassId))
                    .col(big_integer(ClassMembers::EnrollmentId))
                    .col(big_integer(ClassMembers::TeacherId))
                    .col(big_integer(ClassMembers::PlacedBy))
                    .col(timestamp_with_time_zone(ClassMembers::PlacedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_members_class",
                        (ClassMembers::Table, ClassMembers::ClassId),
                        "training_classes",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_members_enrollment",
                        (ClassMembers::Table, ClassMembers::EnrollmentId),
                        "enrollments",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Assignments::Table)
                    .col(big_pk_auto(Assignments::Id))
                    .col(big_integer(Assignments::ProgramId))
                    .col(big_integer_null(Assignments::ClassId))
                    .col(string_len(Assignments::Path, 96))
                    .col(string_len(Assignments::Title, 128))
                    .col(text(Assignments::Instructions))
                    .col(timestamp_with_time_zone(Assignments::Deadline))
                    .col(string_len(Assignments::Category, 16))
                    .col(integer(Assignments::HalfHours))
                    .col(big_integer(Assignments::CreatedBy))
                    .col(timestamp_with_time_zone(Assignments::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_assignments_program",
                        (Assignments::Table, Assignments::ProgramId),
                        "programs",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_assignments_class",
                        (Assignments::Table, Assignments::ClassId),
                        "training_classes",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Submissions::Table)
                    .col(big_pk_auto(Submissions::Id))
                    .col(big_integer(Submissions::AssignmentId))
                    .col(big_integer(Submissions::EnrollmentId))
                    .col(big_integer(Submissions::TeacherId))
                    .col(big_integer(Submissions::ClassId))
                    .col(text(Submissions::Body))
                    .col(text(Submissions::Attachments))
                    .col(timestamp_with_time_zone(Submissions::SubmittedAt))
                    .col(integer_null(Submissions::Score))
                    .col(boolean_null(Submissions::Passed))
                    .col(text_null(Submissions::Comment))
                    .col(big_integer_null(Submissions::GradedBy))
                    .col(timestamp_with_time_zone_null(Submissions::GradedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_submissions_assignment",
                        (Submissions::Table, Submissions::AssignmentId),
                        "assignments",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_submissions_enrollment",
                        (Submissions::Table, Submissions::EnrollmentId),
                        "enrollments",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassSessions::Table)
                    .col(big_pk_auto(ClassSessions::Id))
                    .col(big_integer(ClassSessions::ClassId))
                    .col(date(ClassSessions::HeldOn))
                    .col(string_len(ClassSessions::Title, 128))
                    .col(string_len(ClassSessions::Category, 16))
                    .col(integer(ClassSessions::HalfHours))
                    .col(big_integer(ClassSessions::CreatedBy))
                    .col(timestamp_with_time_zone(ClassSessions::CreatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_sessions_class",
                        (ClassSessions::Table, ClassSessions::ClassId),
                        "training_classes",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attendance::Table)
                    .col(big_pk_auto(Attendance::Id))
                    .col(big_integer(Attendance::SessionId))
                    .col(big_integer(Attendance::EnrollmentId))
                    .col(boolean(Attendance::Present))
                    .col(big_integer(Attendance::RecordedBy))
                    .col(timestamp_with_time_zone(Attendance::RecordedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_attendance_session",
                        (Attendance::Table, Attendance::SessionId),
                        "class_sessions",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_attendance_enrollment",
                        (Attendance::Table, Attendance::EnrollmentId),
                        "enrollments",
                    ))
                    .to_owned(),
            )
            .await?;
        let a = |s: &str| Alias::new(s);
        for statement in [
            index(
                "idx_classes_program",
                TrainingClasses::Table,
                vec![a("program_id")],
                false,
            ),
            index(
                "uq_class_tutors",
                ClassTutors::Table,
                vec![a("class_id"), a("account_id")],
                true,
            ),
            index(
                "idx_class_tutors_account",
                ClassTutors::Table,
                vec![a("account_id")],
                false,
            ),
            // One class per enrolment.
            index(
                "uq_class_members_enrollment",
                ClassMembers::Table,
                vec![a("enrollment_id")],
                true,
            ),
            index(
                "idx_class_members_class",
                ClassMembers::Table,
                vec![a("class_id")],
                false,
            ),
            index(
                "idx_class_members_teacher",
                ClassMembers::Table,
                vec![a("teacher_id")],
                false,
            ),
            index(
                "idx_assignments_program",
                Assignments::Table,
                vec![a("program_id"), a("class_id")],
                false,
            ),
            index(
                "idx_submissions_assignment",
                Submissions::Table,
                vec![a("assignment_id"), a("enrollment_id")],
                false,
            ),
            index(
                "idx_sessions_class",
                ClassSessions::Table,
                vec![a("class_id")],
                false,
            ),
            index(
                "uq_attendance_session_enrollment",
                Attendance::Table,
                vec![a("session_id"), a("enrollment_id")],
                true,
            ),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Attendance::Table.into_iden(),
            ClassSessions::Table.into_iden(),
            Submissions::Table.into_iden(),
            Assignments::Table.into_iden(),
            ClassMembers::Table.into_iden(),
            ClassTutors::Table.into_iden(),
            TrainingClasses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
