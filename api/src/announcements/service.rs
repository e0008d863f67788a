//! Publishing, reading and counting announcements. Every decision on who may act or see goes through `access`
//! (the `announcement.publish` scope) and the reach rules of [`super::targeting`].
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entity::{
    account_role::Role, announcement, announcement_read, file, region::NodeLevel, school,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    ExprTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};

use super::targeting::{child_code, parse_roles, reachable_paths, reaching_grant, roles_json};
use crate::{
    AppState,
    access::{Permission, Principal, as_reference},
    directory::service::node_in_area,
    files::{self, FilePurpose},
    platform::{
        audit,
        db::begin_write,
        error::{AppError, AppResult},
        i18n::catalogue::inbox as m,
    },
};

/// What an administrator writes: the same for publishing and editing.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The node published at; None: the caller's own node for publishing.
    pub node_code: Option<String>,
    pub title: String,
    pub body: String,
    pub roles: Vec<Role>,
    pub attachments: Vec<i64>,
    pub valid_from: Option<DateTime<Utc>>,
    pub valid_until: Option<DateTime<Utc>>,
}

/// An announcement is live for readers between its validity bounds, unless withdrawn.
pub fn is_live(a: &announcement::Model, now: DateTime<Utc>) -> bool {
    a.withdrawn_at.is_none() && a.valid_from <= now && a.valid_until.is_none_or(|u| u > now)
}

/// Live announcements that reach the principal, as one condition.
fn reaching(principal: &Principal, now: DateTime<Utc>) -> Condition {
    let mut any = Condition::any();
    for grant in principal.bound_roles() {
        let role = Condition::any()
            .add(announcement::Column::Roles.eq("[]"))
            .add(announcement::Column::Roles.like(format!("%\"{}\"%", grant.role.as_str())));
        any = any.add(
            Condition::all()
                .add(announcement::Column::Path.is_in(reachable_paths(grant)))
                .add(role),
        );
    }
    if principal.bound_roles().is_empty() {
        any = any.add(Expr::val(1).eq(Expr::val(0)));
    }
    Condition::all()
        .add(any)
        .add(announcement::Column::WithdrawnAt.is_null())
        .add(announcement::Column::ValidFrom.lte(now))
        .add(
            Condition::any()
                .add(announcement::Column::ValidUntil.is_null())
                .add(announcement::Column::ValidUntil.gt(now)),
        )
}

fn reaches(principal: &Principal, a: &announcement::Model, now: DateTime<Utc>) -> bool {
    is_live(a, now) && reaching_grant(principal, &a.path, &parse_roles(&a.roles)).is_some()
}

fn manages(principal: &Principal, a: &announcement::Model) -> bool {
    principal.can(Permission::AnnouncementPublish, &a.path)
}

