//! The professional line of a program over HTTP: classes and their tutors, coursework and attendance.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    attendance::{self, AttendanceInput, AttendanceView, SessionInput, SessionView},
    classes::{self, ClassInput, ClassMemberView, ClassView, PlacementInput, TutorsInput},
    coursework::{
        self, AssignmentInput, AssignmentView, CourseworkStatus, GradeInput, MyCourseworkView,
        SubmissionInput, SubmissionView,
    },
};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{error::AppResult, paging::Page},
    tags::Tag,
};

pub struct CourseworkApi;

#[OpenApi(tag = "Tag::Coursework")]
impl CourseworkApi {
    /// Create a class (班级) of a program I manage.
    #[oai(
        path = "/programs/:id/classes",
        method = "post",
        operation_id = "createClass"
    )]
    async fn create_class(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<ClassInput>,
    ) -> AppResult<Json<ClassView>> {
        Ok(Json(
            classes::create(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Classes of programs I manage, classes I tutor and the classes I sit in.
    #[oai(path = "/classes", method = "get", operation_id = "listClasses")]
    async fn list_classes(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        program_id: Query<Option<i64>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<ClassView>>> {
        Ok(Json(
            classes::list(&state.db, &auth.0, program_id.0, page.0, page_size.0).await?,
        ))
    }

    /// One class with its tutors.
    #[oai(path = "/classes/:id", method = "get", operation_id = "getClass")]
    async fn get_class(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ClassView>> {
        Ok(Json(classes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Replace the class's tutors: active accounts holding the tutor role (program managers).
    #[oai(
        path = "/classes/:id/tutors",
        method = "put",
        operation_id = "setClassTutors"
    )]
    async fn set_tutors(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<TutorsInput>,
    ) -> AppResult<Json<ClassView>> {
        Ok(Json(
            classes::set_tutors(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Place approved enrolments of the program in the class; an enrolment sits in one class (409 otherwise).
    #[oai(
        path = "/classes/:id/members",
        method = "post",
        operation_id = "placeInClass"
    )]
    async fn place(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<PlacementInput>,
    ) -> AppResult<Json<ClassView>> {
        Ok(Json(
            classes::place(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// The teachers placed in a class, personal data masked (its tutors and managers).
    #[oai(
        path = "/classes/:id/members",
        method = "get",
        operation_id = "listClassMembers"
    )]
    async fn members(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<ClassMemberView>>> {
        Ok(Json(
            classes::members(&state.db, &auth.0, id.0, page.0, page_size.0).await?,
        ))
    }

    /// Set coursework for one class (its tutor or a program manager) or for every class of the program
    /// (program managers).
    #[oai(
        path = "/programs/:id/assignments",
        method = "post",
        operation_id = "createAssignment"
    )]
    async fn create_assignment(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<AssignmentInput>,
    ) -> AppResult<Json<AssignmentView>> {
        Ok(Json(
            coursework::create(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Coursework I can see, soonest deadline first.
    #[oai(
        path = "/assignments",
        method = "get",
        operation_id = "listAssignments"
    )]
    async fn list_assignments(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        program_id: Query<Option<i64>>,
        class_id: Query<Option<i64>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<AssignmentView>>> {
        Ok(Json(
            coursework::list(
                &state.db,
                &auth.0,
                program_id.0,
                class_id.0,
                page.0,
                page_size.0,
            )
            .await?,
        ))
    }

    /// One assignment.
    #[oai(
        path = "/assignments/:id",
        method = "get",
        operation_id = "getAssignment"
    )]
    async fn get_assignment(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AssignmentView>> {
        Ok(Json(coursework::get(&state.db, &auth.0, id.0).await?))
    }

    /// My coursework (a teacher), with where I stand: 未提交 / 已提交 / 已批改, and 通过 / 未通过 once graded.
    #[oai(
        path = "/my/coursework",
        method = "get",
        operation_id = "listMyCoursework"
    )]
    async fn mine(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        program_id: Query<Option<i64>>,
        status: Query<Option<CourseworkStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<MyCourseworkView>>> {
        Ok(Json(
            coursework::mine(
                &state.db,
                &auth.0,
                program_id.0,
                status.0,
                page.0,
                page_size.0,
            )
            .await?,
        ))
    }

    /// Submit coursework before its deadline (422 after it). Every submission is kept; the latest is graded.
    #[oai(
        path = "/assignments/:id/submissions",
        method = "post",
        operation_id = "submitCoursework"
    )]
    async fn submit(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SubmissionInput>,
    ) -> AppResult<Json<SubmissionView>> {
        Ok(Json(
            coursework::submit(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Submissions of an assignment, newest first: all (managers), my classes' (tutors) or my own (teachers).
    #[oai(
        path = "/assignments/:id/submissions",
        method = "get",
        operation_id = "listSubmissions"
    )]
    async fn submissions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        teacher_id: Query<Option<i64>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<SubmissionView>>> {
        Ok(Json(
            coursework::submissions(&state.db, &auth.0, id.0, teacher_id.0, page.0, page_size.0)
                .await?,
        ))
    }

    /// Grade the latest submission (the class's tutor or a program manager): a pass credits the hours once, a
    /// fail (with a comment) voids a standing credit. The teacher is told by mail.
    #[oai(
        path = "/submissions/:id/grade",
        method = "post",
        operation_id = "gradeSubmission"
    )]
    async fn grade(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<GradeInput>,
    ) -> AppResult<Json<SubmissionView>> {
        Ok(Json(
            coursework::grade(&state, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Add an offline session to a class (its tutor or a program manager).
    #[oai(
        path = "/classes/:id/sessions",
        method = "post",
        operation_id = "createSession"
    )]
    async fn create_session(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SessionInput>,
    ) -> AppResult<Json<SessionView>> {
        Ok(Json(
            attendance::create(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Sessions of a class, in date order.
    #[oai(
        path = "/classes/:id/sessions",
        method = "get",
        operation_id = "listSessions"
    )]
    async fn list_sessions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<SessionView>>> {
        Ok(Json(
            attendance::list(&state.db, &auth.0, id.0, page.0, page_size.0).await?,
        ))
    }

    /// Record attendance of a held session: present credits its hours once, present → absent voids them.
    #[oai(
        path = "/sessions/:id/attendance",
        method = "put",
        operation_id = "recordAttendance"
    )]
    async fn record_attendance(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<AttendanceInput>,
    ) -> AppResult<Json<Vec<AttendanceView>>> {
        Ok(Json(
            attendance::record(&state, &auth.0, id.0, body.0).await?,
        ))
    }

    /// The attendance recorded for a session (its class's tutors and managers).
    #[oai(
        path = "/sessions/:id/attendance",
        method = "get",
        operation_id = "getAttendance"
    )]
    async fn get_attendance(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<Vec<AttendanceView>>> {
        Ok(Json(attendance::get_sheet(&state.db, &auth.0, id.0).await?))
    }
}
