//! The export center's operations: background exports ("my exports") and report subscriptions.
use entity::export::ExportStatus;
use poem_openapi::{
    Object, OpenApi,
    param::{Header, Path, Query},
    payload::Json,
};

use super::{
    params::ExportOrder,
    schedule::{self, NewReportSubscription, ReportSubscriptionView},
    service::{self, ExportView},
};
use crate::{
    AppState,
    auth::{BearerAuth, routes::NoContent},
    files::content::FileContent,
    platform::{error::AppResult, paging::Page},
    tags::Tag,
};

/// Pausing or resuming a subscription.
#[derive(Debug, Object)]
pub struct SubscriptionSwitch {
    pub active: bool,
}

pub struct ExportsApi;

#[OpenApi(tag = "Tag::Exports")]
impl ExportsApi {
    /// Ask for an export in the background: the same files as the direct export operations (directory, reports,
    /// teacher-level report, question bank, audit log, ministry list), checked now as the export itself checks
    /// (permission, scope, a fresh second factor for teachers' rows), then made by a worker. Answers at once with
    /// the queued export; its owner is told by mail when it is ready and downloads it from "my exports". At most
    /// five of an account's exports may be queued or running (422 `exports_too_many_running`).
    #[oai(path = "/exports", method = "post", operation_id = "requestExport")]
    async fn request(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<ExportOrder>,
    ) -> AppResult<Json<ExportView>> {
        Ok(Json(service::request(&state, &auth.0, body.0).await?))
    }

    /// My exports, newest first (a file is kept for the configured days, then removed with its row).
    #[oai(path = "/exports", method = "get", operation_id = "listMyExports")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        status: Query<Option<ExportStatus>>,
    ) -> AppResult<Json<Page<ExportView>>> {
        Ok(Json(
            service::list_mine(&state, &auth.0, page.0, page_size.0, status.0).await?,
        ))
    }

    /// One of my exports (another account's is 404).
    #[oai(path = "/exports/:id", method = "get", operation_id = "getMyExport")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> AppResult<Json<ExportView>> {
        let row = service::find_mine(&state.db, &auth.0, &id.0).await?;
        Ok(Json(ExportView::of(row)))
    }

    /// The file of one of my finished exports, streamed under its name (409 `export_not_ready` before then).
    /// Every download is audited.
    #[oai(
        path = "/exports/:id/download",
        method = "get",
        operation_id = "downloadMyExport"
    )]
    async fn download(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
        /// `bytes=start-end` (one range), to resume a broken download.
        #[oai(name = "Range")]
        range: Header<Option<String>>,
    ) -> AppResult<FileContent> {
        service::download(&state, &auth.0, &id.0, range.0.as_deref()).await
    }

    /// Remove one of my exports and its file now.
    #[oai(
        path = "/exports/:id",
        method = "delete",
        operation_id = "deleteMyExport"
    )]
    async fn delete(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<String>,
    ) -> AppResult<NoContent> {
        service::remove(&state, &auth.0, &id.0).await?;
        Ok(NoContent::NoContent)
    }

    /// Subscribe to a report of my scope, made weekly (Mondays) or monthly (the 1st) at 06:00 China time as a
    /// background export. Checked as the export itself would be; at most 20 per account.
    #[oai(
        path = "/report-subscriptions",
        method = "post",
        operation_id = "subscribeReport"
    )]
    async fn subscribe(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewReportSubscription>,
    ) -> AppResult<Json<ReportSubscriptionView>> {
        Ok(Json(schedule::subscribe(&state, &auth.0, body.0).await?))
    }

    /// My report subscriptions.
    #[oai(
        path = "/report-subscriptions",
        method = "get",
        operation_id = "listReportSubscriptions"
    )]
    async fn subscriptions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<Vec<ReportSubscriptionView>>> {
        Ok(Json(schedule::list_mine(&state, &auth.0).await?))
    }

    /// Pause or resume one of my subscriptions (resuming schedules the next run from now).
    #[oai(
        path = "/report-subscriptions/:id",
        method = "patch",
        operation_id = "switchReportSubscription"
    )]
    async fn switch(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SubscriptionSwitch>,
    ) -> AppResult<Json<ReportSubscriptionView>> {
        Ok(Json(
            schedule::set_active(&state, &auth.0, id.0, body.0.active).await?,
        ))
    }

    /// End one of my subscriptions; the exports it made stay until they expire.
    #[oai(
        path = "/report-subscriptions/:id",
        method = "delete",
        operation_id = "unsubscribeReport"
    )]
    async fn unsubscribe(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<NoContent> {
        schedule::unsubscribe(&state, &auth.0, id.0).await?;
        Ok(NoContent::NoContent)
    }
}
