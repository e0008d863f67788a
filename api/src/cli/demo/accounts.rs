//! The demo accounts: one per role, bound to the demo part of the tree, and the table that tells a visitor how
//! to sign in as each and what to look at.
use entity::account;
use sea_orm::ActiveEnum as _;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::directory::{Directory, SCHOOL_KINDS, school_code};
use crate::{AppState, access::Role, auth::Principal, cli::bootstrap, directory::import};

/// The demo school of 锦江区 (510104) whose staff and teachers have accounts.
pub fn jinjiang_school() -> String {
    school_code(SCHOOL_KINDS[0].1, JINJIANG, 0)
}

pub const PROVINCE: &str = "510000";
pub const CHENGDU: &str = "510100";
pub const MIANYANG: &str = "510700";
pub const JINJIANG: &str = "510104";

/// Usernames the year's work is done as.
pub const PROVINCE_ADMIN: &str = "province_demo";
pub const CITY_ADMIN: &str = "chengdu_admin";
pub const MIANYANG_ADMIN: &str = "mianyang_admin";
pub const COUNTY_ADMIN: &str = "jinjiang_admin";
pub const SCHOOL_ADMIN: &str = "school_admin_demo";
pub const TEACHER: &str = "teacher_demo";
pub const REVIEWER: &str = "reviewer_demo";
/// The second reviewer of the 锦江区 pool (every lesson is scored by two).
pub const REVIEWER_2: &str = "reviewer_demo2";
pub const TUTOR: &str = "tutor_demo";
/// The demo school's own reviewer, who grades its teachers' 能力点 evidence.
pub const SCHOOL_REVIEWER: &str = "school_reviewer_demo";
/// The other teachers of the demo school with accounts (a class needs more than one).
pub const CLASSMATES: [&str; 3] = ["teacher_demo2", "teacher_demo3", "teacher_demo4"];

/// What a demo account is, and what to look at when signed in as it.
struct DemoAccount {
    username: &'static str,
    role: Role,
    scope: String,
    display: String,
    /// The demo school's `n`-th teacher, for teacher accounts.
    teacher: Option<usize>,
    hint: &'static str,
}

fn planned() -> Vec<DemoAccount> {
    let school = jinjiang_school();
    let account = |username, role, scope: &str, display: &str, hint| DemoAccount {
        username,
        role,
        scope: scope.to_string(),
        display: display.to_string(),
        teacher: None,
        hint,
    };
    let mut list = vec![
        account(
            PROVINCE_ADMIN,
            Role::ProvinceAdmin,
            PROVINCE,
            "省级管理员（演示）",
            "programs and quota cascade, completion report, 一师一优课 activity, province round",
        ),
        account(
            CITY_ADMIN,
            Role::CityAdmin,
            CHENGDU,
            "成都市管理员",
            "the city's free-choice program, quotas to counties, city report",
        ),
        account(
            MIANYANG_ADMIN,
            Role::CityAdmin,
            MIANYANG,
            "绵阳市管理员",
            "another city: its schools and teachers, its seats of the province program",
        ),
        account(
            COUNTY_ADMIN,
            Role::CountyAdmin,
            JINJIANG,
            "锦江区管理员",
            "enrolments awaiting the county, pending 补录, the county 一师一优课 round",
        ),
        account(
            SCHOOL_ADMIN,
            Role::SchoolAdmin,
            &school,
            "学校管理员",
            "enrolments awaiting the school, 补录 to approve, the school's teachers and hours",
        ),
    ];
    for (n, username) in std::iter::once(TEACHER).chain(CLASSMATES).enumerate() {
        list.push(DemoAccount {
            teacher: Some(n),
            ..account(
                username,
                Role::Teacher,
                &school,
                "",
                if n == 0 {
                    "my programs, hours and 补录, coursework, the closed quiz, certificate, 能力点, my lesson"
                } else {
                    "a classmate: coursework, 补录, 能力点, a lesson (teacher_demo2: the running quiz attempt)"
                },
            )
        });
    }
    list.extend([
        account(
            REVIEWER,
            Role::Reviewer,
            JINJIANG,
            "评审专家",
            "lessons assigned in the county round: score, save a draft, submit",
        ),
        account(
            REVIEWER_2,
            Role::Reviewer,
            JINJIANG,
            "评审专家（二）",
            "the other half of every lesson's scores; last year's published round",
        ),
        account(
            SCHOOL_REVIEWER,
            Role::Reviewer,
            &school,
            "校级能力点评审",
            "能力点 evidence of the school: waiting, graded, resubmitted",
        ),
        account(
            TUTOR,
            Role::Tutor,
            JINJIANG,
            "辅导教师",
            "the class: submissions to grade, quiz attempts",
        ),
        account(
            INSTITUTION,
            Role::InstitutionAdmin,
            CHENGDU,
            "培训机构管理员",
            "classes of the programs it serves, results sheets",
        ),
        account(
            SYSTEM_ADMIN,
            Role::SystemAdmin,
            PROVINCE,
            "系统管理员（演示）",
            "jobs and system settings (三员: system)",
        ),
        account(
            AUDIT_ADMIN,
            Role::AuditAdmin,
            PROVINCE,
            "审计管理员（演示）",
            "the audit log of everything demo-data did (三员: audit)",
        ),
    ]);
    list
}

