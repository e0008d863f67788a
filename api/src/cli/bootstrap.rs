//! Accounts made outside the API: the first province administrator `admin`, the first security administrator
//! `security`, and `yanxiu admin create`.
use crate::access::RoleRules as _;
use chrono::Utc;
use entity::{account, account_role};
use rand::Rng;
use sea_orm::ActiveEnum as _;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    AppState,
    access::Role,
    auth::{
        passwords::{self, check_not_username, check_policy},
        service::normalise_username,
    },
    directory::service::resolve_node,
    platform::db::begin_write,
};

/// An account the first start creates when it is missing.
struct FirstAccount<'a> {
    username: &'static str,
    role: Role,
    display_name: &'static str,
    /// From the configuration; generated and printed once when unset.
    password: &'a Option<String>,
    title: &'static str,
}

/// Creates, when missing, the province business administrator `admin` (password from `YANXIU_ADMIN_PASSWORD`)
/// and the security administrator `security` (from `YANXIU_SECURITY_ADMIN_PASSWORD`), each generated and printed
/// once when unset. The security administrator then creates the system and audit administrators (三员分立).
pub async fn ensure_first_admin(state: &AppState) -> anyhow::Result<()> {
    // The display names are stored data of the account (its holder edits them), not text rendered per request.
    let firsts = [
        FirstAccount {
            username: "admin",
            role: Role::ProvinceAdmin,
            display_name: "省级管理员",
            password: &state.config.admin_password,
            title: "province administrator",
        },
        FirstAccount {
            username: "security",
            role: Role::SecurityAdmin,
            display_name: "安全管理员",
            password: &state.config.security_admin_password,
            title: "security administrator",
        },
    ];
    for first in firsts {
        ensure_account(state, first).await?;
    }
    Ok(())
}

async fn ensure_account(state: &AppState, first: FirstAccount<'_>) -> anyhow::Result<()> {
    let exists = account::Entity::find()
        .filter(account::Column::Username.eq(first.username))
        .count(&state.db)
        .await?
        > 0;
    if exists {
        return Ok(());
    }
    let province = state
        .regions
        .all()
        .next()
        .map(|r| r.code.clone())
        .ok_or_else(|| anyhow::anyhow!("no regions loaded"))?;
    let (password, generated) = match first.password {
        Some(p) => (p.clone(), false),
        None => (generate_password(), true),
    };
    create_account(
        state,
        first.username,
        &password,
        first.role,
        &province,
        Some(first.display_name.into()),
        None,
        None,
    )
    .await?;
    if generated {
        println!("==============================================================");
        println!(" First {} created.", first.title);
        println!("   username: {}", first.username);
        println!("   password: {password}");
        println!(" This password is shown once. Change it after signing in.");
        println!("==============================================================");
    }
    Ok(())
}

fn generate_password() -> String {
    const CHARS: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let body: String = (0..14)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())] as char)
        .collect();
    format!("{body}#7a")
}

#[allow(clippy::too_many_arguments)]
pub async fn create_account(
    state: &AppState,
    username: &str,
    password: &str,
    role: Role,
    scope: &str,
    display_name: Option<String>,
    email: Option<String>,
    teacher_id: Option<i64>,
) -> anyhow::Result<i64> {
    let node = resolve_node(state, scope)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no region or school with code {scope}"))?;
    let (level, path) = (node.level, node.path.clone());
    let fits = role.fits_node(level);
    anyhow::ensure!(
        fits,
        "role {} cannot be bound to a {level}",
        role.to_value()
    );
    check_policy(
        password,
        state.config.password_min_length,
        state.config.password_min_classes,
        "password",
    )
    .and_then(|()| check_not_username(password, username, "password"))
    .map_err(|e| anyhow::anyhow!("{:?}", e.problem().errors))?;
    let hash = state.hasher.hash(password).await?;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let model = account::ActiveModel {
        username: Set(normalise_username(username)),
        password_hash: Set(hash),
        display_name: Set(display_name.unwrap_or_else(|| username.to_string())),
        email: Set(email),
        teacher_id: Set(teacher_id),
        active: Set(true),
        token_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        // Accounts made on the server (the first admin, `admin create`, demo data) are not forced to change it.
        must_change_password: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    passwords::remember(&txn, model.id, &model.password_hash).await?;
    account_role::ActiveModel {
        account_id: Set(model.id),
        role: Set(role),
        scope_code: Set(scope.to_string()),
        scope_kind: Set(node.scope_kind()),
        scope_path: Set(path),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model.id)
}
