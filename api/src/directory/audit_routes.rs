use entity::audit_log;
use poem_openapi::{OpenApi, param::Query, payload::Json};
use sea_orm::{ColumnTrait, EntityTrait, IntoSimpleExpr, QueryFilter, QueryOrder};

use crate::{
    AppState,
    access::Permission,
    auth::BearerAuth,
    platform::{
        audit::AuditEntryView,
        error::AppResult,
        paging::{Page, fetch, window},
    },
    tags::Tag,
};

pub struct AuditApi;

#[OpenApi(tag = "Tag::Audit")]
impl AuditApi {
    /// Audit entries about records in my part of the tree, newest first.
    #[oai(path = "/audit", method = "get", operation_id = "listAudit")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        /// Exact action, e.g. `teacher.reveal`.
        action: Query<Option<String>>,
        target_type: Query<Option<String>>,
        target_id: Query<Option<String>>,
    ) -> AppResult<Json<Page<AuditEntryView>>> {
        let (page, size, offset) = window(page.0, page_size.0)?;
        let mut q = audit_log::Entity::find().filter(auth.0.log_condition(
            Permission::AuditRead,
            audit_log::Column::TargetPath.into_simple_expr(),
        ));
        if let Some(a) = action.0 {
            q = q.filter(audit_log::Column::Action.eq(a));
        }
        if let Some(t) = target_type.0 {
            q = q.filter(audit_log::Column::TargetType.eq(t));
        }
        if let Some(t) = target_id.0 {
            q = q.filter(audit_log::Column::TargetId.eq(t));
        }
        let (rows, total) = fetch(
            &state.db,
            q.order_by_desc(audit_log::Column::Id),
            offset,
            size,
        )
        .await?;
        Ok(Json(Page {
            items: rows.into_iter().map(Into::into).collect(),
            total: total.count,
            total_exact: total.exact,
            page,
            page_size: size,
        }))
    }
}