const INSTITUTION: &str = "institution_demo";
const SYSTEM_ADMIN: &str = "system_demo";
const AUDIT_ADMIN: &str = "audit_demo";

/// The password of the demo accounts.
pub fn password() -> String {
    std::env::var("YANXIU_DEMO_PASSWORD").unwrap_or_else(|_| "Yanxiu#2026".into())
}

/// One printed row of the account table.
pub struct Row {
    username: String,
    role: String,
    scope: String,
    scope_name: String,
    password: String,
    status: &'static str,
    hint: &'static str,
}

async fn exists(state: &AppState, username: &str) -> anyhow::Result<bool> {
    Ok(account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .count(&state.db)
        .await?
        > 0)
}

async fn scope_name(state: &AppState, scope: &str) -> String {
    crate::directory::service::node_name(state, scope)
        .await
        .unwrap_or_else(|_| scope.to_string())
}

/// Creates the demo accounts that do not exist yet (existing ones are left alone) and returns the table rows,
/// the bootstrap administrators first.
pub async fn ensure(state: &AppState, directory: &Directory) -> anyhow::Result<Vec<Row>> {
    let password = password();
    let first_teacher = directory.first_teacher_of(&jinjiang_school());
    let mut rows = vec![
        Row {
            username: "admin".into(),
            role: Role::ProvinceAdmin.to_value(),
            scope: PROVINCE.into(),
            scope_name: scope_name(state, PROVINCE).await,
            password: "YANXIU_ADMIN_PASSWORD".into(),
            status: "exists",
            hint: "the first administrator: everything the province sees",
        },
        Row {
            username: "security".into(),
            role: Role::SecurityAdmin.to_value(),
            scope: PROVINCE.into(),
            scope_name: scope_name(state, PROVINCE).await,
            password: "YANXIU_SECURITY_ADMIN_PASSWORD".into(),
            status: "exists",
            hint: "accounts of administrators, lockouts, second factors (三员: security)",
        },
    ];
    for planned in planned() {
        let status = if exists(state, planned.username).await? {
            "exists"
        } else {
            let (display, teacher_id) = match planned.teacher {
                Some(n) => {
                    let t = directory.teacher(state, first_teacher + n).await?;
                    (t.name, Some(t.id))
                }
                None => (planned.display.clone(), None),
            };
            bootstrap::create_account(
                state,
                planned.username,
                &password,
                planned.role,
                &planned.scope,
                Some(display),
                None,
                teacher_id,
            )
            .await?;
            "created"
        };
        rows.push(Row {
            username: planned.username.to_string(),
            role: planned.role.to_value(),
            scope_name: scope_name(state, &planned.scope).await,
            scope: planned.scope,
            password: password.clone(),
            status,
            hint: planned.hint,
        });
    }
    Ok(rows)
}

/// The account to act as.
pub async fn principal(state: &AppState, username: &str) -> anyhow::Result<Principal> {
    import::principal_by_username(&state.db, username).await
}

/// Prints the accounts, how to sign in and what each role shows.
pub fn print(rows: &[Row], mfa_roles: &[String]) {
    println!();
    println!(
        "{:<18} {:<17} {:<11} {:<18} {:<30} {:<8} look at",
        "username", "role", "scope", "scope name", "password", "status"
    );
    for r in rows {
        println!(
            "{:<18} {:<17} {:<11} {:<18} {:<30} {:<8} {}",
            r.username, r.role, r.scope, r.scope_name, r.password, r.status, r.hint
        );
    }
    println!();
    println!(
        "Passwords: the demo accounts use YANXIU_DEMO_PASSWORD (default Yanxiu#2026); admin and security use \
         the passwords set or printed at first start."
    );
    if mfa_roles.is_empty() {
        println!("Second factor: required of nobody (YANXIU_MFA_REQUIRED_ROLES is empty).");
    } else {
        println!(
            "Second factor: {} must enrol a TOTP authenticator at first sign-in (YANXIU_MFA_REQUIRED_ROLES); \
             to try the demo with passwords alone, run the server with YANXIU_MFA_REQUIRED_ROLES= (empty), as \
             the browser tests do.",
            mfa_roles.join(", ")
        );
    }
}
