//! Accounts and their role grants. A business administrator creates and manages accounts only inside their own
//! subtree and never grants a role above their own; the security administrator (security.manage) alone creates and
//! manages administrators' accounts — the three system administrators (三员分立), province administrators, and any
//! account whose every role is an administrator's — and nobody changes their own account here.
use crate::access::RoleRules as _;
use crate::platform::i18n::{Text, catalogue::directory as dm};
use sea_orm::ActiveEnum as _;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{account, account_role, login_attempt};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, Set, sea_query::Query,
};

use super::service::resolve_node;
use crate::{
    AppState,
    access::{Permission, Role, check_separation, references},
    auth::{
        Principal,
        passwords::{self, check_not_username, check_policy},
        routes::RoleGrantView,
        service::{end_password_resets, normalise_username},
        sessions::revoke_all,
        throttle,
    },
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text},
        error::{AppError, AppResult, map_unique},
        paging::{Page, SortOrder, fetch, window},
    },
};

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct AccountView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub teacher_id: Option<i64>,
    pub roles: Vec<RoleGrantView>,
    pub active: bool,
    /// Whether I may edit, deactivate or set the password of this account (never my own).
    pub manageable: bool,
    /// Set while the username is locked after failed logins.
    pub locked_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct NewAccount {
    /// Letters, digits and `._-@`, 3–64 characters; case-insensitive.
    #[oai(validator(min_length = 3, max_length = 64))]
    pub username: String,
    #[oai(validator(max_length = 128))]
    pub password: String,
    #[oai(validator(min_length = 1, max_length = 64))]
    pub display_name: String,
    #[oai(validator(max_length = 128))]
    pub email: Option<String>,
    pub role: Role,
    /// Region code (province/city/county admins, reviewers, tutors, institutions) or school code (school admins, teachers).
    #[oai(validator(max_length = 10))]
    pub scope_code: String,
    /// Required for the teacher role: the teacher record this account signs in as.
    pub teacher_id: Option<i64>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct RoleAssignment {
    pub role: Role,
    #[oai(validator(max_length = 10))]
    pub scope_code: String,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct AccountUpdate {
    #[oai(validator(min_length = 1, max_length = 64))]
    pub display_name: String,
    #[oai(validator(max_length = 128))]
    pub email: Option<String>,
    /// Replaces all roles when present; the account's sessions end.
    pub roles: Option<Vec<RoleAssignment>>,
    pub teacher_id: Option<i64>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct SetPassword {
    #[oai(validator(max_length = 128))]
    pub new_password: String,
}

#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub role: Option<Role>,
    pub region: Option<String>,
    pub active: Option<bool>,
    pub keyword: Option<String>,
}

/// A grant that passed every rule, ready to store.
struct CheckedGrant {
    role: Role,
    scope_code: String,
    scope_kind: crate::access::ScopeKind,
    scope_path: String,
}

/// One role on one node: the node exists and fits the role, and the caller may grant it there — see
/// [`may_grant`].
async fn check_grant(
    state: &AppState,
    principal: &Principal,
    role: Role,
    code: &str,
    field: &str,
) -> AppResult<CheckedGrant> {
    let Some(node) = resolve_node(state, code.trim()).await? else {
        return Err(AppError::field(field, dm::NodeUnknown));
    };
    if !role.fits_node(node.level) {
        return Err(AppError::field(field, dm::RoleLevelMismatch));
    }
    may_grant(principal, role, &node.path, field)?;
    Ok(CheckedGrant {
        role,
        scope_code: code.trim().to_string(),
        scope_kind: node.scope_kind(),
        scope_path: node.path,
    })
}

/// Who grants what: the security administrator grants administrators' roles anywhere below its node, and it alone
/// grants the three system administrators' roles and the province administrator's; a business administrator
/// grants, inside its subtree, business roles ranking strictly below its own.
fn may_grant(principal: &Principal, role: Role, path: &str, field: &str) -> AppResult<()> {
    if role.is_administrator() && principal.can(Permission::SecurityManage, path) {
        return Ok(());
    }
    let refuse_role = |reason: Text| Err(AppError::field("role", reason));
    match principal.rank_over(Permission::AccountWrite, path) {
        None if principal.can(Permission::SecurityManage, path) => {
            refuse_role(dm::SecurityGrantsAdminsOnly.into())
        }
        None => Err(AppError::field(field, dm::GrantOutsideArea)),
        Some(_) if role.is_system_three() || role == Role::ProvinceAdmin => {
            refuse_role(dm::SecurityGrantsOnly.into())
        }
        Some(rank) if role.rank() < rank => Ok(()),
        Some(_) => refuse_role(dm::GrantBelowOwnRank.into()),
    }
}

/// 403 unless the caller manages accounts somewhere: a business administrator or the security administrator.
fn require_account_writer(principal: &Principal) -> AppResult<()> {
    principal
        .require_somewhere(Permission::AccountWrite)
        .or_else(|_| principal.require_somewhere(Permission::SecurityManage))
}

/// The teacher record an account is to sign in as, resolved through the access module: it must be a teacher the
/// caller may write accounts for, and lie in the account's own nodes — exactly the school of a teacher grant, or
/// under one of the other grants' nodes. `None` when no link is asked for and none is needed.
async fn resolve_teacher_link(
    db: &impl ConnectionTrait,
    principal: &Principal,
    grants: &[CheckedGrantRef<'_>],
    teacher_id: Option<i64>,
) -> AppResult<Option<i64>> {
    let teacher_grant = grants.iter().find(|g| g.role == Role::Teacher);
    let Some(id) = teacher_id else {
        return match teacher_grant {
            Some(_) => Err(AppError::field("teacher_id", dm::TeacherAccountNeedsRecord)),
            None => Ok(None),
        };
    };
    let teacher =
        references::teacher_for_write(db, principal, Permission::AccountWrite, id, "teacher_id")
            .await?;
    let within = match teacher_grant {
        Some(g) => teacher.path == g.scope_path,
        None => grants
            .iter()
            .any(|g| teacher.path.starts_with(g.scope_path)),
    };
    if within {
        Ok(Some(teacher.id))
    } else {
        Err(AppError::field("teacher_id", dm::TeacherOutsideAccount))
    }
}

/// The role and node of a grant, new or stored, for the teacher-link rule.
struct CheckedGrantRef<'a> {
    role: Role,
    scope_path: &'a str,
}

impl CheckedGrant {
    fn as_ref(&self) -> CheckedGrantRef<'_> {
        CheckedGrantRef {
            role: self.role,
            scope_path: &self.scope_path,
        }
    }
}

fn stored_refs(grants: &[account_role::Model]) -> Vec<CheckedGrantRef<'_>> {
    grants
        .iter()
        .map(|g| CheckedGrantRef {
            role: g.role,
            scope_path: &g.scope_path,
        })
        .collect()
}

