//! The HTTP surface: the OpenAPI service (the contract), docs, the SPA, and the middleware around them.

use poem::{Endpoint, EndpointExt, IntoResponse, Route, middleware::Tracing};
use poem_openapi::{ApiResponse, Object, OpenApi, OpenApiService, payload::Json};

use crate::{
    AppState,
    assessment::routes::AssessmentApi,
    audit::routes::AuditAdminApi,
    auth::{routes::AuthApi, sessions_routes::SessionsApi},
    competency::routes::CompetencyApi,
    directory::{
        accounts_routes::AccountsApi, audit_routes::AuditApi, files_routes::FilesApi,
        personal_data_routes::PersonalDataApi, regions::RegionsApi, schools_routes::SchoolsApi,
        teachers_routes::TeachersApi,
    },
    files::routes::UploadsApi,
    lessons::{rounds_routes::LessonRoundsApi, routes::LessonsApi},
    operations::routes::JobsApi,
    platform::{browser_headers, error::to_problem},
    tags::Tag,
    training::{coursework_routes::CourseworkApi, results_routes::ResultsApi, routes::TrainingApi},
};

#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Health {
    pub status: String,
    pub database: String,
    pub version: String,
}

#[derive(ApiResponse)]
enum HealthResponse {
    #[oai(status = 200)]
    Ok(Json<Health>),
    /// The database cannot be reached.
    #[oai(status = 503)]
    Unavailable(Json<Health>),
}

/// Whether the instance can serve traffic, and each check's outcome.
#[derive(Debug, Object)]
pub struct Readiness {
    pub ready: bool,
    pub checks: Vec<crate::platform::readiness::ReadinessCheck>,
}

#[derive(ApiResponse)]
enum ReadinessResponse {
    #[oai(status = 200)]
    Ready(Json<Readiness>),
    /// A check failed: its `reason` says why.
    #[oai(status = 503)]
    NotReady(Json<Readiness>),
}

pub struct SystemApi;

#[OpenApi(tag = "Tag::System")]
impl SystemApi {
    /// Liveness: the process answers (and says whether its database does).
    #[oai(path = "/health", method = "get", operation_id = "health")]
    async fn health(&self, state: poem::web::Data<&AppState>) -> HealthResponse {
        let ok = state.db.ping().await.is_ok();
        let health = Health {
            status: if ok { "ok" } else { "unavailable" }.into(),
            database: format!("{:?}", state.db.get_database_backend()).to_lowercase(),
            version: env!("CARGO_PKG_VERSION").into(),
        };
        if ok {
            HealthResponse::Ok(Json(health))
        } else {
            HealthResponse::Unavailable(Json(health))
        }
    }

    /// Readiness for a load balancer: the database answers, migrations are applied, the object store takes a
    /// write and ffprobe starts. 503 naming the failed check otherwise.
    #[oai(path = "/ready", method = "get", operation_id = "ready")]
    async fn ready(&self, state: poem::web::Data<&AppState>) -> ReadinessResponse {
        let checks = crate::platform::readiness::check(&state).await;
        let ready = checks.iter().all(|c| c.ok);
        let body = Json(Readiness { ready, checks });
        if ready {
            ReadinessResponse::Ready(body)
        } else {
            ReadinessResponse::NotReady(body)
        }
    }
}

type Apis = (
    SystemApi,
    AuthApi,
    RegionsApi,
    SchoolsApi,
    (
        TeachersApi,
        AccountsApi,
        AuditApi,
        FilesApi,
        TrainingApi,
        UploadsApi,
        ResultsApi,
        CourseworkApi,
        CompetencyApi,
        AssessmentApi,
        LessonsApi,
    ),
    LessonRoundsApi,
    JobsApi,
    PersonalDataApi,
    AuditAdminApi,
    SessionsApi,
);

/// The OpenAPI service; `yanxiu openapi` prints its spec without starting a server.
pub fn api_service() -> OpenApiService<Apis, ()> {
    OpenApiService::new(
        (
            SystemApi,
            AuthApi,
            RegionsApi,
            SchoolsApi,
            (
                TeachersApi,
                AccountsApi,
                AuditApi,
                FilesApi,
                TrainingApi,
                UploadsApi,
                ResultsApi,
                CourseworkApi,
                CompetencyApi,
                AssessmentApi,
                LessonsApi,
            ),
            LessonRoundsApi,
            JobsApi,
            PersonalDataApi,
            AuditAdminApi,
            SessionsApi,
        ),
        "Yanxiu 研修 API",
        env!("CARGO_PKG_VERSION"),
    )
    .description(
        "Teacher ICT-competence training management: directory, accounts and scoped access, training programs, \
         enrolment, the hours ledger, certificates and completion reports.",
    )
    .url_prefix("/api")
}

/// The whole application: API under `/api`, docs at `/api/docs`, the SPA at `/`.
pub fn app(state: AppState) -> impl Endpoint {
    let service = api_service();
    let spec = service.spec_endpoint();
    let docs = service.swagger_ui();
    let spa = crate::spa::SpaSource::choose(state.config.static_dir.clone());
    // tus (resumable uploads) is a header protocol beside the OpenAPI service; its status is an OpenAPI operation.
    let mut route = Route::new()
        .at(
            "/api/uploads",
            poem::endpoint::make(crate::files::uploads::collection),
        )
        .at(
            "/api/uploads/:id",
            poem::endpoint::make(crate::files::uploads::item),
        )
        .at("/api/openapi.json", spec)
        .nest("/api/docs", docs)
        .nest("/api", service);
    if let Some(source) = spa {
        route = route.nest("/", crate::spa::SpaFiles::new(source));
    }
    route
        // Inside the error conversion, so it still sees which operation answered a refusal.
        .around(crate::audit::around_request)
        .catch_all_error(|err| async move { to_problem(err) })
        // The guard refuses oversize and NUL-bearing requests; the browser headers go on every answer, its too.
        .around(crate::platform::request_guard::guard)
        .around(browser_headers::apply)
        .around(with_request_id)
        .with(Tracing)
        .data(state)
}

/// Gives every request an id (the caller's `X-Request-Id` when sane), logs under it and returns it, so a
/// user's report of a failure can be matched with the server log.
async fn with_request_id<E: Endpoint>(next: E, req: poem::Request) -> poem::Result<poem::Response> {
    let id = req
        .header("x-request-id")
        .filter(|v| v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    // The language and the id are the request's own: problems and audit entries read them.
    let context = crate::platform::i18n::RequestContext {
        lang: crate::platform::i18n::Lang::from_accept_language(req.header("accept-language")),
        request_id: Some(id.clone()),
    };
    let mut response = crate::platform::i18n::scope(
        context,
        tracing::Instrument::instrument(next.call(req), span),
    )
    .await?
    .into_response();
    if let Ok(value) = poem::http::HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    Ok(response)
}
