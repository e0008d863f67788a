use poem_openapi::{
    OpenApi,
    param::{Path, Query},
    payload::Json,
};

use super::accounts::{
    self, AccountFilter, AccountSort, AccountUpdate, AccountView, NewAccount, SetPassword,
};
use crate::{
    AppState,
    access::Role,
    auth::{BearerAuth, routes::NoContent},
    platform::{
        error::AppResult,
        paging::{Page, SortOrder},
    },
    tags::Tag,
};

pub struct AccountsApi;

#[OpenApi(tag = "Tag::Accounts")]
impl AccountsApi {
    /// Accounts with a role in my part of the tree.
    #[oai(path = "/accounts", method = "get", operation_id = "listAccounts")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
        sort: Query<Option<AccountSort>>,
        order: Query<Option<SortOrder>>,
        role: Query<Option<Role>>,
        /// Only accounts bound inside this region's subtree.
        region: Query<Option<String>>,
        active: Query<Option<bool>>,
        /// Part of the username or display name.
        keyword: Query<Option<String>>,
    ) -> AppResult<Json<Page<AccountView>>> {
        let filter = AccountFilter {
            role: role.0,
            region: region.0,
            active: active.0,
            keyword: keyword.0,
        };
        Ok(Json(
            accounts::list(
                &state,
                &auth.0,
                filter,
                sort.0.unwrap_or_default(),
                order.0.unwrap_or_default(),
                page.0,
                page_size.0,
            )
            .await?,
        ))
    }

    /// Create an account bound to a node of my subtree, with a role not above my own.
    #[oai(path = "/accounts", method = "post", operation_id = "createAccount")]
    async fn create(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<NewAccount>,
    ) -> AppResult<Json<AccountView>> {
        Ok(Json(accounts::create(&state, &auth.0, body.0).await?))
    }

    /// One account.
    #[oai(path = "/accounts/:id", method = "get", operation_id = "getAccount")]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AccountView>> {
        Ok(Json(accounts::get(&state, &auth.0, id.0).await?))
    }

    /// Update name, e-mail and (optionally) replace the roles; a role change ends the account's sessions.
    #[oai(path = "/accounts/:id", method = "put", operation_id = "updateAccount")]
    async fn update(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<AccountUpdate>,
    ) -> AppResult<Json<AccountView>> {
        Ok(Json(accounts::update(&state, &auth.0, id.0, body.0).await?))
    }

    /// Deactivate an account; all its sessions end at once.
    #[oai(
        path = "/accounts/:id/deactivate",
        method = "post",
        operation_id = "deactivateAccount"
    )]
    async fn deactivate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AccountView>> {
        Ok(Json(
            accounts::set_active(&state, &auth.0, id.0, false).await?,
        ))
    }

    /// Reactivate an account (also lifts a login lockout).
    #[oai(
        path = "/accounts/:id/activate",
        method = "post",
        operation_id = "activateAccount"
    )]
    async fn activate(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AccountView>> {
        Ok(Json(
            accounts::set_active(&state, &auth.0, id.0, true).await?,
        ))
    }

    /// Set a new password for an account I manage; its sessions end.
    #[oai(
        path = "/accounts/:id/password",
        method = "post",
        operation_id = "setAccountPassword"
    )]
    async fn set_password(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<SetPassword>,
    ) -> AppResult<NoContent> {
        accounts::set_password(&state, &auth.0, id.0, &body.new_password).await?;
        Ok(NoContent::NoContent)
    }
}
