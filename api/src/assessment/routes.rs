//! Assessments over HTTP: the question bank, quizzes and attempts.
use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    attempts::{
        self, AnswerInput, AnswerSaved, AttemptStatus, AttemptSummary, AttemptView,
        GradeAnswerInput,
    },
    bank::{self, QuestionFilter, QuestionImportReport, QuestionInput, QuestionSort, QuestionView},
    grading::QuestionKind,
    quizzes::{self, QuizInput, QuizView},
};
use crate::platform::i18n::{self, catalogue::assessment as m};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{
        error::AppResult,
        paging::{Page, SortOrder},
        tabular::{Download, FileFormat, ImportUpload, read_upload},
    },
    tags::Tag,
};

pub struct AssessmentApi;

#[OpenApi(tag = "Tag::Assessments")]
impl AssessmentApi {
    /// Questions of the banks I reach (my node, below and above it), with filters; keys included (bank
    /// managers only: `question.manage`).
    #[allow(clippy::too_many_arguments)]
    #[oai(path = "/questions", method = "get", operation_id = "listQuestions")]
    async fn list_questions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        kind: Query<Option<QuestionKind>>,
        subject: Query<Option<String>>,
        tag: Query<Option<String>>,
        difficulty: Query<Option<i32>>,
        q: Query<Option<String>>,
        include_inactive: Query<Option<bool>>,
        sort: Query<Option<QuestionSort>>,
        order: Query<Option<SortOrder>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<QuestionView>>> {
        let filter = QuestionFilter {
            kind: kind.0,
            subject: subject.0,
            tag: tag.0,
            difficulty: difficulty.0,
            q: q.0,
            include_inactive: include_inactive.0.unwrap_or(false),
            sort: sort.0.unwrap_or_default(),
            order: order.0.unwrap_or_default(),
        };
        Ok(Json(
            bank::list(&state.db, &auth.0, filter, page.0, page_size.0).await?,
        ))
    }

    /// Add a question to my node's bank (or a node below).
    #[oai(path = "/questions", method = "post", operation_id = "createQuestion")]
    async fn create_question(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<QuestionInput>,
    ) -> AppResult<Json<QuestionView>> {
        Ok(Json(bank::create(&state, &auth.0, body.0).await?))
    }

