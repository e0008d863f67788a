use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::teachers::{
    self, RevealedTeacher, TeacherFilter, TeacherInput, TeacherSort, TeacherUpdate, TeacherView,
    TeachersActiveRequest,
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        bulk::BulkOutcome,
        error::AppResult,
        paging::{Page, SortOrder},
    },
    tags::Tag,
};

pub struct TeachersApi;

#[OpenApi(tag = "Tag::Teachers")]
impl TeachersApi {
    /// Teachers in my part of the tree (a teacher sees only themself), paged, sorted and filtered.
    /// ID numbers and phones are masked.
    #[oai(path = "/teachers", method = "get", operation_id = "listTeachers")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        sort: Query<Option<TeacherSort>>,
        order: Query<Option<SortOrder>>,
        /// Only teachers in this region's subtree.
        region: Query<Option<String>>,
        school_id: Query<Option<i64>>,
        /// A `Stage` value or its label (小学, 初中 …).
        stage: Query<Option<String>>,
        subject: Query<Option<String>>,
        active: Query<Option<bool>>,
        /// Part of the name, or an exact ID number or phone.
        keyword: Query<Option<String>>,
    ) -> AppResult<Json<Page<TeacherView>>> {
        let filter = TeacherFilter {
            region: region.0,
            school_id: school_id.0,
            stage: crate::directory::schools::stage_filter(stage.0)?,
            subject: subject.0,
            active: active.0,
            keyword: keyword.0,
        };
        let page = teachers::list(
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

    /// Register a teacher in a school I manage.
    #[oai(path = "/teachers", method = "post", operation_id = "createTeacher")]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<TeacherInput>,
    ) -> AppResult<Json<TeacherView>> {
        Ok(Json(teachers::create(&state, &auth.0, body.0).await?))
    }

    /// One teacher (masked).
    #[oai(path = "/teachers/:id", method = "get", operation_id = "getTeacher")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<TeacherView>> {
        Ok(Json(teachers::get(&state.db, &auth.0, id.0).await?))
    }

    /// Update a teacher. Omit `id_card` or `phone` to keep them; an editor need not re-type them.
    #[oai(path = "/teachers/:id", method = "put", operation_id = "updateTeacher")]
    async fn update(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<TeacherUpdate>,
    ) -> AppResult<Json<TeacherView>> {
        Ok(Json(teachers::update(&state, &auth.0, id.0, body.0).await?))
    }

    /// Show the full ID number and phone. Needs `teacher.reveal`; every call is audited.
    #[oai(
        path = "/teachers/:id/reveal",
        method = "post",
        operation_id = "revealTeacher"
    )]
    async fn reveal(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<RevealedTeacher>> {
        Ok(Json(teachers::reveal(&state, &auth.0, id.0).await?))
    }

    /// Deactivate a teacher (left the school, retired …).
    #[oai(
        path = "/teachers/:id/deactivate",
        method = "post",
        operation_id = "deactivateTeacher"
    )]
    async fn deactivate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<TeacherView>> {
        Ok(Json(
            teachers::set_active(&state.db, &auth.0, id.0, false).await?,
        ))
    }

    /// Reactivate a teacher.
    #[oai(
        path = "/teachers/:id/activate",
        method = "post",
        operation_id = "activateTeacher"
    )]
    async fn activate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<TeacherView>> {
        Ok(Json(
            teachers::set_active(&state.db, &auth.0, id.0, true).await?,
        ))
    }

    /// 批量启用 / 停用: activate or deactivate up to 500 teachers in one request. Per-item outcomes, not all or
    /// nothing: each teacher is checked and audited exactly as by `activateTeacher` / `deactivateTeacher`; one outside
    /// my area (`not_found`) or not mine to change (`forbidden`) is refused and left unchanged, the rest are changed.
    /// More than 500 ids is a 422 and changes nothing.
    #[oai(
        path = "/teachers/active",
        method = "post",
        operation_id = "setTeachersActive"
    )]
    async fn set_active_many(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<TeachersActiveRequest>,
    ) -> AppResult<Json<BulkOutcome>> {
        Ok(Json(
            teachers::set_active_many(&state.db, &auth.0, &body.0).await?,
        ))
    }
}
