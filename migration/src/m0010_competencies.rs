//! ICT 2.0 micro-competencies (能力点, issue #6): the province's versioned catalogue of the 30 points, each school's
//! yearly plan, teachers' evidence submissions (every resubmission a new row linked to the previous one, graded by
//! the school and possibly overridden by the county's spot-check), and the county's reproducible spot-check draws.
//!
//! Version 1 of the catalogue is seeded as a draft: the 30 codes with their environment, and the dimension and
//! name only where they are confirmed; the province fills the other cards and publishes.
use sea_orm_migration::{prelude::*, schema::*};

use crate::m0007_coursework::{foreign_key, index_on as index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CompetencyCatalogs {
    Table,
    Id,
    Version,
    Status,
    BasedOn,
    CreatedBy,
    CreatedAt,
    PublishedBy,
    PublishedAt,
}

#[derive(DeriveIden)]
enum CompetencyPoints {
    Table,
    Id,
    CatalogId,
    Code,
    Environment,
    Dimension,
    Name,
    Description,
    EvidenceItems,
    ExcellentCriteria,
    PassCriteria,
    Position,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CompetencyPlans {
    Table,
    Id,
    SchoolId,
    Path,
    Year,
    CatalogId,
    RequiredPasses,
    DistinctDimensions,
    CreatedBy,
    CreatedAt,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CompetencyPlanPoints {
    Table,
    Id,
    PlanId,
    PointId,
    Code,
    Compulsory,
}

#[derive(DeriveIden)]
enum CompetencySubmissions {
    Table,
    Id,
    TeacherId,
    SchoolId,
    Path,
    Year,
    PlanId,
    PointId,
    Code,
    PreviousId,
    Latest,
    Items,
    SubmittedAt,
    SchoolGrade,
    SchoolChecks,
    SchoolComment,
    SchoolReviewer,
    SchoolReviewedAt,
    CountyGrade,
    CountyChecks,
    CountyComment,
    CountyReviewer,
    CountyReviewedAt,
    FinalGrade,
}

#[derive(DeriveIden)]
enum CompetencySpotChecks {
    Table,
    Id,
    CountyCode,
    Path,
    Year,
    Seed,
    SharePercent,
    Population,
    Drawn,
    DrawnBy,
    DrawnAt,
}

#[derive(DeriveIden)]
enum CompetencySpotCheckItems {
    Table,
    Id,
    SpotCheckId,
    SubmissionId,
}

/// The confirmed cards: (code, dimension, name).
const CONFIRMED: &[(&str, Option<&str>, &str)] = &[
    ("A1", Some("analysis"), "技术支持的学情分析"),
    ("A3", None, "演示文稿设计与制作"),
    ("B3", None, "探究型学习活动设计"),
    ("B6", None, "技术支持的展示交流"),
    ("C4", Some("guidance"), "支持学生创造性学习与表达"),
];

/// A1–A13 多媒体教学环境, B1–B10 混合学习环境, C1–C7 智慧学习环境.
fn codes() -> Vec<(String, &'static str)> {
    let mut out = Vec::with_capacity(30);
    for (env, n) in [("A", 13), ("B", 10), ("C", 7)] {
        for i in 1..=n {
            out.push((format!("{env}{i}"), env));
        }
    }
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CompetencyCatalogs::Table)
                    .col(big_pk_auto(CompetencyCatalogs::Id))
                    .col(integer_uniq(CompetencyCatalogs::Version))
                    .col(string_len(CompetencyCatalogs::Status, 16))
                    .col(big_integer_null(CompetencyCatalogs::BasedOn))
                    .col(big_integer_null(CompetencyCatalogs::CreatedBy))
                    .col(timestamp_with_time_zone(CompetencyCatalogs::CreatedAt))
                    .col(big_integer_null(CompetencyCatalogs::PublishedBy))
                    .col(timestamp_with_time_zone_null(
                        CompetencyCatalogs::PublishedAt,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencyPoints::Table)
                    .col(big_pk_auto(CompetencyPoints::Id))
                    .col(big_integer(CompetencyPoints::CatalogId))
                    .col(string_len(CompetencyPoints::Code, 4))
                    .col(string_len(CompetencyPoints::Environment, 1))
                    .col(string_len_null(CompetencyPoints::Dimension, 16))
                    .col(string_len(CompetencyPoints::Name, 128))
                    .col(text(CompetencyPoints::Description))
                    .col(text(CompetencyPoints::EvidenceItems))
                    .col(text(CompetencyPoints::ExcellentCriteria))
                    .col(text(CompetencyPoints::PassCriteria))
                    .col(integer(CompetencyPoints::Position))
                    .col(big_integer_null(CompetencyPoints::UpdatedBy))
                    .col(timestamp_with_time_zone(CompetencyPoints::UpdatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_points_catalog",
                        (CompetencyPoints::Table, CompetencyPoints::CatalogId),
                        "competency_catalogs",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencyPlans::Table)
                    .col(big_pk_auto(CompetencyPlans::Id))
                    .col(big_integer(CompetencyPlans::SchoolId))
                    .col(string_len(CompetencyPlans::Path, 96))
                    .col(integer(CompetencyPlans::Year))
                    .col(big_integer(CompetencyPlans::CatalogId))
                    .col(integer(CompetencyPlans::RequiredPasses))
                    .col(boolean(CompetencyPlans::DistinctDimensions))
                    .col(big_integer(CompetencyPlans::CreatedBy))
                    .col(timestamp_with_time_zone(CompetencyPlans::CreatedAt))
                    .col(big_integer(CompetencyPlans::UpdatedBy))
                    .col(timestamp_with_time_zone(CompetencyPlans::UpdatedAt))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_plans_school",
                        (CompetencyPlans::Table, CompetencyPlans::SchoolId),
                        "schools",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_plans_catalog",
                        (CompetencyPlans::Table, CompetencyPlans::CatalogId),
                        "competency_catalogs",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencyPlanPoints::Table)
                    .col(big_pk_auto(CompetencyPlanPoints::Id))
                    .col(big_integer(CompetencyPlanPoints::PlanId))
                    .col(big_integer(CompetencyPlanPoints::PointId))
                    .col(string_len(CompetencyPlanPoints::Code, 4))
                    .col(boolean(CompetencyPlanPoints::Compulsory))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_plan_points_plan",
                        (CompetencyPlanPoints::Table, CompetencyPlanPoints::PlanId),
                        "competency_plans",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_plan_points_point",
                        (CompetencyPlanPoints::Table, CompetencyPlanPoints::PointId),
                        "competency_points",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencySubmissions::Table)
                    .col(big_pk_auto(CompetencySubmissions::Id))
                    .col(big_integer(CompetencySubmissions::TeacherId))
                    .col(big_integer(CompetencySubmissions::SchoolId))
                    .col(string_len(CompetencySubmissions::Path, 96))
                    .col(integer(CompetencySubmissions::Year))
                    .col(big_integer(CompetencySubmissions::PlanId))
                    .col(big_integer(CompetencySubmissions::PointId))
                    .col(string_len(CompetencySubmissions::Code, 4))
                    .col(big_integer_null(CompetencySubmissions::PreviousId))
                    .col(boolean(CompetencySubmissions::Latest))
                    .col(text(CompetencySubmissions::Items))
                    .col(timestamp_with_time_zone(CompetencySubmissions::SubmittedAt))
                    .col(string_len_null(CompetencySubmissions::SchoolGrade, 16))
                    .col(text_null(CompetencySubmissions::SchoolChecks))
                    .col(text_null(CompetencySubmissions::SchoolComment))
                    .col(big_integer_null(CompetencySubmissions::SchoolReviewer))
                    .col(timestamp_with_time_zone_null(
                        CompetencySubmissions::SchoolReviewedAt,
                    ))
                    .col(string_len_null(CompetencySubmissions::CountyGrade, 16))
                    .col(text_null(CompetencySubmissions::CountyChecks))
                    .col(text_null(CompetencySubmissions::CountyComment))
                    .col(big_integer_null(CompetencySubmissions::CountyReviewer))
                    .col(timestamp_with_time_zone_null(
                        CompetencySubmissions::CountyReviewedAt,
                    ))
                    .col(string_len_null(CompetencySubmissions::FinalGrade, 16))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_submissions_teacher",
                        (
                            CompetencySubmissions::Table,
                            CompetencySubmissions::TeacherId,
                        ),
                        "teachers",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_submissions_plan",
                        (CompetencySubmissions::Table, CompetencySubmissions::PlanId),
                        "competency_plans",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_submissions_point",
                        (CompetencySubmissions::Table, CompetencySubmissions::PointId),
                        "competency_points",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencySpotChecks::Table)
                    .col(big_pk_auto(CompetencySpotChecks::Id))
                    .col(string_len(CompetencySpotChecks::CountyCode, 6))
                    .col(string_len(CompetencySpotChecks::Path, 96))
                    .col(integer(CompetencySpotChecks::Year))
                    .col(big_integer(CompetencySpotChecks::Seed))
                    .col(integer(CompetencySpotChecks::SharePercent))
                    .col(integer(CompetencySpotChecks::Population))
                    .col(integer(CompetencySpotChecks::Drawn))
                    .col(big_integer(CompetencySpotChecks::DrawnBy))
                    .col(timestamp_with_time_zone(CompetencySpotChecks::DrawnAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CompetencySpotCheckItems::Table)
                    .col(big_pk_auto(CompetencySpotCheckItems::Id))
                    .col(big_integer(CompetencySpotCheckItems::SpotCheckId))
                    .col(big_integer(CompetencySpotCheckItems::SubmissionId))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_spot_items_draw",
                        (
                            CompetencySpotCheckItems::Table,
                            CompetencySpotCheckItems::SpotCheckId,
                        ),
                        "competency_spot_checks",
                    ))
                    .foreign_key(&mut foreign_key(
                        "fk_competency_spot_items_submission",
                        (
                            CompetencySpotCheckItems::Table,
                            CompetencySpotCheckItems::SubmissionId,
                        ),
                        "competency_submissions",
                    ))
                    .to_owned(),
            )
            .await?;
        for statement in [
            index(
                "uq_competency_points_catalog_code",
                CompetencyPoints::Table,
                &["catalog_id", "code"],
                true,
            ),
            index(
                "uq_competency_plans_school_year",
                CompetencyPlans::Table,
                &["school_id", "year"],
                true,
            ),
            index(
                "idx_competency_plans_path",
                CompetencyPlans::Table,
                &["path"],
                false,
            ),
            index(
                "uq_competency_plan_points",
                CompetencyPlanPoints::Table,
                &["plan_id", "point_id"],
                true,
            ),
            index(
                "idx_competency_submissions_teacher",
                CompetencySubmissions::Table,
                &["teacher_id", "year", "code"],
                false,
            ),
            index(
                "idx_competency_submissions_path",
                CompetencySubmissions::Table,
                &["path", "year"],
                false,
            ),
            index(
                "idx_competency_spot_checks_path",
                CompetencySpotChecks::Table,
                &["path", "year"],
                false,
            ),
            index(
                "uq_competency_spot_check_items",
                CompetencySpotCheckItems::Table,
                &["spot_check_id", "submission_id"],
                true,
            ),
            index(
                "idx_competency_spot_check_items_submission",
                CompetencySpotCheckItems::Table,
                &["submission_id"],
                false,
            ),
        ] {
            manager.create_index(statement).await?;
        }
        seed_version_one(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CompetencySpotCheckItems::Table.into_iden(),
            CompetencySpotChecks::Table.into_iden(),
            CompetencySubmissions::Table.into_iden(),
            CompetencyPlanPoints::Table.into_iden(),
            CompetencyPlans::Table.into_iden(),
            CompetencyPoints::Table.into_iden(),
            CompetencyCatalogs::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Catalogue version 1 as a draft: the framework (codes, environments), the confirmed names and dimensions, and
/// placeholders the province replaces before publishing.
async fn seed_version_one(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let now = Expr::current_timestamp();
    let insert = Query::insert()
        .into_table(CompetencyCatalogs::Table)
        .columns([
            CompetencyCatalogs::Version,
            CompetencyCatalogs::Status,
            CompetencyCatalogs::CreatedAt,
        ])
        .values_panic([1i32.into(), "draft".into(), now.clone()])
        .to_owned();
    manager.exec_stmt(insert).await?;
    // The first row of a fresh table: id 1 on both engines.
    let catalog_id: i64 = 1;
    let mut points = Query::insert()
        .into_table(CompetencyPoints::Table)
        .columns([
            CompetencyPoints::CatalogId,
            CompetencyPoints::Code,
            CompetencyPoints::Environment,
            CompetencyPoints::Dimension,
            CompetencyPoints::Name,
            CompetencyPoints::Description,
            CompetencyPoints::EvidenceItems,
            CompetencyPoints::ExcellentCriteria,
            CompetencyPoints::PassCriteria,
            CompetencyPoints::Position,
            CompetencyPoints::UpdatedAt,
        ])
        .to_owned();
    for (position, (code, env)) in codes().into_iter().enumerate() {
        let confirmed = CONFIRMED.iter().find(|(c, _, _)| *c == code);
        let name = confirmed
            .map(|(_, _, n)| String::from(*n))
            .unwrap_or_else(|| format!("{code}（待省级填写）"));
        let dimension: Option<String> = confirmed.and_then(|(_, d, _)| d.map(String::from));
        points.values_panic([
            catalog_id.into(),
            code.into(),
            env.into(),
            dimension.into(),
            name.into(),
            "".into(),
            "[]".into(),
            "[]".into(),
            "[]".into(),
            (position as i32).into(),
            now.clone(),
        ]);
    }
    manager.exec_stmt(points).await
}
