use chrono::{DateTime, Utc};
use entity::inbox_message;
use poem_openapi::{Object, OpenApi, param::Path, param::Query, payload::Json};

use super::{NoticeKind, service};
use crate::{
    AppState,
    auth::BearerAuth,
    platform::{error::AppResult, paging::Page},
    tags::Tag,
};

/// A message of my inbox.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct InboxMessageView {
    pub id: i64,
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// The page of the SPA the message is about.
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<inbox_message::Model> for InboxMessageView {
    fn from(m: inbox_message::Model) -> Self {
        Self {
            id: m.id,
            kind: m.kind,
            title: m.title,
            body: m.body,
            link: m.link,
            created_at: m.created_at,
            read_at: m.read_at,
        }
    }
}

#[derive(Debug, Object)]
pub struct UnreadCount {
    pub unread: u64,
}

#[derive(Debug, Object)]
pub struct MarkedRead {
    /// How many messages were unread and are read now.
    pub marked: u64,
}

/// Whether one kind of notice also comes by mail. It always lands in the inbox.
#[derive(Debug, Object)]
pub struct MailChoice {
    pub kind: NoticeKind,
    pub by_mail: bool,
    /// Security notices (password events) always go by mail too; `by_mail` cannot be turned off for them.
    #[oai(read_only)]
    pub mandatory: bool,
}

#[derive(Debug, Object)]
pub struct NotificationPreferences {
    pub choices: Vec<MailChoice>,
}

#[derive(Debug, Object)]
pub struct MailChoiceInput {
    pub kind: NoticeKind,
    pub by_mail: bool,
}

#[derive(Debug, Object)]
pub struct SetNotificationPreferences {
    /// The kinds to set; kinds not named keep their setting.
    #[oai(validator(max_items = 32))]
    pub choices: Vec<MailChoiceInput>,
}

pub struct InboxApi;

async fn preferences_view(
    state: &AppState,
    auth: &BearerAuth,
) -> AppResult<NotificationPreferences> {
    let choices = service::preferences(&state.db, &auth.0).await?;
    Ok(NotificationPreferences {
        choices: choices
            .into_iter()
            .map(|(kind, by_mail)| MailChoice {
                kind,
                by_mail,
                mandatory: kind.mail_is_mandatory(),
            })
            .collect(),
    })
}

#[OpenApi(tag = "Tag::Inbox")]
impl InboxApi {
    /// My messages (站内信), newest first; `unread=true` for the unread ones only.
    #[oai(path = "/inbox", method = "get", operation_id = "listInboxMessages")]
    async fn list(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        unread: Query<Option<bool>>,
        page: Query<Option<u64>>,
        page_size: Query<Option<u64>>,
    ) -> AppResult<Json<Page<InboxMessageView>>> {
        let (rows, total, page, page_size) = service::messages(
            &state.db,
            &auth.0,
            unread.0.unwrap_or(false),
            page.0,
            page_size.0,
        )
        .await?;
        Ok(Json(Page::new(
            rows.into_iter().map(Into::into).collect(),
            total,
            page,
            page_size,
        )))
    }

    /// How many of my messages are unread (the bell in the header).
    #[oai(
        path = "/inbox/unread-count",
        method = "get",
        operation_id = "inboxUnreadCount"
    )]
    async fn unread_count(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<UnreadCount>> {
        let unread = service::unread_count(&state.db, &auth.0).await?;
        Ok(Json(UnreadCount { unread }))
    }

    /// Marks one of my messages read. Someone else's message is a 404.
    #[oai(
        path = "/inbox/:id/read",
        method = "post",
        operation_id = "markInboxMessageRead"
    )]
    async fn mark_read(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        id: Path<i64>,
    ) -> AppResult<Json<InboxMessageView>> {
        let m = service::mark_read(&state.db, &auth.0, id.0).await?;
        Ok(Json(m.into()))
    }

    /// Marks all my messages read.
    #[oai(
        path = "/inbox/read-all",
        method = "post",
        operation_id = "markAllInboxMessagesRead"
    )]
    async fn mark_all_read(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<MarkedRead>> {
        let marked = service::mark_all_read(&state.db, &auth.0).await?;
        Ok(Json(MarkedRead { marked }))
    }

    /// Which kinds of notice also come to me by mail (all, until I turn some off).
    #[oai(
        path = "/inbox/preferences",
        method = "get",
        operation_id = "getNotificationPreferences"
    )]
    async fn preferences(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
    ) -> AppResult<Json<NotificationPreferences>> {
        Ok(Json(preferences_view(&state, &auth).await?))
    }

    /// Sets which kinds of notice also come by mail. Turning off security notices is a 422 on that choice.
    #[oai(
        path = "/inbox/preferences",
        method = "put",
        operation_id = "setNotificationPreferences"
    )]
    async fn set_preferences(
        &self,
        state: poem::web::Data<&AppState>,
        auth: BearerAuth,
        body: Json<SetNotificationPreferences>,
    ) -> AppResult<Json<NotificationPreferences>> {
        let choices: Vec<(NoticeKind, bool)> =
            body.0.choices.iter().map(|c| (c.kind, c.by_mail)).collect();
        service::set_preferences(&state.db, &auth.0, &choices).await?;
        Ok(Json(preferences_view(&state, &auth).await?))
    }
}
