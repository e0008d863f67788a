use chrono::{DateTime, Utc};
use entity::{account_role::Role, announcement};
use poem_openapi::{Object, OpenApi, param::Path, param::Query, payload::Json};

use super::{service, targeting::parse_roles};
use crate::{
    AppState,
    auth::{BearerAuth, Principal},
    files::FileView,
    platform::{
        error::AppResult,
        paging::{Page, window},
    },
    tags::Tag,
};

/// An announcement as its readers and its managers see it.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct AnnouncementView {
    pub id: i64,
    /// The node it is published at; it reaches that node and everything below.
    pub node_code: String,
    pub title: String,
    pub body: String,
    /// The roles it is for; empty: every role.
    pub roles: Vec<Role>,
    pub attachments: Vec<FileView>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Whether I have read it.
    pub read: bool,
    /// Whether I may edit, withdraw and count its reads.
    pub manageable: bool,
}

/// What an administrator publishes or edits.
#[derive(Debug, Object)]
pub struct AnnouncementInput {
    /// The node to publish at (a region or school code in my area); default: my own node. It cannot change by an
    /// edit (another node there is a 422).
    #[oai(validator(max_length = 16))]
    pub node_code: Option<String>,
    #[oai(validator(min_length = 1, max_length = 200))]
    pub title: String,
    #[oai(validator(max_length = 20000))]
    pub body: String,
    /// The roles it is for; empty or absent: every role.
    #[oai(default, validator(max_items = 16))]
    pub roles: Vec<Role>,
    /// Files uploaded with purpose `announcement`.
    #[oai(default, validator(max_items = 20))]
    pub attachments: Vec<i64>,
    /// From when readers see it; default: now.
    pub valid_from: Option<DateTime<Utc>>,
    /// Until when readers see it; default: until withdrawn.
    pub valid_until: Option<DateTime<Utc>>,
}

impl From<AnnouncementInput> for service::Draft {
    fn from(i: AnnouncementInput) -> Self {
        Self {
            node_code: i.node_code.map(|c| c.trim().to_string()),
            title: i.title,
            body: i.body,
            roles: i.roles,
            attachments: i.attachments,
            valid_from: i.valid_from,
            valid_until: i.valid_until,
        }
    }
}

/// Reads under one child node of the announcement's node.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RegionReadCount {
    /// The child node's code; absent for readers at the announcement's node itself.
    pub code: Option<String>,
    pub name: String,
    pub reads: u64,
}

#[derive(Debug, Object)]
pub struct AnnouncementReadCounts {
    pub total: u64,
    pub regions: Vec<RegionReadCount>,
}

async fn view(
    state: &AppState,
    principal: &Principal,
    a: announcement::Model,
    read: Option<bool>,
) -> AppResult<AnnouncementView> {
    let read = match read {
        Some(r) => r,
        None => service::read_by(&state.db, principal, a.id).await?,
    };
    let files = service::attachments(&state.db, &a).await?;
    Ok(AnnouncementView {
        manageable: principal.can(crate::access::Permission::AnnouncementPublish, &a.path),
        id: a.id,
        node_code: a.node_code,
        title: a.title,
        body: a.body,
        roles: parse_roles(&a.roles),
        attachments: files.into_iter().map(Into::into).collect(),
        valid_from: a.valid_from,
        valid_until: a.valid_until,
        withdrawn_at: a.withdrawn_at,
        created_at: a.created_at,
        updated_at: a.updated_at,
        read,
    })
}

pub struct AnnouncementsApi;

