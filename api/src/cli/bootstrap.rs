//! Accounts made outside the API: the first province admin and `yanxiu admin create`.
use chrono::Utc;
use entity::{account, account_role};
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use crate::{
    AppState,
    access::Role,
    auth::{passwords::check_policy, service::normalise_username},
    directory::service::resolve_node,
    platform::db::begin_write,
};

/// Creates the province admin `admin` on first start. Its password comes from `YANXIU_ADMIN_PASSWORD`, or is
/// generated and printed once.
pub async fn ensure_first_admin(state: &AppState) -> anyhow::Result<()> {
    let exists = account::Entity::find()
        .filter(account::Column::Username.eq("admin"))
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
    let (password, generated) = match &state.config.admin_password {
        Some(p) => (p.clone(), false),
        None => (generate_password(), true),
    };
    create_account(
        state,
        "admin",
        &password,
        Role::ProvinceAdmin,
        &province,
        Some("省级管理员".into()),
        None,
        None,
    )
    .await?;
    if generated {
        println!("==============================================================");
        println!(" First province administrator created.");
        println!("   username: admin");
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
    let (kind, level, path) = resolve_node(state, scope)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no region or school with code {scope}"))?;
    let fits = role.fits_node(&kind, &level);
    anyhow::ensure!(fits, "role {} cannot be bound to a {level}", role.as_str());
    check_policy(
        password,
        state.config.password_min_length,
        state.config.password_min_classes,
        "password",
    )
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
    account_role::ActiveModel {
        account_id: Set(model.id),
        role: Set(role.as_str().into()),
        scope_code: Set(scope.to_string()),
        scope_kind: Set(kind),
        scope_path: Set(path),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(model.id)
}
