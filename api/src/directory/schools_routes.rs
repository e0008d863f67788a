use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::schools::{self, SchoolFilter, SchoolInput, SchoolSort, SchoolView, UrbanRural};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        error::AppResult,
        paging::{Page, SortOrder},
    },
    tags::Tag,
};

pub struct SchoolsApi;

#[OpenApi(tag = "Tag::Schools")]
impl SchoolsApi {
    /// Schools in my part of the tree, paged, sorted and filtered.
    #[oai(path = "/schools", method = "get", operation_id = "listSchools")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        /// 1-based page number.
        page: Query<Option<u64>>,
        /// Rows per page (at most 200).
        page_size: Query<Option<u64>>,
        sort: Query<Option<SchoolSort>>,
        order: Query<Option<SortOrder>>,
        /// Only schools in this region's subtree.
        region: Query<Option<String>>,
        /// A `Stage` value or its label (小学, 初中 …).
        stage: Query<Option<String>>,
        urban_rural: Query<Option<UrbanRural>>,
        teaching_point: Query<Option<bool>>,
        active: Query<Option<bool>>,
        /// Part of the name, or the start of the school code.
        keyword: Query<Option<String>>,
    ) -> AppResult<Json<Page<SchoolView>>> {
        let filter = SchoolFilter {
            region: region.0,
            stage: crate::directory::schools::stage_filter(stage.0)?,
            urban_rural: urban_rural.0,
            teaching_point: teaching_point.0,
            active: active.0,
            keyword: keyword.0,
        };
        let page = schools::list(
            &state,
            &auth.0,
            filter,
            sort.0.unwrap_or_default(),
            order.0.unwrap_or_default(),
            page.0,
            page_size.0,
        )
        .await?;
        Ok(Json(page))
    }

    /// Register a school in a county I manage.
    #[oai(path = "/schools", method = "post", operation_id = "createSchool")]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<SchoolInput>,
    ) -> AppResult<Json<SchoolView>> {
        Ok(Json(schools::create(&state, &auth.0, body.0).await?))
    }

    /// One school.
    #[oai(path = "/schools/:id", method = "get", operation_id = "getSchool")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<SchoolView>> {
        let school = schools::find_visible(&state.db, &auth.0, id.0).await?;
        Ok(Json(schools::view(&state, school)))
    }

    /// Update a school (the code cannot change).
    #[oai(path = "/schools/:id", method = "put", operation_id = "updateSchool")]
    async fn update(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SchoolInput>,
    ) -> AppResult<Json<SchoolView>> {
        Ok(Json(schools::update(&state, &auth.0, id.0, body.0).await?))
    }

    /// Deactivate a school (kept for history; hidden from pickers).
    #[oai(
        path = "/schools/:id/deactivate",
        method = "post",
        operation_id = "deactivateSchool"
    )]
    async fn deactivate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<SchoolView>> {
        Ok(Json(
            schools::set_active(&state, &auth.0, id.0, false).await?,
        ))
    }

    /// Reactivate a school.
    #[oai(
        path = "/schools/:id/activate",
        method = "post",
        operation_id = "activateSchool"
    )]
    async fn activate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<SchoolView>> {
        Ok(Json(
            schools::set_active(&state, &auth.0, id.0, true).await?,
        ))
    }
}