    /// The bank as a spreadsheet (same columns as the import), with the list's filters.
    #[oai(
        path = "/questions/export",
        method = "get",
        operation_id = "exportQuestions"
    )]
    async fn export_questions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        kind: Query<Option<QuestionKind>>,
        subject: Query<Option<String>>,
        tag: Query<Option<String>>,
        format: Query<Option<FileFormat>>,
    ) -> AppResult<Download> {
        let format = format.0.unwrap_or_default();
        let filter = QuestionFilter {
            kind: kind.0,
            subject: subject.0,
            tag: tag.0,
            ..Default::default()
        };
        let data = bank::export(&state.db, &auth.0, filter, format).await?;
        Ok(Download {
            data,
            filename: i18n::t(m::BankFileName {
                value: format.extension().to_string(),
            }),
            content_type: format.content_type(),
        })
    }

    /// Import questions from XLSX or CSV (题型, 学科, 标签, 难度, 题干, 选项A–F, 答案, 解析, 分值): every line is
    /// checked first; any error writes nothing and is reported by line and column. `dry_run` (default true)
    /// only checks.
    #[oai(
        path = "/questions/import",
        method = "post",
        operation_id = "importQuestions"
    )]
    async fn import_questions(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        owner_code: Query<Option<String>>,
        dry_run: Query<Option<bool>>,
        upload: ImportUpload,
    ) -> AppResult<Json<QuestionImportReport>> {
        let bytes = read_upload(&state, upload.file).await?;
        let dry_run = dry_run.0.unwrap_or(true);
        Ok(Json(
            bank::import(&state, &auth.0, owner_code.0.as_deref(), &bytes, dry_run).await?,
        ))
    }

    /// One bank question with its key.
    #[oai(path = "/questions/:id", method = "get", operation_id = "getQuestion")]
    async fn get_question(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<QuestionView>> {
        Ok(Json(bank::get(&state.db, &auth.0, id.0).await?))
    }

    /// Change a question of my node's bank (or below); the old key is kept in the audit log.
    #[oai(
        path = "/questions/:id",
        method = "put",
        operation_id = "updateQuestion"
    )]
    async fn update_question(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<QuestionInput>,
    ) -> AppResult<Json<QuestionView>> {
        Ok(Json(bank::update(&state, &auth.0, id.0, body.0).await?))
    }

    /// Retire a question: papers already drawn keep it, new papers no longer draw it.
    #[oai(
        path = "/questions/:id/retire",
        method = "post",
        operation_id = "retireQuestion"
    )]
    async fn retire_question(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<QuestionView>> {
        Ok(Json(
            bank::set_active(&state.db, &auth.0, id.0, false).await?,
        ))
    }

    /// Bring a retired question back.
    #[oai(
        path = "/questions/:id/restore",
        method = "post",
        operation_id = "restoreQuestion"
    )]
    async fn restore_question(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<QuestionView>> {
        Ok(Json(
            bank::set_active(&state.db, &auth.0, id.0, true).await?,
        ))
    }

    /// Create a quiz or exam (draft) for a program I manage, optionally for one of its classes.
    #[oai(
        path = "/programs/:id/quizzes",
        method = "post",
        operation_id = "createQuiz"
    )]
    async fn create_quiz(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<QuizInput>,
    ) -> AppResult<Json<QuizView>> {
        Ok(Json(
            quizzes::create(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Quizzes of programs I manage or tutor in, and the published ones I may take (with my progress).
    #[oai(path = "/quizzes", method = "get", operation_id = "listQuizzes")]
    async fn list_quizzes(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        program_id: Query<Option<i64>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<QuizView>>> {
        Ok(Json(
            quizzes::list(&state.db, &auth.0, program_id.0, page.0, page_size.0).await?,
        ))
    }

    #[oai(path = "/quizzes/:id", method = "get", operation_id = "getQuiz")]
    async fn get_quiz(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<QuizView>> {
        Ok(Json(quizzes::get(&state.db, &auth.0, id.0).await?))
    }

    /// Change a draft quiz.
    #[oai(path = "/quizzes/:id", method = "put", operation_id = "updateQuiz")]
    async fn update_quiz(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<QuizInput>,
    ) -> AppResult<Json<QuizView>> {
        Ok(Json(
            quizzes::update(&state.db, &auth.0, id.0, body.0).await?,
        ))
    }

    /// Publish a draft: its paper must be drawable from the bank now.
    #[oai(
        path = "/quizzes/:id/publish",
        method = "post",
        operation_id = "publishQuiz"
    )]
    async fn publish_quiz(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<QuizView>> {
        Ok(Json(quizzes::publish(&state.db, &auth.0, id.0).await?))
    }

    /// Start an attempt, or resume the one running.
    #[oai(
        path = "/quizzes/:id/attempts",
        method = "post",
        operation_id = "startAttempt"
    )]
    async fn start_attempt(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AttemptView>> {
        Ok(Json(attempts::start(&state.db, &auth.0, id.0).await?))
    }

    /// Attempts at a quiz: all for its managers and tutors (filter `status=grading` for the grading queue), my
    /// own for a teacher.
    #[oai(
        path = "/quizzes/:id/attempts",
        method = "get",
        operation_id = "listAttempts"
    )]
    async fn list_attempts(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        status: Query<Option<AttemptStatus>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<AttemptSummary>>> {
        Ok(Json(
            attempts::list(&state.db, &auth.0, id.0, status.0, page.0, page_size.0).await?,
        ))
    }

    /// An attempt with its questions and saved answers. Keys, explanations and per-question scores once it is
    /// closed and, for the teacher who took it, once the quiz's `key_review` policy allows (`keys_shown`); a
    /// teacher reads only their own attempts.
    #[oai(path = "/attempts/:id", method = "get", operation_id = "getAttempt")]
    async fn get_attempt(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AttemptView>> {
        Ok(Json(attempts::get(&state.db, &auth.0, id.0).await?))
    }

    /// Autosave the answer to one question of my running attempt (409 once it is closed).
    #[oai(
        path = "/attempts/:id/answers/:question_id",
        method = "put",
        operation_id = "saveAnswer"
    )]
    async fn save_answer(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        question_id: Path<i64>,
        body: Json<AnswerInput>,
    ) -> AppResult<Json<AnswerSaved>> {
        Ok(Json(
            attempts::save_answer(&state.db, &auth.0, id.0, question_id.0, body.0).await?,
        ))
    }

    /// Hand in my attempt: objective questions are graded at once.
    #[oai(
        path = "/attempts/:id/submit",
        method = "post",
        operation_id = "submitAttempt"
    )]
    async fn submit_attempt(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AttemptView>> {
        Ok(Json(attempts::submit(&state.db, &auth.0, id.0).await?))
    }

    /// Grade one short answer of a closed attempt, with a comment (tutors of the class, program managers).
    #[oai(
        path = "/attempts/:id/answers/:question_id/grade",
        method = "post",
        operation_id = "gradeAnswer"
    )]
    async fn grade_answer(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        question_id: Path<i64>,
        body: Json<GradeAnswerInput>,
    ) -> AppResult<Json<AttemptView>> {
        Ok(Json(
            attempts::grade_answer(&state.db, &auth.0, id.0, question_id.0, body.0).await?,
        ))
    }
}
