//! Outgoing mail. Producers enqueue a `mail` job in their transaction; the worker delivers it through SMTP
//! when configured, or as `.eml` files in the data dir by default. The Message-ID is fixed at enqueue time,
//! so a retry after a crash carries the same ID and receivers can drop the duplicate. A mail whose content stops
//! being valid (a password-reset link) carries that moment, and the worker never sends it later than that.
use std::path::PathBuf;

use chrono::{DateTime, Utc};

use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::header::ContentType,
};
use sea_orm::{ConnectionTrait, DbErr};
use serde::{Deserialize, Serialize};

use super::jobs;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub message_id: String,
    /// After this the mail is pointless or misleading (the reset link in it no longer works): it is not sent,
    /// and its job ends as `expired`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Puts a mail in the outbox, in the caller's transaction.
pub async fn queue(
    db: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), DbErr> {
    queue_mail(db, to, subject, body, None).await
}

/// Puts a mail in the outbox that must not be sent after `expires_at` (it carries a link that stops working then).
pub async fn queue_until(
    db: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    queue_mail(db, to, subject, body, Some(expires_at)).await
}

/// Puts a mail in the outbox once: a second call with the same `key` (a retried job) adds nothing.
pub async fn queue_once(
    db: &impl ConnectionTrait,
    key: &str,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), DbErr> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let exists = entity::job::Entity::find()
        .filter(entity::job::Column::DedupeKey.eq(key))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(());
    }
    let mail = OutgoingMail {
        to: to.to_string(),
        subject: subject.to_string(),
        body: body.to_string(),
        message_id: format!("<{}@yanxiu>", key.replace([':', ' '], ".")),
        expires_at: None,
    };
    let payload = serde_json::to_value(&mail).map_err(|e| DbErr::Custom(e.to_string()))?;
    jobs::enqueue(db, jobs::JobKind::Mail, payload, Some(key.to_string())).await
}

async fn queue_mail(
    db: &impl ConnectionTrait,
    to: &str,
    subject: &str,
    body: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<(), DbErr> {
    let id = uuid::Uuid::new_v4();
    let mail = OutgoingMail {
        to: to.to_string(),
        subject: subject.to_string(),
        body: body.to_string(),
        message_id: format!("<{id}@yanxiu>"),
        expires_at,
    };
    let payload = serde_json::to_value(&mail).map_err(|e| DbErr::Custom(e.to_string()))?;
    jobs::enqueue(db, jobs::JobKind::Mail, payload, Some(format!("mail:{id}"))).await
}

#[derive(Clone)]
pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: String,
    },
    Files {
        dir: PathBuf,
        from: String,
    },
}

impl Mailer {
    pub fn from_config(
        smtp_url: Option<&str>,
        from: &str,
        data_dir: &std::path::Path,
    ) -> anyhow::Result<Self> {
        Ok(match smtp_url {
            Some(url) => Mailer::Smtp {
                transport: AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build(),
                from: from.to_string(),
            },
            None => {
                let dir = data_dir.join("mail");
                std::fs::create_dir_all(&dir)?;
                Mailer::Files {
                    dir,
                    from: from.to_string(),
                }
            }
        })
    }

    /// Sends the mail of a job, unless it has expired (then it is never sent).
    pub async fn deliver_job(&self, payload: &str) -> anyhow::Result<jobs::Outcome> {
        let mail: OutgoingMail = serde_json::from_str(payload)?;
        if let Some(expired) = mail.expires_at.filter(|at| *at <= Utc::now()) {
            return Ok(jobs::Outcome::Expired(format!(
                "not sent: its content expired at {}",
                expired.to_rfc3339()
            )));
        }
        self.deliver(&mail).await?;
        Ok(jobs::Outcome::Done)
    }

    pub async fn deliver(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let from = match self {
            Mailer::Smtp { from, .. } | Mailer::Files { from, .. } => from,
        };
        let message = Message::builder()
            .from(from.parse()?)
            .to(mail.to.parse()?)
            .subject(mail.subject.clone())
            .message_id(Some(mail.message_id.clone()))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())?;
        match self {
            Mailer::Smtp { transport, .. } => {
                transport.send(message).await?;
            }
            Mailer::Files { dir, .. } => {
                AsyncFileTransport::<Tokio1Executor>::new(dir)
                    .send(message)
                    .await?;
            }
        }
        Ok(())
    }
}

impl jobs::JobHandler for Mailer {
    fn kind(&self) -> jobs::JobKind {
        jobs::JobKind::Mail
    }

    fn run<'a>(
        &'a self,
        _db: &'a sea_orm::DatabaseConnection,
        payload: &'a str,
    ) -> jobs::JobFuture<'a> {
        Box::pin(self.deliver_job(payload))
    }
}