fn check_username(username: &str) -> AppResult<String> {
    let u = normalise_username(username);
    let ok = (3..=64).contains(&u.len())
        && u.chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if ok {
        Ok(u)
    } else {
        Err(AppError::field("username", dm::UsernameInvalid))
    }
}

fn check_display_name(display_name: &str) -> AppResult<String> {
    super::validate::human_name(display_name).map_err(|m| AppError::field("display_name", m))
}

fn check_email(email: &Option<String>) -> AppResult<Option<String>> {
    match email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) => super::validate::email(e)
            .map(Some)
            .map_err(|m| AppError::field("email", m)),
    }
}

async fn insert_grants(
    db: &impl ConnectionTrait,
    account_id: i64,
    grants: Vec<CheckedGrant>,
) -> AppResult<()> {
    for g in grants {
        account_role::ActiveModel {
            account_id: Set(account_id),
            role: Set(g.role),
            scope_code: Set(g.scope_code),
            scope_kind: Set(g.scope_kind),
            scope_path: Set(g.scope_path),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

fn audit_event(
    action: &'static str,
    account: &account::Model,
    path: Option<String>,
    detail: serde_json::Value,
) -> AuditEvent<'static> {
    AuditEvent {
        action,
        target_type: "account",
        target_id: Some(account.id.to_string()),
        target_path: path,
        detail,
    }
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: NewAccount,
) -> AppResult<AccountView> {
    require_account_writer(principal)?;
    let username = check_username(&input.username)?;
    let display_name = check_display_name(&input.display_name)?;
    let email = check_email(&input.email)?;
    let grant = check_grant(
        state,
        principal,
        input.role,
        &input.scope_code,
        "scope_code",
    )
    .await?;
    let grants = vec![grant];
    check_separation(&[input.role], "role")?;
    // Only a teacher account signs in as a teacher record; any other role ignores the field.
    let teacher_id = if input.role == Role::Teacher {
        let refs: Vec<_> = grants.iter().map(CheckedGrant::as_ref).collect();
        resolve_teacher_link(&state.db, principal, &refs, input.teacher_id).await?
    } else {
        None
    };
    check_policy(
        &input.password,
        state.config.password_min_length,
        state.config.password_min_classes,
        "password",
    )?;
    check_not_username(&input.password, &username, "password")?;
    let hash = state.hasher.hash(&input.password).await?;
    let now = Utc::now();
    let path = grants[0].scope_path.clone();
    let txn = begin_write(&state.db).await?;
    let model = account::ActiveModel {
        username: Set(username),
        password_hash: Set(hash),
        display_name: Set(display_name),
        email: Set(email),
        teacher_id: Set(teacher_id),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        // Someone else chose this password: the owner replaces it at the first sign-in.
        must_change_password: Set(state.config.password_change_at_first_sign_in),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| map_unique(e, "username", dm::UsernameTaken))?;
    passwords::remember(&txn, model.id, &model.password_hash).await?;
    let detail = serde_json::json!({ "username": model.username, "role": input.role.to_value(), "scope_code": input.scope_code });
    insert_grants(&txn, model.id, grants).await?;
    audit::record(
        &txn,
        Some(principal),
        audit_event("account.create", &model, Some(path), detail),
    )
    .await?;
    txn.commit().await?;
    get(state, principal, model.id).await
}

async fn grants_of(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> AppResult<HashMap<i64, Vec<account_role::Model>>> {
    let rows = account_role::Entity::find()
        .filter(account_role::Column::AccountId.is_in(ids))
        .order_by_asc(account_role::Column::Id)
        .all(db)
        .await?;
    let mut map: HashMap<i64, Vec<account_role::Model>> = HashMap::new();
    for r in rows {
        map.entry(r.account_id).or_default().push(r);
    }
    Ok(map)
}

async fn views(
    state: &AppState,
    principal: &Principal,
    accounts: Vec<account::Model>,
) -> AppResult<Vec<AccountView>> {
    let mut grants = grants_of(&state.db, accounts.iter().map(|a| a.id).collect()).await?;
    let usernames: Vec<String> = accounts.iter().map(|a| a.username.clone()).collect();
    let now = Utc::now();
    let locks: HashMap<String, DateTime<Utc>> = login_attempt::Entity::find()
        .filter(login_attempt::Column::Username.is_in(usernames))
        .all(&state.db)
        .await?
        .into_iter()
        .filter_map(|l| l.locked_until.filter(|u| *u > now).map(|u| (l.username, u)))
        .collect();
    let names = super::service::node_names(
        state,
        grants
            .values()
            .flatten()
            .map(|g| g.scope_code.clone())
            .collect::<std::collections::HashSet<_>>(),
    )
    .await?;
    let mut out = Vec::with_capacity(accounts.len());
    for a in accounts {
        let mut roles = Vec::new();
        let account_grants = grants.remove(&a.id).unwrap_or_default();
        let manageable = require_manage(principal, a.id, &account_grants).is_ok();
        for g in account_grants {
            let role = g.role;
            roles.push(RoleGrantView {
                role,
                scope_name: names
                    .get(&g.scope_code)
                    .cloned()
                    .unwrap_or_else(|| g.scope_code.clone()),
                scope_code: g.scope_code,
            });
        }
        out.push(AccountView {
            id: a.id,
            locked_until: locks.get(&a.username).copied(),
            username: a.username,
            display_name: a.display_name,
            email: a.email,
            teacher_id: a.teacher_id,
            roles,
            active: a.active,
            manageable,
            created_at: a.created_at,
        });
    }
    Ok(out)
}

fn scoped_query(
    state: &AppState,
    principal: &Principal,
    filter: &AccountFilter,
) -> sea_orm::Select<account::Entity> {
    // The visible grants are an OR of subtree prefixes; every filter below must narrow them, never widen them.
    let mut roles_cond = sea_orm::Condition::all().add(visible_grants(principal));
    if let Some(role) = filter.role {
        roles_cond = roles_cond.add(account_role::Column::Role.eq(role));
    }
    if let Some(code) = &filter.region {
        let path = state.regions.filter_path(code);
        roles_cond = roles_cond.add(crate::access::under(
            account_role::Column::ScopePath.into_simple_expr(),
            &path,
        ));
    }
    let mut q = account::Entity::find().filter(
        account::Column::Id.in_subquery(
            Query::select()
                .column(account_role::Column::AccountId)
                .from(account_role::Entity)
                .cond_where(roles_cond)
                .to_owned(),
        ),
    );
    if let Some(active) = filter.active {
        q = q.filter(account::Column::Active.eq(active));
    }
    if let Some(kw) = filter
        .keyword
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        q = q.filter(
            sea_orm::Condition::any()
                .add(contains_text(account::Column::Username, kw))
                .add(contains_text(account::Column::DisplayName, kw)),
        );
    }
    q
}

#[derive(Debug, Clone, Copy, poem_openapi::Enum, Default)]
#[oai(rename_all = "snake_case")]
pub enum AccountSort {
    #[default]
    Username,
    DisplayName,
    CreatedAt,
}

pub async fn list(
    state: &AppState,
    principal: &Principal,
    filter: AccountFilter,
    sort: AccountSort,
    order: SortOrder,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<AccountView>> {
    let (page, size, offset) = window(page, page_size)?;
    let q = scoped_query(state, principal, &filter);
    let (rows, total) = fetch(
        &state.db,
        q.order_by(
            match sort {
                AccountSort::Username => account::Column::Username,
                AccountSort::DisplayName => account::Column::DisplayName,
                AccountSort::CreatedAt => account::Column::CreatedAt,
            },
            order.to_sea(),
        )
        .order_by_asc(account::Column::Id),
        offset,
        size,
    )
    .await?;
    Ok(Page {
        items: views(state, principal, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Role names as stored, for conditions on `account_roles.role`.
fn role_names(roles: impl IntoIterator<Item = Role>) -> Vec<Role> {
    roles.into_iter().collect()
}

/// Grants whose accounts the caller sees: business roles in its account.read scope (the three system
/// administrators' accounts are never a business administrator's to see), and administrators' roles under its
/// security.manage scope.
fn visible_grants(principal: &Principal) -> sea_orm::Condition {
    let path = || account_role::Column::ScopePath.into_simple_expr();
    let business = sea_orm::Condition::all()
        .add(
            principal
                .scope(Permission::AccountRead)
                .condition(path(), None),
        )
        .add(account_role::Column::Role.is_not_in(role_names(Role::SYSTEM_THREE)));
    let administrators = sea_orm::Condition::all()
        .add(
            principal
                .scope(Permission::SecurityManage)
                .condition(path(), None),
        )
        .add(account_role::Column::Role.is_in(role_names(
            Role::ALL.into_iter().filter(|r| r.is_administrator()),
        )));
    sea_orm::Condition::any().add(business).add(administrators)
}

/// [`visible_grants`] for one stored grant.
fn grant_visible(principal: &Principal, grant: &account_role::Model) -> bool {
    let role = grant.role;
    let business =
        !role.is_system_three() && principal.can(Permission::AccountRead, &grant.scope_path);
    let administrator =
        role.is_administrator() && principal.can(Permission::SecurityManage, &grant.scope_path);
    business || administrator
}

/// The account if any of its grants is visible to the caller (or it is the caller). An account is placed by its
/// grants (rows of another table, possibly several), not by a path of its own, so it is not a `Scoped` row.
async fn find_visible(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<(account::Model, Vec<account_role::Model>)> {
    let account = account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants = grants_of(db, vec![id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    if account.id == principal.account_id || grants.iter().any(|g| grant_visible(principal, g)) {
        Ok((account, grants))
    } else {
        Err(AppError::NotFound)
    }
}

/// Managing an account is never done on the caller's own account: peers cannot reset or deactivate each other, and
/// a stolen access token cannot set its owner's password (the owner's own change goes through `/api/auth/password`
/// with the current one). Otherwise it needs, over every one of the account's grants, either business write rights
/// at a rank strictly above the grant's (never over a system administrator's role), or — when every grant is an
/// administrator's role — the security administrator's rights.
fn require_manage(
    principal: &Principal,
    account_id: i64,
    grants: &[account_role::Model],
) -> AppResult<()> {
    let roles: Vec<Option<Role>> = grants.iter().map(|g| Some(g.role)).collect();
    let by_rank = grants.iter().zip(&roles).all(|(g, role)| {
        role.is_some_and(|r| !r.is_system_three())
            && principal
                .rank_over(Permission::AccountWrite, &g.scope_path)
                .is_some_and(|mine| role.is_some_and(|r| mine > r.rank()))
    });
    let by_security = grants.iter().zip(&roles).all(|(g, role)| {
        role.is_some_and(|r| r.is_administrator())
            && principal.can(Permission::SecurityManage, &g.scope_path)
    });
    if (by_rank || by_security) && !grants.is_empty() && account_id != principal.account_id {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller's own account is never changed through account management: its password only through
/// `/api/auth/password` with the current password, so a stolen access token cannot become a permanent takeover.
fn refuse_own(principal: &Principal, id: i64) -> AppResult<()> {
    if id == principal.account_id {
        Err(AppError::field("id", dm::OwnAccountHere))
    } else {
        Ok(())
    }
}

pub async fn get(state: &AppState, principal: &Principal, id: i64) -> AppResult<AccountView> {
    let (account, _) = find_visible(&state.db, principal, id).await?;
    views(state, principal, vec![account])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: i64,
    input: AccountUpdate,
) -> AppResult<AccountView> {
    let (account, grants) = find_visible(&state.db, principal, id).await?;
    require_account_writer(principal)?;
    refuse_own(principal, id)?;
    require_manage(principal, id, &grants)?;
    let display_name = check_display_name(&input.display_name)?;
    let email = check_email(&input.email)?;
    let mut new_grants = Vec::new();
    if let Some(roles) = &input.roles {
        principal.require_step_up(&state.config)?;
        if roles.is_empty() {
            return Err(AppError::field("roles", dm::RoleRequired));
        }
        for (i, r) in roles.iter().enumerate() {
            new_grants.push(
                check_grant(
                    state,
                    principal,
                    r.role,
                    &r.scope_code,
                    &format!("roles[{i}].scope_code"),
                )
                .await?,
            );
        }
        let roles: Vec<Role> = new_grants.iter().map(|g| g.role).collect();
        check_separation(&roles, "roles")?;
    }
    // Any link that is written or kept under new roles is resolved again, so no foreign teacher is ever stored.
    let teacher_id = if input.teacher_id.is_some() || input.roles.is_some() {
        let refs: Vec<CheckedGrantRef<'_>> = if input.roles.is_some() {
            new_grants.iter().map(CheckedGrant::as_ref).collect()
        } else {
            stored_refs(&grants)
        };
        resolve_teacher_link(
            &state.db,
            principal,
            &refs,
            input.teacher_id.or(account.teacher_id),
        )
        .await?
    } else {
        account.teacher_id
    };
    let txn = begin_write(&state.db).await?;
    let mut active: account::ActiveModel = account.clone().into();
    active.display_name = Set(display_name);
    active.email = Set(email);
    active.teacher_id = Set(teacher_id);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    if input.roles.is_some() {
        account_role::Entity::delete_many()
            .filter(account_role::Column::AccountId.eq(id))
            .exec(&txn)
            .await?;
        insert_grants(&txn, id, new_grants).await?;
        revoke_all(&txn, id).await?;
    }
    let path = grants.first().map(|g| g.scope_path.clone());
    let detail = serde_json::json!({ "display_name": model.display_name, "roles_changed": input.roles.is_some() });
    audit::record(
        &txn,
        Some(principal),
        audit_event("account.update", &model, path, detail),
    )
    .await?;
    txn.commit().await?;
    get(state, principal, id).await
}

/// Deactivating ends every session of the account at once.
pub async fn set_active(
    state: &AppState,
    principal: &Principal,
    id: i64,
    flag: bool,
) -> AppResult<AccountView> {
    let (account, grants) = find_visible(&state.db, principal, id).await?;
    require_account_writer(principal)?;
    refuse_own(principal, id)?;
    require_manage(principal, id, &grants)?;
    let txn = begin_write(&state.db).await?;
    let mut active: account::ActiveModel = account.into();
    active.active = Set(flag);
    active.updated_at = Set(Utc::now());
    let model = active.update(&txn).await?;
    if !flag {
        revoke_all(&txn, id).await?;
    } else {
        throttle::forget(&txn, &model.username).await?;
    }
    let path = grants.first().map(|g| g.scope_path.clone());
    let action = if flag {
        "account.activate"
    } else {
        "account.deactivate"
    };
    audit::record(
        &txn,
        Some(principal),
        audit_event(
            action,
            &model,
            path,
            serde_json::json!({ "username": model.username }),
        ),
    )
    .await?;
    txn.commit().await?;
    get(state, principal, id).await
}

/// An admin sets a new password for an account they manage; its sessions end and any lockout is lifted.
pub async fn set_password(
    state: &AppState,
    principal: &Principal,
    id: i64,
    new_password: &str,
) -> AppResult<()> {
    let (account, grants) = find_visible(&state.db, principal, id).await?;
    require_account_writer(principal)?;
    refuse_own(principal, id)?;
    require_manage(principal, id, &grants)?;
    check_policy(
        new_password,
        state.config.password_min_length,
        state.config.password_min_classes,
        "new_password",
    )?;
    passwords::check_for_account(state, &account, new_password, "new_password").await?;
    let hash = state.hasher.hash(new_password).await?;
    let txn = begin_write(&state.db).await?;
    passwords::remember(&txn, id, &hash).await?;
    let mut active: account::ActiveModel = account.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    // A password someone else set is known to them: like a new account's, its owner replaces it at the next sign-in.
    active.must_change_password = Set(state.config.password_change_at_first_sign_in);
    active.update(&txn).await?;
    revoke_all(&txn, id).await?;
    throttle::forget(&txn, &account.username).await?;
    end_password_resets(&txn, id).await?;
    let path = grants.first().map(|g| g.scope_path.clone());
    audit::record(
        &txn,
        Some(principal),
        audit_event(
            "account.set_password",
            &account,
            path,
            serde_json::json!({ "username": account.username }),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
