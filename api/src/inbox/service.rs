//! Reading my inbox and choosing which kinds of notice also come by mail.
use chrono::Utc;
use entity::{inbox_message, notification_preference};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};

use super::NoticeKind;
use crate::{
    auth::Principal,
    platform::{
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Total, fetch, window},
    },
};

/// A page of my messages, newest first; only the unread ones when asked.
pub async fn messages(
    db: &impl ConnectionTrait,
    principal: &Principal,
    unread_only: bool,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<(Vec<inbox_message::Model>, Total, u64, u64)> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = inbox_message::Entity::find()
        .filter(inbox_message::Column::AccountId.eq(principal.account_id));
    if unread_only {
        q = q.filter(inbox_message::Column::ReadAt.is_null());
    }
    let q = q
        .order_by_desc(inbox_message::Column::CreatedAt)
        .order_by_desc(inbox_message::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok((rows, total, page, size))
}

pub async fn unread_count(db: &impl ConnectionTrait, principal: &Principal) -> AppResult<u64> {
    Ok(inbox_message::Entity::find()
        .filter(inbox_message::Column::AccountId.eq(principal.account_id))
        .filter(inbox_message::Column::ReadAt.is_null())
        .count(db)
        .await?)
}

/// Marks one of my messages read (again: nothing changes). Someone else's message is a 404.
pub async fn mark_read(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<inbox_message::Model> {
    let txn = begin_write(db).await?;
    let m = inbox_message::Entity::find_by_id(id)
        .filter(inbox_message::Column::AccountId.eq(principal.account_id))
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let m = if m.read_at.is_none() {
        let mut a: inbox_message::ActiveModel = m.into();
        a.read_at = Set(Some(Utc::now()));
        a.update(&txn).await?
    } else {
        m
    };
    txn.commit().await?;
    Ok(m)
}

/// Marks all my unread messages read; returns how many there were.
pub async fn mark_all_read(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
) -> AppResult<u64> {
    let txn = begin_write(db).await?;
    let done = inbox_message::Entity::update_many()
        .col_expr(inbox_message::Column::ReadAt, Expr::val(Utc::now()))
        .filter(inbox_message::Column::AccountId.eq(principal.account_id))
        .filter(inbox_message::Column::ReadAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(done.rows_affected)
}

/// Every kind with whether it goes by mail to me.
pub async fn preferences(
    db: &impl ConnectionTrait,
    principal: &Principal,
) -> AppResult<Vec<(NoticeKind, bool)>> {
    let mut out = Vec::new();
    for kind in NoticeKind::ALL {
        out.push((
            kind,
            super::wants_mail(db, Some(principal.account_id), kind).await?,
        ));
    }
    Ok(out)
}

/// Sets which kinds go by mail; kinds not named keep their setting. Security notices cannot be turned off.
pub async fn set_preferences(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    choices: &[(NoticeKind, bool)],
) -> AppResult<()> {
    for (i, (kind, by_mail)) in choices.iter().enumerate() {
        if kind.mail_is_mandatory() && !by_mail {
            return Err(AppError::field(
                format!("choices[{i}].by_mail"),
                crate::platform::i18n::catalogue::inbox::SecurityMailRequired,
            ));
        }
    }
    let txn = begin_write(db).await?;
    for (kind, by_mail) in choices {
        notification_preference::Entity::delete_by_id((principal.account_id, *kind))
            .exec(&txn)
            .await?;
        notification_preference::ActiveModel {
            account_id: Set(principal.account_id),
            kind: Set(*kind),
            by_mail: Set(*by_mail),
            updated_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
