use poem_openapi::{OpenApi, param::Query, payload::Json};

use super::personal_data::{self, PersonalData};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{error::AppResult, tabular::JsonFile},
    tags::Tag,
};

pub struct PersonalDataApi;

#[OpenApi(tag = "Tag::Auth")]
impl PersonalDataApi {
    /// My personal data (个人信息): my account, and for a teacher the teacher record, enrolments, hours,
    /// certificates, lessons, evidence and file names, with the history of who revealed my ID number or exported
    /// data containing me. ID number and phone are masked unless `full=true` (audited).
    #[oai(
        path = "/me/personal-data",
        method = "get",
        operation_id = "getMyPersonalData"
    )]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        /// Show my full ID number and phone.
        full: Query<Option<bool>>,
    ) -> AppResult<Json<PersonalData>> {
        Ok(Json(
            personal_data::collect(&state, &auth.0, full.0.unwrap_or(false)).await?,
        ))
    }

    /// The same data as a JSON file (audited).
    #[oai(
        path = "/me/personal-data/download",
        method = "get",
        operation_id = "downloadMyPersonalData"
    )]
    async fn download(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        /// Include my full ID number and phone.
        full: Query<Option<bool>>,
    ) -> AppResult<JsonFile<PersonalData>> {
        let (data, filename) =
            personal_data::download(&state, &auth.0, full.0.unwrap_or(false)).await?;
        Ok(JsonFile {
            data,
            filename,
            schema: std::marker::PhantomData,
        })
    }
}
