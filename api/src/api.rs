//! The HTTP surface: the OpenAPI service (the contract), docs, the SPA, and the middleware around them.

use poem::{Endpoint, EndpointExt, IntoResponse, Route, middleware::Tracing};
use poem_openapi::{ApiResponse, Object, OpenApi, OpenApiService, payload::Json};

use crate::{
    AppState,
    announcements::routes::AnnouncementsApi,
    assessment::routes::AssessmentApi,
    audit::routes::AuditAdminApi,
    auth::{routes::AuthApi, sessions_routes::SessionsApi},
    competency::routes::CompetencyApi,
    directory::{
        accounts_routes::AccountsApi, audit_routes::AuditApi, files_routes::FilesApi,
        personal_data_routes::PersonalDataApi, regions::RegionsApi, schools_routes::SchoolsApi,
        teachers_routes::TeachersApi,
    },
    exports::routes::ExportsApi,
    files::routes::UploadsApi,
    inbox::routes::InboxApi,
    lessons::{rounds_routes::LessonRoundsApi, routes::LessonsApi},
    operations::routes::JobsApi,
    platform::{browser_headers, error::to_problem},
    reports::routes::ReportsApi,
    tags::Tag,
    training::{coursework_routes::CourseworkApi, results_routes::ResultsApi, routes::TrainingApi},
    workbench::routes::WorkbenchApi,
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
    /// When the checks ran: answers within `YANXIU_READINESS_CACHE_SECONDS` of it repeat them.
    pub checked_at: chrono::DateTime<chrono::Utc>,
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
    /// write and ffprobe starts. 503 naming the failed check otherwise. The outcome is reused for a few seconds.
    #[oai(path = "/ready", method = "get", operation_id = "ready")]
    async fn ready(&self, state: poem::web::Data<&AppState>) -> ReadinessResponse {
        let checked = state.readiness.get(&state).await;
        let ready = checked.checks.iter().all(|c| c.ok);
        let body = Json(Readiness {
            ready,
            checked_at: checked.at,
            checks: checked.checks.clone(),
        });
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
    WorkbenchApi,
    ExportsApi,
    (InboxApi, AnnouncementsApi),
    ReportsApi,
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
            WorkbenchApi,
            ExportsApi,
            (InboxApi, AnnouncementsApi),
            ReportsApi,
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
        .at("/metrics", metrics_on_main_port)
        .nest("/api/docs", docs)
        .nest("/api", service);
    if let Some(source) = spa {
        route = route.nest("/", crate::spa::SpaFiles::new(source));
    }
    route
        // Inside the error conversion, so it still sees which operation answered a refusal.
        .around(crate::audit::around_request)
        .around(observe)
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

/// Counts and times every request under its OpenAPI operation id, or the fixed name of its route outside the
/// contract. It turns an error into its problem answer itself (as the catch-all would next), so the status
/// counted is the one the caller gets.
async fn observe<E: Endpoint>(next: E, req: poem::Request) -> poem::Result<poem::Response> {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let route = route_outside_contract(req.uri().path());
    let (operation, response) = match next.call(req).await {
        Ok(resp) => {
            let resp = resp.into_response();
            (resp.data::<poem_openapi::OperationId>().map(|o| o.0), resp)
        }
        Err(err) => (
            err.data::<poem_openapi::OperationId>().map(|o| o.0),
            to_problem(err),
        ),
    };
    crate::platform::metrics::http_request(
        operation.unwrap_or(route),
        method.as_str(),
        response.status().as_u16(),
        started.elapsed(),
    );
    Ok(response)
}

/// The label of a request that no OpenAPI operation answered: one name per route, never the path itself.
fn route_outside_contract(path: &str) -> &'static str {
    if path == "/api/uploads" || path.starts_with("/api/uploads/") {
        "tus_upload"
    } else if path == "/metrics" {
        "metrics"
    } else if path == "/api/openapi.json" || path.starts_with("/api/docs") {
        "api_docs"
    } else if path == "/api" || path.starts_with("/api/") {
        "api_unmatched"
    } else {
        "web_app"
    }
}

/// `/metrics` on the main port: only for the configured bearer token; anyone else gets the 404 of a route that
/// does not exist, so the port does not even tell that metrics are there.
#[poem::handler]
async fn metrics_on_main_port(
    req: &poem::Request,
    state: poem::web::Data<&AppState>,
) -> poem::Result<poem::Response> {
    let token = state.config.metrics_token.as_deref();
    if !crate::platform::metrics::authorised(token, req.header("authorization")) {
        return Err(poem::error::NotFoundError.into());
    }
    Ok(metrics_text(&state).await)
}

/// The series as Prometheus scrapes them.
pub async fn metrics_text(state: &AppState) -> poem::Response {
    poem::Response::builder()
        .content_type(crate::platform::metrics::CONTENT_TYPE)
        .body(crate::platform::metrics::render(&state.db).await)
}

/// The endpoint of `YANXIU_METRICS_BIND`: `/metrics` alone, with the bearer token when one is configured.
pub fn metrics_app(state: AppState) -> impl Endpoint {
    Route::new()
        .at("/metrics", metrics_on_own_address)
        .data(state)
}

#[poem::handler]
async fn metrics_on_own_address(
    req: &poem::Request,
    state: poem::web::Data<&AppState>,
) -> poem::Result<poem::Response> {
    let token = state.config.metrics_token.as_deref();
    if token.is_some_and(|t| !t.is_empty())
        && !crate::platform::metrics::authorised(token, req.header("authorization"))
    {
        return Err(poem::error::NotFoundError.into());
    }
    Ok(metrics_text(&state).await)
}
