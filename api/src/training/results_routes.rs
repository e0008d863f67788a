//! Institution results: class sheet, upload (validated whole), pending batches and their confirmation.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::results::{
    self, BatchDecisionRequest, ResultBatchStatus, ResultBatchView, ResultUpload,
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        error::AppResult,
        paging::Page,
        tabular::{Download, FileFormat, ImportUpload, read_upload},
    },
    tags::Tag,
};

pub struct ResultsApi;

#[OpenApi(tag = "Tag::Training")]
impl ResultsApi {
    /// The class sheet of a program for a node of my area (default: my own): every approved enrolment with its
    /// 报名编号, name, school and masked ID number, and blank columns for 结业状态, 证书编号/不合格原因, 成绩, 获得学时,
    /// 学时类别. Needs `result.submit` (training institutions, region administrators). Audited: it carries
    /// personal data.
    #[oai(
        path = "/programs/:id/results/sheet",
        method = "get",
        operation_id = "exportResultSheet"
    )]
    async fn sheet(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node: Query<Option<String>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        let (code, data, rows) = results::sheet(&state, &auth.0, id.0, node.0, format).await?;
        super::routes::audit_export(&state, &auth.0, id.0, "export.result_sheet", &code, rows)
            .await?;
        Ok(Download {
            data,
            filename: format!("class-sheet-{}-{code}.{}", id.0, format.extension()),
            content_type: format.content_type(),
        })
    }

    /// Upload a filled class sheet (field `file`, XLSX or CSV). Every row is checked (status, reason on 未结业,
    /// half-hour steps, category, repeated rows, and that the enrolment is this program's, approved and in my
    /// area); any error stores nothing and is answered 200 with the row-by-row report. `dry_run=false` (default
    /// `true`) with a clean file stores a pending batch for a program administrator to confirm.
    #[oai(
        path = "/programs/:id/results",
        method = "post",
        operation_id = "submitResults"
    )]
    async fn submit(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node: Query<Option<String>>,
        dry_run: Query<Option<bool>>,
        upload: ImportUpload,
    ) -> AppResult<Json<ResultUpload>> {
        let name = upload.file.file_name().unwrap_or("results").to_string();
        let bytes = read_upload(&state, upload.file).await?;
        let dry_run = dry_run.0.unwrap_or(true);
        Ok(Json(
            results::submit(&state, &auth.0, id.0, node.0, &name, &bytes, dry_run).await?,
        ))
    }

    /// Result batches of a program in my area, newest first; filter by status (pending, confirmed, rejected).
    #[oai(
        path = "/programs/:id/result-batches",
        method = "get",
        operation_id = "listResultBatches"
    )]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        status: Query<Option<ResultBatchStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<ResultBatchView>>> {
        Ok(Json(
            results::list(&state.db, &auth.0, id.0, status.0, page.0, page_size.0).await?,
        ))
    }

    /// One batch with its rows, for review before the decision.
    #[oai(
        path = "/result-batches/:id",
        method = "get",
        operation_id = "getResultBatch"
    )]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ResultBatchView>> {
        Ok(Json(results::get(&state.db, &auth.0, id.0).await?))
    }

    /// Confirm (hours credited, grades and 未结业 recorded, completion re-evaluated, all in one transaction) or
    /// reject with a reason. A program administrator over the batch's node who did not submit it.
    #[oai(
        path = "/result-batches/:id/decision",
        method = "post",
        operation_id = "decideResultBatch"
    )]
    async fn decide(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<BatchDecisionRequest>,
    ) -> AppResult<Json<ResultBatchView>> {
        Ok(Json(results::decide(&state, &auth.0, id.0, body.0).await?))
    }
}