#[OpenApi(tag = "Tag::Announcements")]
impl AnnouncementsApi {
    /// The announcements I manage (published at or below my nodes), newest first, withdrawn and expired ones
    /// included. Without `announcement.publish` anywhere: 403.
    #[oai(
        path = "/announcements",
        method = "get",
        operation_id = "listAnnouncements"
    )]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<AnnouncementView>>> {
        let (page, size, offset) = window(page.0, page_size.0)?;
        let (rows, total) = service::managed_page(&state.db, &auth.0, offset, size).await?;
        let mut items = Vec::with_capacity(rows.len());
        for a in rows {
            items.push(view(&state, &auth.0, a, None).await?);
        }
        Ok(Json(Page::new(items, total, page, size)))
    }

    /// The valid announcements that reach me (my node is in the publisher's subtree and my role is one it is
    /// for), unread first; `unread=true` for the unread ones only.
    #[oai(
        path = "/announcements/mine",
        method = "get",
        operation_id = "myAnnouncements"
    )]
    async fn mine(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        unread: Query<Option<bool>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<AnnouncementView>>> {
        let (page, size, offset) = window(page.0, page_size.0)?;
        let (rows, total) =
            service::reaching_page(&state.db, &auth.0, unread.0.unwrap_or(false), offset, size)
                .await?;
        let mut items = Vec::with_capacity(rows.len());
        for (a, read) in rows {
            items.push(view(&state, &auth.0, a, Some(read)).await?);
        }
        Ok(Json(Page::new(items, total, page, size)))
    }

    /// Publishes an announcement to a node of my area and everything below it. Audited.
    #[oai(
        path = "/announcements",
        method = "post",
        operation_id = "publishAnnouncement"
    )]
    async fn publish(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<AnnouncementInput>,
    ) -> AppResult<Json<AnnouncementView>> {
        let a = service::publish(&state, &auth.0, body.0.into()).await?;
        Ok(Json(view(&state, &auth.0, a, None).await?))
    }

    /// One announcement that reaches me or that I manage.
    #[oai(
        path = "/announcements/:id",
        method = "get",
        operation_id = "getAnnouncement"
    )]
    async fn get(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AnnouncementView>> {
        let a = service::visible(&state.db, &auth.0, id.0).await?;
        Ok(Json(view(&state, &auth.0, a, None).await?))
    }

    /// Edits an announcement I manage (its node stays); a withdrawn one is a 409.
    #[oai(
        path = "/announcements/:id",
        method = "put",
        operation_id = "updateAnnouncement"
    )]
    async fn update(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
        body: Json<AnnouncementInput>,
    ) -> AppResult<Json<AnnouncementView>> {
        let a = service::edit(&state, &auth.0, id.0, body.0.into()).await?;
        Ok(Json(view(&state, &auth.0, a, None).await?))
    }

    /// Withdraws an announcement I manage: readers stop seeing it. A second withdrawal is a 409. Audited.
    #[oai(
        path = "/announcements/:id/withdraw",
        method = "post",
        operation_id = "withdrawAnnouncement"
    )]
    async fn withdraw(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AnnouncementView>> {
        let a = service::withdraw(&state, &auth.0, id.0).await?;
        Ok(Json(view(&state, &auth.0, a, None).await?))
    }

    /// Marks a valid announcement that reaches me read.
    #[oai(
        path = "/announcements/:id/read",
        method = "post",
        operation_id = "markAnnouncementRead"
    )]
    async fn mark_read(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AnnouncementView>> {
        let a = service::mark_read(&state.db, &auth.0, id.0).await?;
        Ok(Json(view(&state, &auth.0, a, Some(true)).await?))
    }

    /// How many have read an announcement I manage, per child region (or school) of its node.
    #[oai(
        path = "/announcements/:id/read-counts",
        method = "get",
        operation_id = "announcementReadCounts"
    )]
    async fn read_counts(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<AnnouncementReadCounts>> {
        let (total, regions) = service::read_counts(&state, &auth.0, id.0).await?;
        Ok(Json(AnnouncementReadCounts {
            total,
            regions: regions
                .into_iter()
                .map(|r| RegionReadCount {
                    code: r.code,
                    name: r.name,
                    reads: r.reads,
                })
                .collect(),
        }))
    }
}
