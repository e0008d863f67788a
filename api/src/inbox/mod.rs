//! The in-app inbox (站内信). Every event that tells someone something by mail tells it here first: [`tell`]
//! writes the inbox row and, unless the recipient turned that kind's mail off, queues the mail — both in the
//! caller's transaction, so the event, its message and its mail commit or vanish together.
pub mod routes;
pub mod service;

use std::{future::Future, pin::Pin};

use chrono::{DateTime, Utc};
use entity::{account, inbox_message, notification_preference, teacher};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

pub use entity::inbox_message::NoticeKind;

use crate::platform::mail;

/// What an event tells its recipient, already rendered in the language the mail code chose.
#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    /// The SPA route the notice is about.
    pub link: Option<String>,
    /// The mail's body when it must differ from the inbox's: a password-reset link goes only to the mailbox.
    pub mail_body: Option<String>,
    /// The mail is not sent after this (its link stops working).
    pub mail_expires_at: Option<DateTime<Utc>>,
    /// Tells once: a second notice with the same key (a retried job) adds neither message nor mail.
    pub dedupe_key: Option<String>,
}

impl Notice {
    pub fn new(kind: NoticeKind, title: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            kind,
            title: title.into(),
            body: body.into(),
            link: None,
            mail_body: None,
            mail_expires_at: None,
            dedupe_key: None,
        }
    }

    pub fn link(mut self, route: impl Into<String>) -> Self {
        self.link = Some(route.into());
        self
    }

    pub fn once(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }
}

/// Who is told: the account whose inbox gets the message (a teacher may have none yet) and the address the mail
/// goes to (none: no mail).
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub account_id: Option<i64>,
    pub email: Option<String>,
}

impl Recipient {
    pub fn account(a: &account::Model) -> Self {
        Self {
            account_id: Some(a.id),
            email: a.email.clone(),
        }
    }

    /// A teacher: mail to the teacher record's address (as always), the inbox of the account that signs in as
    /// them.
    pub async fn teacher(db: &impl ConnectionTrait, t: &teacher::Model) -> Result<Self, DbErr> {
        let account = account::Entity::find()
            .filter(account::Column::TeacherId.eq(t.id))
            .one(db)
            .await?;
        Ok(Self {
            account_id: account.map(|a| a.id),
            email: t.email.clone(),
        })
    }
}

/// Writes the inbox message and queues the mail the recipient wants, in `db`'s transaction.
///
/// Boxed behind `dyn`: the callers sit deep in the demo year's future, whose type would otherwise grow past the
/// compiler's query depth.
pub fn tell<'a, C: ConnectionTrait + Sync>(
    db: &'a C,
    to: &'a Recipient,
    notice: Notice,
) -> Pin<Box<dyn Future<Output = Result<(), DbErr>> + Send + 'a>> {
    Box::pin(tell_now(db, to, notice))
}

async fn tell_now(db: &impl ConnectionTrait, to: &Recipient, notice: Notice) -> Result<(), DbErr> {
    if let Some(key) = &notice.dedupe_key
        && already_told(db, key).await?
    {
        return Ok(());
    }
    if let Some(account_id) = to.account_id {
        inbox_message::ActiveModel {
            account_id: Set(account_id),
            kind: Set(notice.kind),
            title: Set(notice.title.clone()),
            body: Set(notice.body.clone()),
            link: Set(notice.link.clone()),
            dedupe_key: Set(notice.dedupe_key.clone()),
            read_at: Set(None),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let Some(email) = to.email.as_deref().filter(|e| !e.trim().is_empty()) else {
        return Ok(());
    };
    if !wants_mail(db, to.account_id, notice.kind).await? {
        return Ok(());
    }
    let body = notice.mail_body.as_deref().unwrap_or(&notice.body);
    match (&notice.dedupe_key, notice.mail_expires_at) {
        (Some(key), _) => mail::queue_once(db, key, email, &notice.title, body).await,
        (None, Some(until)) => mail::queue_until(db, email, &notice.title, body, until).await,
        (None, None) => mail::queue(db, email, &notice.title, body).await,
    }
}

/// Whether a keyed notice was told before: its message, or (for a recipient without an inbox) its mail.
async fn already_told(db: &impl ConnectionTrait, key: &str) -> Result<bool, DbErr> {
    let message = inbox_message::Entity::find()
        .filter(inbox_message::Column::DedupeKey.eq(key))
        .one(db)
        .await?;
    if message.is_some() {
        return Ok(true);
    }
    Ok(entity::job::Entity::find()
        .filter(entity::job::Column::DedupeKey.eq(key))
        .one(db)
        .await?
        .is_some())
}

/// Whether this kind goes by mail to the account: yes unless they turned it off, and always for security
/// notices. An address without an account (a teacher who never signed in) keeps getting mail, as before.
pub async fn wants_mail(
    db: &impl ConnectionTrait,
    account_id: Option<i64>,
    kind: NoticeKind,
) -> Result<bool, DbErr> {
    let Some(account_id) = account_id.filter(|_| !kind.mail_is_mandatory()) else {
        return Ok(true);
    };
    let choice = notification_preference::Entity::find_by_id((account_id, kind))
        .one(db)
        .await?;
    Ok(choice.is_none_or(|c| c.by_mail))
}
