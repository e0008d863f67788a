use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    certificates::{
        self, CertificateStatus, CertificateVerification, CertificateView, RevokeRequest,
    },
    enrollments::{
        self, BulkAssignReport, BulkAssignRequest, DecisionRequest, EnrollRequest, EnrollmentView,
        ReviewStatus, SubstituteRequest, WithdrawRequest,
    },
    hours::{
        self, CycleTotal, HourDecisionRequest, HourDecisionsRequest, HourEntryInput, HourEntryView,
        HourSource, HourStatus, VoidRequest,
    },
    programs::{self, ProgramInput, ProgramView},
    quotas::{self, DistributeRequest, DistributionPlan, QuotaInput, QuotaView},
    report::{self, CompletionReport},
    rules::HourCategory,
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        bulk::BulkOutcome,
        error::AppResult,
        paging::{Page, SortOrder},
        tabular::{Download, FileFormat, ImportReport, ImportUpload, PdfFile, read_upload},
    },
    tags::Tag,
};

pub struct TrainingApi;

#[OpenApi(tag = "Tag::Training")]
impl TrainingApi {
    /// Programs owned on my way up to the province (published ones) or inside my part of the tree.
    #[oai(path = "/programs", method = "get", operation_id = "listPrograms")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        year: Query<Option<i32>>,
    ) -> AppResult<Json<Page<ProgramView>>> {
        Ok(Json(
            programs::list(&state.db, &auth.0, year.0, page.0, page_size.0).await?,
        ))
    }

    /// Create a program owned by a node I manage, holding the seats to hand down. It starts as a draft.
    #[oai(path = "/programs", method = "post", operation_id = "createProgram")]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<ProgramInput>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::create(&state, &auth.0, body.0).await?))
    }

    /// One program.
    #[oai(path = "/programs/:id", method = "get", operation_id = "getProgram")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::get(&state.db, &auth.0, id.0).await?))
    }

    /// Publish a draft program to everyone below its owner.
    #[oai(
        path = "/programs/:id/publish",
        method = "post",
        operation_id = "publishProgram"
    )]
    async fn publish(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::publish(&state.db, &auth.0, id.0).await?))
    }

    /// The program's quotas in my part of the tree and on my way up to the owner.
    #[oai(
        path = "/programs/:id/quotas",
        method = "get",
        operation_id = "listQuotas"
    )]
    async fn quotas(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<Vec<QuotaView>>> {
        Ok(Json(quotas::list(&state, &auth.0, id.0).await?))
    }

    /// Set the seats a node holds, taken from the level above (which I must manage). Never more than that
    /// level has left, never less than the node has already passed on or used.
    #[oai(
        path = "/programs/:id/quotas/:node_code",
        method = "put",
        operation_id = "allocateQuota"
    )]
    async fn allocate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node_code: Path<String>,
        body: Json<QuotaInput>,
    ) -> AppResult<Json<QuotaView>> {
        Ok(Json(
            quotas::allocate(&state, &auth.0, id.0, &node_code.0, body.0).await?,
        ))
    }

    /// 分配到下级: share the node's free seats among every node directly below it (for a county: all its active
    /// schools), evenly or by active teachers, on top of what each holds. I must manage the node. `dry_run` (default
    /// `true`) previews the shares; otherwise all are handed on in one transaction, each audited as an allocation.
    #[oai(
        path = "/programs/:id/quotas/:node_code/distribute",
        method = "post",
        operation_id = "distributeQuota"
    )]
    async fn distribute(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node_code: Path<String>,
        body: Json<DistributeRequest>,
    ) -> AppResult<Json<DistributionPlan>> {
        Ok(Json(
            quotas::distribute(&state, &auth.0, id.0, &node_code.0, body.0).await?,
        ))
    }

    /// Enrol in a program: an administrator assigns a teacher of their area (approved at once), or a teacher
    /// enrols themself in a free-choice program (then the school and the county decide). Takes a seat of the
    /// teacher's school; 409 when none is left.
    #[oai(
        path = "/programs/:id/enrollments",
        method = "post",
        operation_id = "enroll"
    )]
    async fn enroll(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<EnrollRequest>,
    ) -> AppResult<Json<EnrollmentView>> {
        Ok(Json(
            enrollments::enroll(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Enrolments of a program in my part of the tree (a teacher sees their own).
    #[oai(
        path = "/programs/:id/enrollments",
        method = "get",
        operation_id = "listEnrollments"
    )]
    async fn list_enrollments(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        status: Query<Option<ReviewStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<EnrollmentView>>> {
        Ok(Json(
            enrollments::list(&state.db, &auth.0, id.0, status.0, page.0, page_size.0).await?,
        ))
    }

    /// One enrolment with its decision log.
    #[oai(
        path = "/enrollments/:id",
        method = "get",
        operation_id = "getEnrollment"
    )]
    async fn get_enrollment(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<EnrollmentView>> {
        Ok(Json(enrollments::get(&state.db, &auth.0, id.0).await?))
    }

    /// Decide on a pending enrolment at the level it waits for (school, then county). Rejecting needs a
    /// reason and gives the seat back.
    #[oai(
        path = "/enrollments/:id/decision",
        method = "post",
        operation_id = "decideEnrollment"
    )]
    async fn decide(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<DecisionRequest>,
    ) -> AppResult<Json<EnrollmentView>> {
        Ok(Json(
            enrollments::decide(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Withdraw (撤销) an enrolment — the teacher themself or an administrator over them; the seat goes back.
    #[oai(
        path = "/enrollments/:id/withdraw",
        method = "post",
        operation_id = "withdrawEnrollment"
    )]
    async fn withdraw(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<WithdrawRequest>,
    ) -> AppResult<Json<EnrollmentView>> {
        Ok(Json(
            enrollments::withdraw(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// 批量指派: assign many teachers at once — by id, or all active teachers below a node of my area matching
    /// 学段 / 学科 (at most 5000). Each is checked as a single assignment would be; `dry_run` (default `true`) only
    /// reports, otherwise every assignment is written or none (an error answers 200 with `committed = false`).
    #[oai(
        path = "/programs/:id/enrollments/bulk",
        method = "post",
        operation_id = "assignMany"
    )]
    async fn assign_many(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<BulkAssignRequest>,
    ) -> AppResult<Json<BulkAssignReport>> {
        Ok(Json(
            enrollments::assign_many(&state, &auth.0, id.0, body.0).await?,
        ))
    }

    /// 从文件指派: assign the teachers listed by 身份证号 in a CSV or XLSX file (field `file`). Every line must name a
    /// teacher of my area and be placeable (seat, eligibility, not yet enrolled); problems come back by line (200,
    /// `committed = false`). `dry_run` (default `true`) only checks; otherwise all are assigned or none.
    #[oai(
        path = "/programs/:id/enrollments/import",
        method = "post",
        operation_id = "assignFromFile"
    )]
    async fn assign_from_file(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        dry_run: Query<Option<bool>>,
        upload: ImportUpload,
    ) -> AppResult<Json<ImportReport>> {
        let bytes = read_upload(&state, upload.file).await?;
        Ok(Json(
            enrollments::assign_from_file(&state, &auth.0, id.0, &bytes, dry_run.0.unwrap_or(true))
                .await?,
        ))
    }

    /// 替换: give an approved enrolment's seat to another teacher of the same school (administrators over the
    /// school); returns the substitute's new, approved enrolment.
    #[oai(
        path = "/enrollments/:id/substitute",
        method = "post",
        operation_id = "substituteEnrollment"
    )]
    async fn substitute(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SubstituteRequest>,
    ) -> AppResult<Json<EnrollmentView>> {
        Ok(Json(
            enrollments::substitute(&state, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Record hours in the ledger. Administrators over the teacher credit course, coursework, attendance and
    /// institution results at once; a 补录 (with evidence) waits for the school or county.
    #[oai(path = "/hours", method = "post", operation_id = "recordHours")]
    async fn record_hours(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<HourEntryInput>,
    ) -> AppResult<Json<HourEntryView>> {
        Ok(Json(hours::record(&state, &auth.0, body.0).await?))
    }

    /// Ledger rows in my part of the tree (a teacher sees their own), newest first unless sorted otherwise.
    #[oai(path = "/hours", method = "get", operation_id = "listHours")]
    #[allow(clippy::too_many_arguments)]
    async fn list_hours(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        teacher_id: Query<Option<i64>>,
        status: Query<Option<HourStatus>>,
        category: Query<Option<HourCategory>>,
        source: Query<Option<HourSource>>,
        /// A region or school code of my area: only entries below it.
        node: Query<Option<String>>,
        /// `created` (default) or `occurred_on`.
        sort: Query<Option<String>>,
        /// `desc` (default) or `asc`.
        order: Query<Option<SortOrder>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<HourEntryView>>> {
        let query = hours::HourQuery {
            teacher_id: teacher_id.0,
            status: status.0,
            category: category.0,
            source: source.0,
            node: node.0,
            sort: sort.0,
            order: order.0,
            page: page.0,
            page_size: page_size.0,
        };
        Ok(Json(hours::list(&state, &auth.0, query).await?))
    }

    /// Approve or reject a pending 补录 (a rejection needs a reason, which the teacher receives by mail).
    #[oai(
        path = "/hours/:id/decision",
        method = "post",
        operation_id = "decideHours"
    )]
    async fn decide_hours(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<HourDecisionRequest>,
    ) -> AppResult<Json<HourEntryView>> {
        Ok(Json(hours::decide(&state, &auth.0, id.0, body.0).await?))
    }

    /// 批量审核: approve or reject up to 500 pending 补录 entries with one decision (one reason for a rejection).
    /// Per-item outcomes, not all or nothing: each entry is checked, mailed and audited exactly as by `decideHours`;
    /// one outside my area (`not_found`), not mine to decide (`forbidden`) or no longer pending is refused and left
    /// unchanged, the rest are decided. More than 500 ids, or a rejection without a reason, is a 422 and changes
    /// nothing.
    #[oai(
        path = "/hours/decisions",
        method = "post",
        operation_id = "decideHoursMany"
    )]
    async fn decide_hours_many(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<HourDecisionsRequest>,
    ) -> AppResult<Json<BulkOutcome>> {
        Ok(Json(hours::decide_many(&state, &auth.0, body.0).await?))
    }

    /// Void an approved entry: a voiding row is appended and the hours are taken back. Record the corrected
    /// amount as a new entry.
    #[oai(path = "/hours/:id/void", method = "post", operation_id = "voidHours")]
    async fn void_hours(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<VoidRequest>,
    ) -> AppResult<Json<HourEntryView>> {
        Ok(Json(hours::void(&state, &auth.0, id.0, body.0).await?))
    }

    /// Verify a certificate by its number — public, no sign-in: the holder's masked name, the program and whether
    /// it is valid or revoked. Rate limited per client address.
    #[oai(
        path = "/certificates/verify/:number",
        method = "get",
        operation_id = "verifyCertificate"
    )]
    async fn verify_certificate(
        &self,
        state: poem::web::Data<&AppState>,
        req: &poem::Request,
        number: Path<String>,
    ) -> AppResult<Json<CertificateVerification>> {
        let ip = crate::auth::client_ip(req, &state.config);
        if !state.login_limiter.check(&format!("verify:{ip}")) {
            return Err(crate::platform::error::AppError::RateLimited);
        }
        Ok(Json(certificates::verify(&state.db, &number.0).await?))
    }

    /// My certificates (a teacher), or those of teachers in my part of the tree.
    #[oai(
        path = "/certificates",
        method = "get",
        operation_id = "listCertificates"
    )]
    async fn list_certificates(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        status: Query<Option<CertificateStatus>>,
        program_id: Query<Option<i64>>,
        /// Part of the certificate number.
        number: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<CertificateView>>> {
        let filter = certificates::CertificateFilter {
            status: status.0,
            program_id: program_id.0,
            number: number.0,
        };
        Ok(Json(
            certificates::list(&state.db, &auth.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// Revoke a certificate, with a reason (administrators over the teacher).
    #[oai(
        path = "/certificates/:number/revoke",
        method = "post",
        operation_id = "revokeCertificate"
    )]
    async fn revoke_certificate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        number: Path<String>,
        body: Json<RevokeRequest>,
    ) -> AppResult<Json<CertificateView>> {
        Ok(Json(
            certificates::revoke(&state.db, &auth.0, &number.0, body.0).await?,
        ))
    }

    /// The certificate as a PDF with a QR code to the public verification page (the holder, or administrators
    /// over them).
    #[oai(
        path = "/certificates/:number/pdf",
        method = "get",
        operation_id = "downloadCertificate"
    )]
    async fn certificate_pdf(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        number: Path<String>,
    ) -> AppResult<PdfFile> {
        let (filename, data) = certificates::pdf(&state, &auth.0, &number.0).await?;
        Ok(PdfFile { data, filename })
    }

    /// A teacher's approved hours per 5-year cycle (360 hours required per cycle), newest cycle first.
    #[oai(path = "/hours/cycles", method = "get", operation_id = "hourCycles")]
    async fn hour_cycles(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        /// The teacher; omit for myself.
        teacher_id: Query<Option<i64>>,
    ) -> AppResult<Json<Vec<CycleTotal>>> {
        Ok(Json(hours::cycles(&state, &auth.0, teacher_id.0).await?))
    }

    /// The program's completion report for a node of my area (default: my own node): one row per child region,
    /// per school of a county, or per teacher of a school — teachers, enrolled, 参训率, completed, 完成率 and
    /// average hours per category.
    #[oai(
        path = "/programs/:id/report",
        method = "get",
        operation_id = "programReport"
    )]
    async fn report(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        /// Region or school code to drill into.
        node: Query<Option<String>>,
    ) -> AppResult<Json<CompletionReport>> {
        Ok(Json(report::report(&state, &auth.0, id.0, node.0).await?))
    }

    /// Teacher-level export of a node of my area (default: my own): every active teacher below it, their
    /// school, masked ID number, enrolment, status and hours per category; XLSX or CSV (audited).
    #[oai(
        path = "/programs/:id/report/teachers",
        method = "get",
        operation_id = "exportProgramTeachers"
    )]
    async fn export_teachers(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node: Query<Option<String>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        // Teachers' rows (names, masked ID numbers) are personal data: a fresh second factor first.
        auth.0.require_step_up(&state.config)?;
        let format = format.0.unwrap_or_default();
        let (code, data, rows) =
            report::teacher_detail(&state, &auth.0, id.0, node.0, format).await?;
        audit_export(
            &state,
            &auth.0,
            id.0,
            "export.program_teachers",
            &code,
            rows,
        )
        .await?;
        Ok(Download {
            data,
            filename: format!("teachers-{}-{code}.{}", id.0, format.extension()),
            content_type: format.content_type(),
        })
    }

    /// The same report as XLSX or CSV (audited).
    #[oai(
        path = "/programs/:id/report/export",
        method = "get",
        operation_id = "exportProgramReport"
    )]
    async fn export_report(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node: Query<Option<String>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        let report = report::report(&state, &auth.0, id.0, node.0).await?;
        let data = report::to_file(&report, format)?;
        audit_export(
            &state,
            &auth.0,
            report.program_id,
            "export.program_report",
            &report.node_code,
            report.rows.len() as u64,
        )
        .await?;
        Ok(Download {
            data,
            filename: format!(
                "completion-{}-{}.{}",
                report.program_id,
                report.node_code,
                format.extension()
            ),
            content_type: format.content_type(),
        })
    }
}

/// Every export leaves an audit entry: who took which node's numbers of which program.
pub(crate) async fn audit_export(
    state: &AppState,
    principal: &crate::auth::Principal,
    program_id: i64,
    action: &str,
    node: &str,
    rows: u64,
) -> AppResult<()> {
    let txn = crate::platform::db::begin_write(&state.db).await?;
    crate::platform::audit::record(
        &txn,
        Some(principal),
        crate::platform::audit::AuditEvent {
            action,
            target_type: "program",
            target_id: Some(program_id.to_string()),
            target_path: None,
            detail: serde_json::json!({ "node": node, "rows": rows }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