/// One announcement the caller manages or is reached by; 404 otherwise.
pub async fn visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<announcement::Model> {
    let a = announcement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if manages(principal, &a) || reaches(principal, &a, Utc::now()) {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}

/// One announcement the caller may edit: 403 for a reader who sees it, 404 for anyone else.
async fn managed(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<announcement::Model> {
    let a = visible(db, principal, id).await?;
    if manages(principal, &a) {
        Ok(a)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The announcements under my `announcement.publish` scope (mine and those of administrators below me), newest
/// first, withdrawn and expired ones included.
pub async fn managed_page(
    db: &impl ConnectionTrait,
    principal: &Principal,
    offset: u64,
    size: u64,
) -> AppResult<(Vec<announcement::Model>, crate::platform::paging::Total)> {
    principal.require_somewhere(Permission::AnnouncementPublish)?;
    let scope = principal.scope(Permission::AnnouncementPublish);
    let q = announcement::Entity::find()
        .filter(scope.condition(Expr::col(announcement::Column::Path), None))
        .order_by_desc(announcement::Column::CreatedAt)
        .order_by_desc(announcement::Column::Id);
    Ok(crate::platform::paging::fetch(db, q, offset, size).await?)
}

/// The live announcements that reach me, unread first, then newest first, with whether I read each.
pub async fn reaching_page(
    db: &impl ConnectionTrait,
    principal: &Principal,
    unread_only: bool,
    offset: u64,
    size: u64,
) -> AppResult<(
    Vec<(announcement::Model, bool)>,
    crate::platform::paging::Total,
)> {
    let now = Utc::now();
    let mine: Vec<i64> = announcement_read::Entity::find()
        .select_only()
        .column(announcement_read::Column::AnnouncementId)
        .filter(announcement_read::Column::AccountId.eq(principal.account_id))
        .into_tuple()
        .all(db)
        .await?;
    let mut q = announcement::Entity::find().filter(reaching(principal, now));
    if unread_only && !mine.is_empty() {
        q = q.filter(announcement::Column::Id.is_not_in(mine.clone()));
    }
    // Unread first: ids I read sort after the others.
    let read_last: sea_orm::sea_query::SimpleExpr = if mine.is_empty() {
        Expr::val(0)
    } else {
        Expr::case(announcement::Column::Id.is_in(mine.clone()), 1)
            .finally(0)
            .into()
    };
    let q = q
        .order_by(read_last, sea_orm::Order::Asc)
        .order_by_desc(announcement::Column::ValidFrom)
        .order_by_desc(announcement::Column::Id);
    let total = crate::platform::paging::Total::exact(q.clone().count(db).await?);
    let rows = q.offset(offset).limit(size).all(db).await?;
    Ok((
        rows.into_iter()
            .map(|a| {
                let read = mine.contains(&a.id);
                (a, read)
            })
            .collect(),
        total,
    ))
}

async fn checked(state: &AppState, principal: &Principal, d: &Draft) -> AppResult<()> {
    if d.title.trim().is_empty() {
        return Err(AppError::field("title", m::TitleRequired));
    }
    if let (Some(from), Some(until)) = (d.valid_from, d.valid_until)
        && until <= from
    {
        return Err(AppError::field("valid_until", m::ValidityOrder));
    }
    files::own_uploads(
        &state.db,
        principal,
        FilePurpose::Announcement,
        "attachments",
        &d.attachments,
    )
    .await?;
    Ok(())
}

/// Publishes an announcement at a node of my `announcement.publish` scope. Audited.
pub async fn publish(
    state: &AppState,
    principal: &Principal,
    d: Draft,
) -> AppResult<announcement::Model> {
    let node = node_in_area(
        state,
        principal,
        d.node_code.clone(),
        Permission::AnnouncementPublish,
    )
    .await
    .map_err(|e| match (&d.node_code, e) {
        (Some(_), AppError::NotFound) => as_reference("node_code")(AppError::NotFound),
        (_, e) => e,
    })?;
    checked(state, principal, &d).await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let a = announcement::ActiveModel {
        author_id: Set(principal.account_id),
        node_code: Set(node.code.clone()),
        path: Set(node.path.clone()),
        title: Set(d.title.trim().to_string()),
        body: Set(d.body),
        roles: Set(roles_json(&d.roles)),
        attachments: Set(serde_json::to_string(&d.attachments).unwrap_or_else(|_| "[]".into())),
        valid_from: Set(d.valid_from.unwrap_or(now)),
        valid_until: Set(d.valid_until),
        withdrawn_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "announcement.publish",
        ("announcement", a.id, &a.path),
        serde_json::json!({ "title": a.title, "node": a.node_code, "roles": d.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>() }),
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Edits an announcement (its node stays). A withdrawn one is a 409. Audited.
pub async fn edit(
    state: &AppState,
    principal: &Principal,
    id: i64,
    d: Draft,
) -> AppResult<announcement::Model> {
    let a = managed(&state.db, principal, id).await?;
    // The node is fixed at publication; naming another one is a reference the edit cannot honour.
    if d.node_code.as_ref().is_some_and(|c| *c != a.node_code) {
        return Err(crate::access::unusable_reference("node_code"));
    }
    if a.withdrawn_at.is_some() {
        return Err(AppError::conflict("id", m::AnnouncementWithdrawn));
    }
    checked(state, principal, &d).await?;
    let txn = begin_write(&state.db).await?;
    let mut active: announcement::ActiveModel = a.clone().into();
    active.title = Set(d.title.trim().to_string());
    active.body = Set(d.body);
    active.roles = Set(roles_json(&d.roles));
    active.attachments = Set(serde_json::to_string(&d.attachments).unwrap_or_else(|_| "[]".into()));
    active.valid_from = Set(d.valid_from.unwrap_or(a.valid_from));
    active.valid_until = Set(d.valid_until);
    active.updated_at = Set(Utc::now());
    let a = active.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "announcement.edit",
        ("announcement", a.id, &a.path),
        serde_json::json!({ "title": a.title }),
    )
    .await?;
    txn.commit().await?;
    Ok(a)
}

/// Withdraws an announcement: readers stop seeing it at once. A second withdrawal is a 409. Audited.
pub async fn withdraw(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<announcement::Model> {
    let a = managed(&state.db, principal, id).await?;
    let txn = begin_write(&state.db).await?;
    let done = announcement::Entity::update_many()
        .col_expr(announcement::Column::WithdrawnAt, Expr::val(Utc::now()))
        .col_expr(announcement::Column::UpdatedAt, Expr::val(Utc::now()))
        .filter(announcement::Column::Id.eq(a.id))
        .filter(announcement::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(AppError::conflict("id", m::AnnouncementWithdrawn));
    }
    audit::record_change(
        &txn,
        principal,
        "announcement.withdraw",
        ("announcement", a.id, &a.path),
        serde_json::json!({ "title": a.title }),
    )
    .await?;
    txn.commit().await?;
    announcement::Entity::find_by_id(a.id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Marks a live announcement that reaches me read (again: nothing changes), counted under the child region of
/// its node that I sit in.
pub async fn mark_read(
    db: &DatabaseConnection,
    principal: &Principal,
    id: i64,
) -> AppResult<announcement::Model> {
    let a = announcement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let grant = reaching_grant(principal, &a.path, &parse_roles(&a.roles))
        .filter(|_| is_live(&a, now))
        .ok_or(AppError::NotFound)?;
    let child = child_code(&a.path, &grant.scope_path);
    let txn = begin_write(db).await?;
    let seen = announcement_read::Entity::find_by_id((a.id, principal.account_id))
        .one(&txn)
        .await?;
    if seen.is_none() {
        announcement_read::ActiveModel {
            announcement_id: Set(a.id),
            account_id: Set(principal.account_id),
            child_code: Set(child),
            read_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(a)
}

pub async fn read_by(db: &impl ConnectionTrait, principal: &Principal, id: i64) -> AppResult<bool> {
    Ok(
        announcement_read::Entity::find_by_id((id, principal.account_id))
            .one(db)
            .await?
            .is_some(),
    )
}

/// One row of the read counts: a child node of the announcement's node (or the node itself, `code` None).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionReads {
    pub code: Option<String>,
    pub name: String,
    pub reads: u64,
}

/// How many have read, per child node of the announcement's node (every child listed, unread ones with 0).
pub async fn read_counts(
    state: &AppState,
    principal: &Principal,
    id: i64,
) -> AppResult<(u64, Vec<RegionReads>)> {
    let a = managed(&state.db, principal, id).await?;
    let counted: Vec<(Option<String>, i64)> = announcement_read::Entity::find()
        .select_only()
        .column(announcement_read::Column::ChildCode)
        .column_as(announcement_read::Column::AccountId.count(), "n")
        .filter(announcement_read::Column::AnnouncementId.eq(a.id))
        .group_by(announcement_read::Column::ChildCode)
        .into_tuple()
        .all(&state.db)
        .await?;
    let mut reads: BTreeMap<Option<String>, u64> = counted
        .into_iter()
        .map(|(code, n)| (code, u64::try_from(n).unwrap_or_default()))
        .collect();
    let total = reads.values().sum();
    let mut rows = Vec::new();
    for (code, name) in children(state, &a).await? {
        let n = reads.remove(&Some(code.clone())).unwrap_or_default();
        rows.push(RegionReads {
            code: Some(code),
            name,
            reads: n,
        });
    }
    // Readers at the node itself (its own administrators), and any child not listed (a school moved away).
    for (code, n) in reads {
        rows.push(RegionReads {
            name: code.clone().unwrap_or_else(|| a.node_code.clone()),
            code,
            reads: n,
        });
    }
    Ok((total, rows))
}

/// The child nodes of an announcement's node with their names: sub-regions, or a county's schools.
async fn children(state: &AppState, a: &announcement::Model) -> AppResult<Vec<(String, String)>> {
    let level = NodeLevel::of_path(&a.path);
    if level == Some(NodeLevel::County) {
        let schools = school::Entity::find()
            .filter(school::Column::Path.like(crate::platform::db::like_prefix(&a.path)))
            .order_by_asc(school::Column::Code)
            .all(&state.db)
            .await?;
        return Ok(schools.into_iter().map(|s| (s.code, s.name)).collect());
    }
    if level == Some(NodeLevel::School) {
        return Ok(Vec::new());
    }
    let mut regions: Vec<(String, String)> = state
        .regions
        .all()
        .filter(|r| r.parent_code.as_deref() == Some(a.node_code.as_str()))
        .map(|r| (r.code.clone(), r.name.clone()))
        .collect();
    regions.sort();
    Ok(regions)
}

/// The attached files of an announcement, in the order given.
pub async fn attachments(
    db: &impl ConnectionTrait,
    a: &announcement::Model,
) -> AppResult<Vec<file::Model>> {
    let ids: Vec<i64> = serde_json::from_str(&a.attachments).unwrap_or_default();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found = file::Entity::find()
        .filter(file::Column::Id.is_in(ids.clone()))
        .all(db)
        .await?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|f| f.id == *id).cloned())
        .collect())
}

/// An announcement's attachments are read by whoever sees the announcement.
pub struct AnnouncementFiles;

impl crate::access::files::FileReadPolicy for AnnouncementFiles {
    fn purpose(&self) -> FilePurpose {
        FilePurpose::Announcement
    }

    fn may_read<'a>(
        &'a self,
        db: &'a DatabaseConnection,
        principal: &'a Principal,
        file: &'a file::Model,
    ) -> crate::access::files::Decision<'a> {
        Box::pin(sees_attachment(db, principal, file))
    }
}

async fn sees_attachment(
    db: &DatabaseConnection,
    principal: &Principal,
    f: &file::Model,
) -> AppResult<bool> {
    let now = Utc::now();
    // A coarse text match narrows the rows; the parsed list decides.
    let carrying = announcement::Entity::find()
        .filter(announcement::Column::Attachments.like(format!("%{}%", f.id)))
        .all(db)
        .await?;
    Ok(carrying.iter().any(|a| {
        serde_json::from_str::<Vec<i64>>(&a.attachments)
            .unwrap_or_default()
            .contains(&f.id)
            && (manages(principal, a) || reaches(principal, a, now))
    }))
}
