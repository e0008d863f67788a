use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::{
    programs::{self, ProgramInput, ProgramView},
    quotas::{self, QuotaInput, QuotaView},
};
use crate::{
    AppState,
    api::Tag,
    auth::BearerAuth,
    platform::{error::AppResult, paging::Page},
};

pub struct TrainingApi;

#[OpenApi(tag = "Tag::Training")]
impl TrainingApi {
    /// Programs owned on my way up to the province (published ones) or inside my part of the tree.
    #[oai(path = "/programs", method = "get", operation_id = "listPrograms")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        year: Query<Option<i32>>,
    ) -> AppResult<Json<Page<ProgramView>>> {
        Ok(Json(
            programs::list(&state, &auth.0, year.0, page.0, page_size.0).await?,
        ))
    }

    /// Create a program owned by a node I manage, holding the seats to hand down. It starts as a draft.
    #[oai(path = "/programs", method = "post", operation_id = "createProgram")]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<ProgramInput>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::create(&state, &auth.0, body.0).await?))
    }

    /// One program.
    #[oai(path = "/programs/:id", method = "get", operation_id = "getProgram")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::get(&state, &auth.0, id.0).await?))
    }

    /// Publish a draft program to everyone below its owner.
    #[oai(
        path = "/programs/:id/publish",
        method = "post",
        operation_id = "publishProgram"
    )]
    async fn publish(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<ProgramView>> {
        Ok(Json(programs::publish(&state, &auth.0, id.0).await?))
    }

    /// The program's quotas in my part of the tree and on my way up to the owner.
    #[oai(
        path = "/programs/:id/quotas",
        method = "get",
        operation_id = "listQuotas"
    )]
    async fn quotas(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<Vec<QuotaView>>> {
        Ok(Json(quotas::list(&state, &auth.0, id.0).await?))
    }

    /// Set the seats a node holds, taken from the level above (which I must manage). Never more than that
    /// level has left, never less than the node has already passed on or used.
    #[oai(
        path = "/programs/:id/quotas/:node_code",
        method = "put",
        operation_id = "allocateQuota"
    )]
    async fn allocate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        node_code: Path<String>,
        body: Json<QuotaInput>,
    ) -> AppResult<Json<QuotaView>> {
        Ok(Json(
            quotas::allocate(&state, &auth.0, id.0, &node_code.0, body.0).await?,
        ))
    }
}
