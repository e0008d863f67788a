//! 一师一优课 over HTTP, the part before the review rounds: activities and the catalogue, lessons and their items,
//! the school's verification and 审查, rubrics, the reviewer pool and declared conflicts.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    LessonStatus,
    activities::{
        self, ActivityInput, ActivityView, CatalogueFacets, CatalogueFilter, CatalogueImportReport,
        CatalogueNodeView,
    },
    checking::{self, CheckInput, TeacherVerificationView, VerificationFilter},
    lesson::{self, ItemInput, LessonFilter, LessonInput, LessonSort, LessonSummary, LessonView},
    pool::{
        self, CertifyInput, ConflictInput, ConflictView, PoolReviewerView, RubricInput, RubricView,
    },
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        error::AppResult,
        paging::{Page, SortOrder},
        tabular::{ImportUpload, read_upload},
    },
    tags::Tag,
};

pub struct LessonsApi;

#[OpenApi(tag = "Tag::Lessons")]
impl LessonsApi {
    /// The yearly activities, newest first, with their upload windows (everyone signed in).
    #[oai(
        path = "/lesson-activities",
        method = "get",
        operation_id = "listLessonActivities"
    )]
    async fn list_activities(
        &self,
        state: poem::web::Data<&AppState>,
        _auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<ActivityView>>> {
        Ok(Json(
            activities::list(&state.db, page.0, page_size.0).await?,
        ))
    }

    /// Opens a year's activity with an upload window per 学段 (the province; one activity per year).
    #[oai(
        path = "/lesson-activities",
        method = "post",
        operation_id = "createLessonActivity"
    )]
    async fn create_activity(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<ActivityInput>,
    ) -> AppResult<Json<ActivityView>> {
        Ok(Json(
            activities::save(&state.db, &auth.0, None, body.0).await?,
        ))
    }

    #[oai(
        path = "/lesson-activities/:id",
        method = "get",
        operation_id = "getLessonActivity"
    )]
    async fn get_activity(
        &self,
        state: poem::web::Data<&AppState>,
        _auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ActivityView>> {
        Ok(Json(activities::get(&state.db, id.0).await?))
    }

    /// Changes the name, year or upload windows (the province).
    #[oai(
        path = "/lesson-activities/:id",
        method = "put",
        operation_id = "updateLessonActivity"
    )]
    async fn update_activity(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<ActivityInput>,
    ) -> AppResult<Json<ActivityView>> {
        Ok(Json(
            activities::save(&state.db, &auth.0, Some(id.0), body.0).await?,
        ))
    }

    /// The catalogue's 知识节点, filtered by the levels above them and by a chapter or node name.
    #[allow(clippy::too_many_arguments)]
    #[oai(
        path = "/lesson-activities/:id/catalogue",
        method = "get",
        operation_id = "listLessonCatalogue"
    )]
    async fn catalogue(
        &self,
        state: poem::web::Data<&AppState>,
        _auth: BearerAuth,
        id: Path<i64>,
        stage: Query<Option<String>>,
        subject: Query<Option<String>>,
        edition: Query<Option<String>>,
        grade: Query<Option<String>>,
        volume: Query<Option<String>>,
        q: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<CatalogueNodeView>>> {
        let filter = CatalogueFilter {
            stage: stage.0,
            subject: subject.0,
            edition: edition.0,
            grade: grade.0,
            volume: volume.0,
            q: q.0,
        };
        Ok(Json(
            activities::catalogue(&state.db, id.0, &filter, page.0, page_size.0).await?,
        ))
    }

    /// The values to choose from at each catalogue level under the ones already chosen.
    #[oai(
        path = "/lesson-activities/:id/catalogue/facets",
        method = "get",
        operation_id = "lessonCatalogueFacets"
    )]
    async fn facets(
        &self,
        state: poem::web::Data<&AppState>,
        _auth: BearerAuth,
        id: Path<i64>,
        stage: Query<Option<String>>,
        subject: Query<Option<String>>,
        edition: Query<Option<String>>,
        grade: Query<Option<String>>,
    ) -> AppResult<Json<CatalogueFacets>> {
        let chosen = CatalogueFilter {
            stage: stage.0,
            subject: subject.0,
            edition: edition.0,
            grade: grade.0,
            ..Default::default()
        };
        Ok(Json(activities::facets(&state.db, id.0, &chosen).await?))
    }

    /// Imports catalogue nodes from CSV or XLSX (学段, 学科, 教材版本, 年级, 册次, 章节, 知识节点): every line is
    /// checked first; any error writes nothing. `dry_run` (default true) only checks.
    #[oai(
        path = "/lesson-activities/:id/catalogue/import",
        method = "post",
        operation_id = "importLessonCatalogue"
    )]
    async fn import_catalogue(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        dry_run: Query<Option<bool>>,
        upload: ImportUpload,
    ) -> AppResult<Json<CatalogueImportReport>> {
        let bytes = read_upload(&state, upload.file).await?;
        Ok(Json(
            activities::import_catalogue(
                &state.db,
                &auth.0,
                id.0,
                &bytes,
                dry_run.0.unwrap_or(true),
            )
            .await?,
        ))
    }

    /// My schools' teachers with whether each is verified for the activity (`lesson.check`).
    #[allow(clippy::too_many_arguments)]
    #[oai(
        path = "/lesson-activities/:id/teachers",
        method = "get",
        operation_id = "listLessonTeachers"
    )]
    async fn teachers(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        status: Query<Option<VerificationFilter>>,
        q: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<TeacherVerificationView>>> {
        Ok(Json(
            checking::teachers(&state.db, &auth.0, id.0, status.0, q.0, page.0, page_size.0)
                .await?,
        ))
    }

    /// Verifies a teacher for the activity: they may then submit lessons.
    #[oai(
        path = "/lesson-activities/:id/teachers/:teacher_id/verify",
        method = "post",
        operation_id = "verifyLessonTeacher"
    )]
    async fn verify(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        teacher_id: Path<i64>,
    ) -> AppResult<()> {
        checking::set_verified(&state.db, &auth.0, id.0, teacher_id.0, true).await
    }

    /// Revokes a teacher's verification (lessons already submitted stay).
    #[oai(
        path = "/lesson-activities/:id/teachers/:teacher_id/verify",
        method = "delete",
        operation_id = "unverifyLessonTeacher"
    )]
    async fn unverify(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        teacher_id: Path<i64>,
    ) -> AppResult<()> {
        checking::set_verified(&state.db, &auth.0, id.0, teacher_id.0, false).await
    }

    /// Lessons: a teacher's own; an administrator's area.
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/lessons", method = "get", operation_id = "listLessons")]
    async fn list_lessons(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        activity_id: Query<Option<i64>>,
        status: Query<Option<LessonStatus>>,
        stage: Query<Option<String>>,
        subject: Query<Option<String>>,
        q: Query<Option<String>>,
        sort: Query<Option<LessonSort>>,
        order: Query<Option<SortOrder>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<LessonSummary>>> {
        let filter = LessonFilter {
            activity_id: activity_id.0,
            status: status.0,
            stage: stage.0,
            subject: subject.0,
            q: q.0,
            sort: sort.0.unwrap_or_default(),
            order: order.0.unwrap_or(SortOrder::Desc),
        };
        Ok(Json(
            lesson::list(&state.db, &auth.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// Creates a lesson on a catalogue node while its 学段's upload window is open (teachers).
    #[oai(path = "/lessons", method = "post", operation_id = "createLesson")]
    async fn create_lesson(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<LessonInput>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(lesson::create(&state.db, &auth.0, body.0).await?))
    }

    /// A lesson with its items and what still stands before submission.
    #[oai(path = "/lessons/:id", method = "get", operation_id = "getLesson")]
    async fn get_lesson(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(lesson::get(&state.db, &auth.0, id.0).await?))
    }

    /// Edits a draft or returned lesson (its teacher).
    #[oai(path = "/lessons/:id", method = "put", operation_id = "updateLesson")]
    async fn update_lesson(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<LessonInput>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(
            lesson::update(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Deletes a draft (its teacher).
    #[oai(
        path = "/lessons/:id",
        method = "delete",
        operation_id = "deleteLesson"
    )]
    async fn delete_lesson(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<()> {
        lesson::delete(&state.db, &auth.0, id.0).await
    }

    /// Adds an uploaded file as an item; a required item replaces the previous one.
    #[oai(
        path = "/lessons/:id/items",
        method = "post",
        operation_id = "addLessonItem"
    )]
    async fn add_item(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<ItemInput>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(lesson::add_item(&state, &auth.0, id.0, body.0).await?))
    }

    #[oai(
        path = "/lessons/:id/items/:item_id",
        method = "delete",
        operation_id = "removeLessonItem"
    )]
    async fn remove_item(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        item_id: Path<i64>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(
            lesson::remove_item(&state, &auth.0, id.0, item_id.0).await?,
        ))
    }

    /// Submits for the school's 审查; refused (422, one error per failed requirement) until all pass.
    #[oai(
        path = "/lessons/:id/submit",
        method = "post",
        operation_id = "submitLesson"
    )]
    async fn submit(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(lesson::submit(&state.db, &auth.0, id.0).await?))
    }

    /// The school's 审查: pass to the county round, or send back with a reason.
    #[oai(
        path = "/lessons/:id/check",
        method = "post",
        operation_id = "checkLesson"
    )]
    async fn check(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<CheckInput>,
    ) -> AppResult<Json<LessonView>> {
        Ok(Json(checking::check(&state, &auth.0, id.0, body.0).await?))
    }

    /// Rubrics a round may use: the default and those of my region and above.
    #[oai(
        path = "/lesson-rubrics",
        method = "get",
        operation_id = "listLessonRubrics"
    )]
    async fn rubrics(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<Vec<RubricView>>> {
        Ok(Json(pool::rubrics(&state.db, &auth.0).await?))
    }

    #[oai(
        path = "/lesson-rubrics",
        method = "post",
        operation_id = "createLessonRubric"
    )]
    async fn create_rubric(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<RubricInput>,
    ) -> AppResult<Json<RubricView>> {
        Ok(Json(pool::create_rubric(&state.db, &auth.0, body.0).await?))
    }

    /// The reviewer pools of my area.
    #[oai(
        path = "/lesson-reviewers",
        method = "get",
        operation_id = "listLessonReviewers"
    )]
    async fn pool(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        q: Query<Option<String>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<PoolReviewerView>>> {
        Ok(Json(
            pool::pool(&state, &auth.0, q.0, page.0, page_size.0).await?,
        ))
    }

    /// Certifies a reviewer-role account into my region's pool.
    #[oai(
        path = "/lesson-reviewers",
        method = "post",
        operation_id = "certifyLessonReviewer"
    )]
    async fn certify(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<CertifyInput>,
    ) -> AppResult<Json<PoolReviewerView>> {
        Ok(Json(pool::certify(&state, &auth.0, body.0).await?))
    }

    #[oai(
        path = "/lesson-reviewers/:id",
        method = "delete",
        operation_id = "decertifyLessonReviewer"
    )]
    async fn decertify(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<()> {
        pool::decertify(&state.db, &auth.0, id.0).await
    }

    /// Declared conflicts (回避) of the activity: all of them for round administrators, my own otherwise.
    #[oai(
        path = "/lesson-conflicts",
        method = "get",
        operation_id = "listLessonConflicts"
    )]
    async fn conflicts(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        activity_id: Query<i64>,
    ) -> AppResult<Json<Vec<ConflictView>>> {
        Ok(Json(
            pool::conflicts(&state.db, &auth.0, activity_id.0).await?,
        ))
    }

    /// Declares a conflict of a reviewer with a teacher or a school.
    #[oai(
        path = "/lesson-conflicts",
        method = "post",
        operation_id = "declareLessonConflict"
    )]
    async fn declare(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<ConflictInput>,
    ) -> AppResult<Json<ConflictView>> {
        Ok(Json(pool::declare(&state.db, &auth.0, body.0).await?))
    }

    #[oai(
        path = "/lesson-conflicts/:id",
        method = "delete",
        operation_id = "withdrawLessonConflict"
    )]
    async fn withdraw(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<()> {
        pool::withdraw(&state.db, &auth.0, id.0).await
    }
}
