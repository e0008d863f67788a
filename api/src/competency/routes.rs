//! 能力点 over HTTP: the catalogue, school plans, evidence and its review, county spot-checks and the report.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    Grade,
    catalogue::{self, CatalogStatus, CatalogSummary, CatalogView, PointInput, PointView},
    evidence::{
        self, ChecklistInput, EvidenceStatus, EvidenceSubmissionInput, EvidenceSubmissionView,
        MyCompetencyView, SubmissionFilter, SubmissionSort,
    },
    plans::{self, PlanInput, PlanView},
    report::{self, CompetencyReport},
    spot_checks::{self, DrawInput, SpotCheckView},
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::AppResult,
        paging::{Page, SortOrder},
        tabular::{Download, FileFormat},
    },
    tags::Tag,
};

pub struct CompetencyApi;

#[OpenApi(tag = "Tag::Competency")]
impl CompetencyApi {
    /// Catalogue versions, newest first: published and retired ones for everyone, drafts for the province.
    #[oai(
        path = "/competency/catalogs",
        method = "get",
        operation_id = "listCompetencyCatalogs"
    )]
    async fn list_catalogs(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<CatalogStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<CatalogSummary>>> {
        Ok(Json(
            catalogue::list(&state.db, &auth.0, status.0, page.0, page_size.0).await?,
        ))
    }

    /// One catalogue version with its 30 cards.
    #[oai(
        path = "/competency/catalogs/:id",
        method = "get",
        operation_id = "getCompetencyCatalog"
    )]
    async fn get_catalog(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<CatalogView>> {
        Ok(Json(catalogue::get(&state.db, &auth.0, id.0).await?))
    }

    /// A new draft version copied from the published one (the province; 409 while a draft exists).
    #[oai(
        path = "/competency/catalogs",
        method = "post",
        operation_id = "createCompetencyDraft"
    )]
    async fn create_draft(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<CatalogView>> {
        Ok(Json(catalogue::create_draft(&state, &auth.0).await?))
    }

    /// Edit one card of a draft: name, dimension, description, evidence items, 优秀 and 合格 criteria (the
    /// province; 409 on a published version).
    #[oai(
        path = "/competency/catalogs/:id/points/:code",
        method = "put",
        operation_id = "updateCompetencyPoint"
    )]
    async fn update_point(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        code: Path<String>,
        body: Json<PointInput>,
    ) -> AppResult<Json<PointView>> {
        Ok(Json(
            catalogue::update_point(&state, &auth.0, id.0, &code.0, body.0).await?,
        ))
    }

    /// Publish a draft whose cards are all complete (422 names each incomplete card); the previous version is
    /// retired, plans keep the version they were made on.
    #[oai(
        path = "/competency/catalogs/:id/publish",
        method = "post",
        operation_id = "publishCompetencyCatalog"
    )]
    async fn publish(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<CatalogView>> {
        Ok(Json(catalogue::publish(&state, &auth.0, id.0).await?))
    }

    /// Make or replace a school's plan for a year (`competency.plan`; a school outside my area is a 422 on
    /// `school_code`).
    #[oai(
        path = "/competency/plans",
        method = "put",
        operation_id = "saveCompetencyPlan"
    )]
    async fn save_plan(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<PlanInput>,
    ) -> AppResult<Json<PlanView>> {
        Ok(Json(plans::save(&state.db, &auth.0, body.0).await?))
    }

    /// Plans of my area (and, for a teacher, my school's).
    #[oai(
        path = "/competency/plans",
        method = "get",
        operation_id = "listCompetencyPlans"
    )]
    async fn list_plans(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<Option<i32>>,
        school_code: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<PlanView>>> {
        Ok(Json(
            plans::list(
                &state.db,
                &auth.0,
                year.0,
                school_code.0,
                page.0,
                page_size.0,
            )
            .await?,
        ))
    }

    /// One plan.
    #[oai(
        path = "/competency/plans/:id",
        method = "get",
        operation_id = "getCompetencyPlan"
    )]
    async fn get_plan(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<PlanView>> {
        Ok(Json(plans::get(&state.db, &auth.0, id.0).await?))
    }

    /// My 能力点 year (a teacher): my school's plan, each card with my latest submission, passed count and whether
    /// I meet the plan.
    #[oai(
        path = "/my/competency",
        method = "get",
        operation_id = "getMyCompetency"
    )]
    async fn mine(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<i32>,
    ) -> AppResult<Json<MyCompetencyView>> {
        Ok(Json(evidence::mine(&state.db, &auth.0, year.0).await?))
    }

    /// Submit evidence for a point of my school's plan (a teacher): text and uploaded files
    /// (`POST /api/files?purpose=competency`) per evidence item. A resubmission keeps the earlier ones as history.
    #[oai(
        path = "/competency/submissions",
        method = "post",
        operation_id = "submitCompetencyEvidence"
    )]
    async fn submit(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<EvidenceSubmissionInput>,
    ) -> AppResult<Json<EvidenceSubmissionView>> {
        Ok(Json(evidence::submit(&state.db, &auth.0, body.0).await?))
    }

    /// Submissions I may see (my area's, where I review, my own): the latest of each chain unless `all_versions`.
    #[oai(
        path = "/competency/submissions",
        method = "get",
        operation_id = "listCompetencySubmissions"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn list_submissions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<Option<i32>>,
        code: Query<Option<String>>,
        status: Query<Option<EvidenceStatus>>,
        grade: Query<Option<Grade>>,
        school_code: Query<Option<String>>,
        teacher_id: Query<Option<i64>>,
        spot_check_id: Query<Option<i64>>,
        all_versions: Query<Option<bool>>,
        sort: Query<Option<SubmissionSort>>,
        order: Query<Option<SortOrder>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<EvidenceSubmissionView>>> {
        let filter = SubmissionFilter {
            year: year.0,
            code: code.0,
            status: status.0,
            school_code: school_code.0,
            teacher_id: teacher_id.0,
            grade: grade.0,
            spot_check_id: spot_check_id.0,
            all_versions: all_versions.0.unwrap_or(false),
            sort: sort.0.unwrap_or_default(),
            order: order.0.unwrap_or(SortOrder::Desc),
        };
        Ok(Json(
            evidence::list(&state.db, &auth.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// One submission with its evidence and reviews.
    #[oai(
        path = "/competency/submissions/:id",
        method = "get",
        operation_id = "getCompetencySubmission"
    )]
    async fn get_submission(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<EvidenceSubmissionView>> {
        Ok(Json(evidence::get(&state.db, &auth.0, id.0).await?))
    }

    /// Every submission of the same teacher, point and year, oldest first.
    #[oai(
        path = "/competency/submissions/:id/history",
        method = "get",
        operation_id = "competencySubmissionHistory"
    )]
    async fn history(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<Vec<EvidenceSubmissionView>>> {
        Ok(Json(evidence::history(&state.db, &auth.0, id.0).await?))
    }

    /// The school's review (a reviewer bound to the school): tick each 优秀 and 合格 criterion; the grade is
    /// derived, a 不合格 needs a comment. The teacher is told by mail.
    #[oai(
        path = "/competency/submissions/:id/review",
        method = "post",
        operation_id = "reviewCompetencySubmission"
    )]
    async fn review(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<ChecklistInput>,
    ) -> AppResult<Json<EvidenceSubmissionView>> {
        Ok(Json(
            evidence::review(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// The county's spot-check review of a drawn submission (a reviewer bound to the county): the same checklist;
    /// a grade different from the school's overrides it and needs the reason in `comment`.
    #[oai(
        path = "/competency/submissions/:id/spot-check",
        method = "post",
        operation_id = "spotCheckCompetencySubmission"
    )]
    async fn spot_check_review(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<ChecklistInput>,
    ) -> AppResult<Json<EvidenceSubmissionView>> {
        Ok(Json(
            spot_checks::review(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Draw a county's spot-check sample: `share_percent` of its school-passed submissions of the year, chosen
    /// reproducibly from `seed` (county administrators and reviewers bound to the county).
    #[oai(
        path = "/competency/spot-checks",
        method = "post",
        operation_id = "drawCompetencySpotCheck"
    )]
    async fn draw(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<DrawInput>,
    ) -> AppResult<Json<SpotCheckView>> {
        Ok(Json(spot_checks::create(&state, &auth.0, body.0).await?))
    }

    /// Spot-check draws of my area, newest first.
    #[oai(
        path = "/competency/spot-checks",
        method = "get",
        operation_id = "listCompetencySpotChecks"
    )]
    async fn list_draws(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<Option<i32>>,
        county_code: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<SpotCheckView>>> {
        Ok(Json(
            spot_checks::list(&state, &auth.0, year.0, county_code.0, page.0, page_size.0).await?,
        ))
    }

    /// One draw with the submissions it drew.
    #[oai(
        path = "/competency/spot-checks/:id",
        method = "get",
        operation_id = "getCompetencySpotCheck"
    )]
    async fn get_draw(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<SpotCheckView>> {
        Ok(Json(spot_checks::get(&state, &auth.0, id.0).await?))
    }

    /// Pass rates of a node (default: mine) for a year, per child region and per point (`competency.read`).
    #[oai(
        path = "/competency/report",
        method = "get",
        operation_id = "competencyReport"
    )]
    async fn report(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<i32>,
        node: Query<Option<String>>,
    ) -> AppResult<Json<CompetencyReport>> {
        Ok(Json(report::report(&state, &auth.0, node.0, year.0).await?))
    }

    /// The same report as XLSX or CSV (audited).
    #[oai(
        path = "/competency/report/export",
        method = "get",
        operation_id = "exportCompetencyReport"
    )]
    async fn export_report(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        year: Query<i32>,
        node: Query<Option<String>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        let r = report::report(&state, &auth.0, node.0, year.0).await?;
        let data = report::to_file(&r, format)?;
        let txn = begin_write(&state.db).await?;
        audit::record(
            &txn,
            Some(&auth.0),
            AuditEvent {
                action: "export.competency_report",
                target_type: "competency_report",
                target_id: Some(r.node_code.clone()),
                target_path: None,
                detail: serde_json::json!({ "year": r.year, "rows": r.regions.len() + r.points.len() }),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(Download {
            data,
            filename: format!(
                "competency-{}-{}.{}",
                r.year,
                r.node_code,
                format.extension()
            ),
            content_type: format.content_type(),
        })
    }
}
