//! Import templates, imports (dry run or commit), error reports and exports of the directory.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    export::{self, ExportFilter},
    import::{self, DirectoryKind},
    schools::UrbanRural,
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        error::AppResult,
        tabular::{
            Download, FileFormat, ImportReport, ImportUpload, XLSX_CONTENT_TYPE, read_upload,
            row_errors::error_report_xlsx,
        },
    },
    tags::Tag,
};

pub struct FilesApi;

#[OpenApi(tag = "Tag::ImportExport")]
impl FilesApi {
    /// A blank import file for schools or teachers: the header row and one example row.
    /// Chinese headers are used; the English ones (`code`, `name`, `id_card` …) are accepted on import too.
    #[oai(
        path = "/import/:kind/template",
        method = "get",
        operation_id = "importTemplate"
    )]
    async fn template(
        &self,
        _auth: BearerAuth,
        kind: Path<DirectoryKind>,
        /// `xlsx` (default) or `csv`.
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        Ok(Download {
            data: import::template(kind.0, format)?,
            filename: format!("{}-template.{}", kind.0.as_str(), format.extension()),
            content_type: format.content_type(),
        })
    }

    /// Import schools or teachers from a CSV or XLSX file (field `file`).
    ///
    /// Every row is validated first (field rules, duplicates inside the file, the caller's scope, the school a
    /// teacher refers to) and every problem is reported with its line (header = line 1), column and reason.
    /// `dry_run=true` (the default) only reports. `dry_run=false` writes all rows in one transaction — or none:
    /// a file with any error is answered **200** with `committed=false` and the errors (not 422), so the import
    /// wizard can show them. Rows are upserted on 学校标识码 / 身份证号. Needs `import.run` and `school.write` (schools)
    /// or `teacher.write` (teachers) somewhere (else 403); a file over the size limit is 413, a file that is neither
    /// XLSX nor UTF-8 CSV is 422.
    #[oai(path = "/import/:kind", method = "post", operation_id = "runImport")]
    async fn run_import(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        kind: Path<DirectoryKind>,
        /// Validate only (default `true`).
        dry_run: Query<Option<bool>>,
        upload: ImportUpload,
    ) -> AppResult<Json<ImportReport>> {
        import::require_import(&auth.0, kind.0)?;
        let bytes = read_upload(&state, upload.file).await?;
        let report =
            import::import_bytes(&state, &auth.0, kind.0, bytes, dry_run.0.unwrap_or(true)).await?;
        Ok(Json(report))
    }

    /// Validate a file exactly as `runImport` would (nothing is written) and download every problem as XLSX
    /// (line, column, message).
    #[oai(
        path = "/import/:kind/error-report",
        method = "post",
        operation_id = "importErrorReport"
    )]
    async fn error_report(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        kind: Path<DirectoryKind>,
        upload: ImportUpload,
    ) -> AppResult<Download> {
        import::require_import(&auth.0, kind.0)?;
        let bytes = read_upload(&state, upload.file).await?;
        let errors = import::collect_errors(&state, &auth.0, kind.0, bytes).await?;
        Ok(Download {
            data: error_report_xlsx(&errors)?,
            filename: format!("{}-import-errors.xlsx", kind.0.as_str()),
            content_type: XLSX_CONTENT_TYPE,
        })
    }

    /// Export the schools or teachers I can see, with the list's filters, as XLSX or CSV (UTF-8 with BOM).
    /// Teachers carry only the masked ID number and phone. Needs `export.run`; every export is audited.
    #[oai(
        path = "/export/:kind",
        method = "get",
        operation_id = "exportDirectory"
    )]
    #[allow(clippy::too_many_arguments)]
    async fn export(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        kind: Path<DirectoryKind>,
        /// `xlsx` (default) or `csv`.
        format: Query<Option<FileFormat>>,
        /// Only this region's subtree.
        region: Query<Option<String>>,
        /// A `Stage` value or its label (小学, 初中 …).
        stage: Query<Option<String>>,
        /// Schools only.
        urban_rural: Query<Option<UrbanRural>>,
        /// Schools only.
        teaching_point: Query<Option<bool>>,
        /// Teachers only.
        school_id: Query<Option<i64>>,
        /// Teachers only.
        subject: Query<Option<String>>,
        active: Query<Option<bool>>,
        /// Part of the name; for schools also the start of the code, for teachers an exact ID number or phone.
        keyword: Query<Option<String>>,
    ) -> AppResult<Download> {
        let filter = ExportFilter {
            region: region.0,
            stage: crate::directory::schools::stage_filter(stage.0)?,
            urban_rural: urban_rural.0,
            teaching_point: teaching_point.0,
            school_id: school_id.0,
            subject: subject.0,
            active: active.0,
            keyword: keyword.0,
        };
        let file = export::export(
            &state,
            &auth.0,
            kind.0,
            format.0.unwrap_or_default(),
            filter,
        )
        .await?;
        Ok(Download {
            data: file.data,
            filename: file.filename,
            content_type: file.content_type,
        })
    }
}
