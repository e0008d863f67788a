use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    annual::{self, AnnualQuery, AnnualReport},
    files,
    record::{self, TeacherRecord},
};
use crate::{
    AppState,
    auth::{BearerAuth, Principal},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
        tabular::{Download, FileFormat, PdfFile},
    },
    tags::Tag,
};

pub struct ReportsApi;

/// Renders a PDF off the request threads: cutting the font subset reads a font of many megabytes.
async fn render_pdf(render: impl FnOnce() -> Vec<u8> + Send + 'static) -> AppResult<Vec<u8>> {
    crate::platform::i18n::spawn_blocking(render)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("PDF rendering: {e}")))
}

/// Every export of the annual report leaves an audit entry: who took which node's numbers of which year.
async fn audit_export(
    state: &AppState,
    principal: &Principal,
    report: &AnnualReport,
    format: &str,
) -> AppResult<()> {
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.annual_report",
            target_type: "node",
            target_id: Some(report.node_code.clone()),
            target_path: None,
            detail: serde_json::json!({ "year": report.year, "format": format, "rows": report.rows.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[OpenApi(tag = "Tag::Reports")]
impl ReportsApi {
    /// 全员培训年度报表: one year across every program for a node of my area (default: my own node), one row per
    /// child region, per school of a county, or per teacher of a school (paged): teachers, 参训 teachers and
    /// rate, enrolments and completions, hours per category (补录 apart), the yearly minimum, the 5-year 360
    /// hours, 能力点 pass rate and 优课 per level. Out of my area: 404.
    #[oai(
        path = "/reports/annual",
        method = "get",
        operation_id = "annualReport"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn annual(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<i32>,
        /// Region or school code to drill into.
        node: Query<Option<String>>,
        /// Leave out rows with no teacher and nothing in the year (on a school's report: teachers with nothing
        /// in the year).
        hide_empty: Query<Option<bool>>,
        /// Page of a school's teachers (1-based).
        #[oai(validator(minimum(value = "1")))]
        page: Query<Option<u64>>,
        #[oai(validator(minimum(value = "1"), maximum(value = "500")))] page_size: Query<
            Option<u64>,
        >,
    ) -> AppResult<Json<AnnualReport>> {
        let query = AnnualQuery {
            year: year.0,
            node: node.0,
            hide_empty: hide_empty.0.unwrap_or(false),
            page: Some(page.0.unwrap_or(1)),
            page_size: page_size.0,
        };
        Ok(Json(annual::report(&state, &auth.0, query).await?))
    }

    /// The annual report as XLSX or CSV, every row (a school's teachers unpaged), then the total (audited).
    #[oai(
        path = "/reports/annual/export",
        method = "get",
        operation_id = "exportAnnualReport"
    )]
    async fn export_annual(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<i32>,
        node: Query<Option<String>>,
        hide_empty: Query<Option<bool>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        let report = whole_report(&state, &auth.0, year.0, node.0, hide_empty.0).await?;
        let data = files::annual_to_file(&report, format)?;
        audit_export(&state, &auth.0, &report, format.extension()).await?;
        Ok(Download {
            data,
            filename: format!(
                "annual-{}-{}.{}",
                report.year,
                report.node_code,
                format.extension()
            ),
            content_type: format.content_type(),
        })
    }

    /// The annual report as a printable PDF (the main figures; the Chinese text in an embedded font subset;
    /// audited).
    #[oai(
        path = "/reports/annual/pdf",
        method = "get",
        operation_id = "annualReportPdf"
    )]
    async fn annual_pdf(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        #[oai(validator(minimum(value = "2000"), maximum(value = "2100")))] year: Query<i32>,
        node: Query<Option<String>>,
        hide_empty: Query<Option<bool>>,
    ) -> AppResult<PdfFile> {
        let report = whole_report(&state, &auth.0, year.0, node.0, hide_empty.0).await?;
        audit_export(&state, &auth.0, &report, "pdf").await?;
        let filename = format!("annual-{}-{}.pdf", report.year, report.node_code);
        let font = state.pdf_fonts.cjk();
        let data = render_pdf(move || files::annual_to_pdf(&report, font.as_deref())).await?;
        Ok(PdfFile { data, filename })
    }

    /// 教师培训档案: a teacher's programs by year, hours ledger, certificates, quiz results, 能力点 grades, lessons
    /// and awards, and 5-year cycles. My own as a teacher; an administrator's for the teachers of their area
    /// (personal data masked; audited). Anyone else's: 404.
    #[oai(
        path = "/teachers/:id/record",
        method = "get",
        operation_id = "teacherRecord"
    )]
    async fn teacher_record(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<TeacherRecord>> {
        Ok(Json(
            record::record(&state, &auth.0, id.0, "teacher_record.view").await?,
        ))
    }

    /// The teacher's record as a printable PDF (the Chinese text in an embedded font subset; audited when an
    /// administrator prints it).
    #[oai(
        path = "/teachers/:id/record/pdf",
        method = "get",
        operation_id = "teacherRecordPdf"
    )]
    async fn teacher_record_pdf(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<PdfFile> {
        let r = record::record(&state, &auth.0, id.0, "teacher_record.export").await?;
        let filename = format!("teacher-record-{}.pdf", id.0);
        let font = state.pdf_fonts.cjk();
        let data = render_pdf(move || files::record_to_pdf(&r, font.as_deref())).await?;
        Ok(PdfFile { data, filename })
    }
}

/// The report with every row, for files.
async fn whole_report(
    state: &AppState,
    principal: &Principal,
    year: i32,
    node: Option<String>,
    hide_empty: Option<bool>,
) -> AppResult<AnnualReport> {
    annual::report(
        state,
        principal,
        AnnualQuery {
            year,
            node,
            hide_empty: hide_empty.unwrap_or(false),
            page: None,
            page_size: None,
        },
    )
    .await
}
