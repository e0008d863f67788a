//! The signed-in person's own data (个人信息, PIPL right of access): everything Yanxiu holds about them and who
//! accessed their identity data. A teacher's ID number and phone are masked unless they ask for the full values.
use crate::platform::i18n::{catalogue::directory as dm, t};
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    account, account_role, audit_log, certificate, competency_submission, enrollment, file,
    hour_entry, lesson, program, school, teacher,
};
use poem_openapi::{Enum, Object};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::{
    AppState,
    access::Role,
    auth::Principal,
    directory::service::node_name,
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
    },
};

/// The audit action of revealing a teacher's ID number and phone.
const REVEAL: &str = "teacher.reveal";
/// Exports of the teacher directory, recorded with the exporter's area as their path.
const DIRECTORY_EXPORT: &str = "export.teachers";
/// Exports of a program's enrolled teachers, recorded with the program as their target.
const PROGRAM_EXPORT: &str = "export.program_teachers";

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalData {
    pub generated_at: DateTime<Utc>,
    /// Whether `teacher.id_card` and `teacher.phone` are the full values (asked for with `full=true`).
    pub full: bool,
    pub account: PersonalAccount,
    /// The teacher record (教师信息) when the account belongs to a teacher.
    pub teacher: Option<PersonalTeacher>,
    pub counts: PersonalCounts,
    pub enrolments: Vec<PersonalEnrolment>,
    pub hours: Vec<PersonalHourEntry>,
    pub certificates: Vec<PersonalCertificate>,
    pub lessons: Vec<PersonalLesson>,
    pub competency_evidence: Vec<PersonalEvidence>,
    /// Files uploaded by this account or held about this teacher (evidence, coursework, lesson files): names only.
    pub files: Vec<PersonalFile>,
    /// Who revealed this teacher's ID number or exported data containing them, newest first.
    pub access_history: Vec<AccessEntry>,
    /// What the access history contains and what it does not.
    pub access_history_note: String,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalAccount {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub roles: Vec<RoleAt>,
}

/// A role and the node it is bound to (a region or a school), never a person.
#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct RoleAt {
    pub role: Role,
    pub scope_code: String,
    pub scope_name: String,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalTeacher {
    pub id: i64,
    pub name: String,
    pub gender: super::labels::Gender,
    /// 身份证号: masked (`510104********1234`) unless `full`.
    pub id_card: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birth_date: NaiveDate,
    pub teacher_number: Option<String>,
    pub school_code: String,
    pub school_name: String,
    pub stage: super::labels::Stage,
    pub subject: String,
    pub title: Option<String>,
    pub education: Option<String>,
    pub teaching_years: Option<i32>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Object, Clone, Default)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalCounts {
    pub enrolments: u64,
    pub hour_entries: u64,
    pub certificates: u64,
    pub lessons: u64,
    pub competency_evidence: u64,
    pub files: u64,
    pub access_entries: u64,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalEnrolment {
    pub program_id: i64,
    pub program_name: String,
    pub year: Option<i32>,
    pub review_status: entity::enrollment::ReviewStatus,
    pub training_status: entity::enrollment::TrainingStatus,
    pub counted_hours: i32,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalHourEntry {
    pub id: i64,
    pub category: entity::states::HourCategory,
    pub hours: f64,
    pub occurred_on: NaiveDate,
    pub source: entity::hour_entry::HourSource,
    pub status: entity::hour_entry::HourStatus,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalCertificate {
    pub number: String,
    pub program_name: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalLesson {
    pub id: i64,
    pub title: String,
    pub status: crate::lessons::LessonStatus,
    pub submitted_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalEvidence {
    pub year: i32,
    pub code: String,
    pub submitted_at: DateTime<Utc>,
    pub final_grade: Option<entity::competency_submission::Grade>,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct PersonalFile {
    pub name: String,
    pub purpose: crate::files::FilePurpose,
    pub size: i64,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Enum, Clone, Copy, PartialEq, Eq)]
#[oai(rename_all = "snake_case")]
pub enum AccessKind {
    /// Someone displayed the full ID number and phone.
    Reveal,
    /// Someone exported a file that covers this teacher.
    Export,
}

#[derive(Debug, Object, Clone)]
#[oai(skip_serializing_if_is_none)]
pub struct AccessEntry {
    pub at: DateTime<Utc>,
    pub kind: AccessKind,
    /// The audit action (`teacher.reveal`, `export.teachers`, `export.program_teachers`).
    pub action: String,
    /// What the entry means, in the request's language.
    pub meaning: String,
    /// The actor's roles and where they hold them (no name: the actor's own personal data is not shown).
    pub actor_roles: Vec<RoleAt>,
    /// For an export: how many rows the file had.
    pub rows: Option<i64>,
}

const ACCESS_NOTE: dm::AccessHistoryNote = dm::AccessHistoryNote;

/// Everything held about the signed-in account (and its teacher); `full` unmasks the ID number and phone and
/// is audited.
pub async fn collect(
    state: &AppState,
    principal: &Principal,
    full: bool,
) -> AppResult<PersonalData> {
    let account = account::Entity::find_by_id(principal.account_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let roles = roles_of(state, &[account.id])
        .await?
        .remove(&account.id)
        .unwrap_or_default();
    let teacher = match account.teacher_id {
        Some(id) => teacher::Entity::find_by_id(id).one(&state.db).await?,
        None => None,
    };
    let mut data = PersonalData {
        generated_at: Utc::now(),
        full: full && teacher.is_some(),
        account: PersonalAccount {
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            email: account.email.clone(),
            active: account.active,
            created_at: account.created_at,
            roles,
        },
        teacher: None,
        counts: PersonalCounts::default(),
        enrolments: Vec::new(),
        hours: Vec::new(),
        certificates: Vec::new(),
        lessons: Vec::new(),
        competency_evidence: Vec::new(),
        files: files_of(&state.db, account.id, account.teacher_id).await?,
        access_history: Vec::new(),
        access_history_note: t(ACCESS_NOTE),
    };
    if let Some(t) = teacher {
        fill_teacher(state, principal, &mut data, t, full).await?;
    }
    data.counts.files = data.files.len() as u64;
    data.counts.access_entries = data.access_history.len() as u64;
    Ok(data)
}

/// The teacher's record, training, lessons and access history; the full values leave an audit entry.
async fn fill_teacher(
    state: &AppState,
    principal: &Principal,
    data: &mut PersonalData,
    t: teacher::Model,
    full: bool,
) -> AppResult<()> {
    let school = school::Entity::find_by_id(t.school_id)
        .one(&state.db)
        .await?;
    let (id_card, phone) = if full {
        let txn = begin_write(&state.db).await?;
        audit::record(
            &txn,
            Some(principal),
            own_data_event("personal_data.view_full", &t),
        )
        .await?;
        txn.commit().await?;
        (
            state.keys.decrypt(&t.id_card_enc)?,
            t.phone_enc
                .as_deref()
                .map(|p| state.keys.decrypt(p))
                .transpose()?,
        )
    } else {
        (t.id_card_masked.clone(), t.phone_masked.clone())
    };
    let enrolments = enrollment::Entity::find()
        .filter(enrollment::Column::TeacherId.eq(t.id))
        .order_by_asc(enrollment::Column::Id)
        .all(&state.db)
        .await?;
    let program_ids: Vec<i64> = enrolments.iter().map(|e| e.program_id).collect();
    let certificates = certificate::Entity::find()
        .filter(certificate::Column::TeacherId.eq(t.id))
        .order_by_asc(certificate::Column::Id)
        .all(&state.db)
        .await?;
    let programs = programs_by_id(
        &state.db,
        program_ids
            .iter()
            .copied()
            .chain(certificates.iter().map(|c| c.program_id))
            .collect(),
    )
    .await?;
    let program_name = |id: i64| {
        programs
            .get(&id)
            .map(|p| p.name.clone())
            .unwrap_or_default()
    };
    data.enrolments = enrolments
        .iter()
        .map(|e| PersonalEnrolment {
            program_id: e.program_id,
            program_name: program_name(e.program_id),
            year: programs.get(&e.program_id).map(|p| p.year),
            review_status: e.review_status,
            training_status: e.training_status,
            counted_hours: e.counted_hours,
            completed_at: e.completed_at,
        })
        .collect();
    data.certificates = certificates
        .into_iter()
        .map(|c| PersonalCertificate {
            program_name: program_name(c.program_id),
            number: c.number,
            issued_at: c.issued_at,
            revoked_at: c.revoked_at,
        })
        .collect();
    data.hours = hour_entry::Entity::find()
        .filter(hour_entry::Column::TeacherId.eq(t.id))
        .order_by_asc(hour_entry::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|h| PersonalHourEntry {
            id: h.id,
            category: h.category,
            hours: f64::from(h.half_hours) / 2.0,
            occurred_on: h.occurred_on,
            source: h.source,
            status: h.status,
        })
        .collect();
    data.lessons = lesson::Entity::find()
        .filter(lesson::Column::TeacherId.eq(t.id))
        .order_by_asc(lesson::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|l| PersonalLesson {
            id: l.id,
            title: l.title,
            status: l.status,
            submitted_at: l.submitted_at,
        })
        .collect();
    data.competency_evidence = competency_submission::Entity::find()
        .filter(competency_submission::Column::TeacherId.eq(t.id))
        .filter(competency_submission::Column::Latest.eq(true))
        .order_by_asc(competency_submission::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|s| PersonalEvidence {
            year: s.year,
            code: s.code,
            submitted_at: s.submitted_at,
            final_grade: s.final_grade,
        })
        .collect();
    data.access_history = access_history(state, principal, &t, &program_ids).await?;
    data.counts.enrolments = data.enrolments.len() as u64;
    data.counts.hour_entries = data.hours.len() as u64;
    data.counts.certificates = data.certificates.len() as u64;
    data.counts.lessons = data.lessons.len() as u64;
    data.counts.competency_evidence = data.competency_evidence.len() as u64;
    data.teacher = Some(PersonalTeacher {
        id: t.id,
        name: t.name,
        gender: t.gender,
        id_card,
        phone,
        email: t.email,
        birth_date: t.birth_date,
        teacher_number: t.teacher_number,
        school_code: school.as_ref().map(|s| s.code.clone()).unwrap_or_default(),
        school_name: school.map(|s| s.name).unwrap_or_default(),
        stage: t.stage,
        subject: t.subject,
        title: t.title,
        education: t.education,
        teaching_years: t.teaching_years,
        active: t.active,
        created_at: t.created_at,
        updated_at: t.updated_at,
    });
    Ok(())
}

/// Reveals of this teacher, directory exports whose area covers their school, and exports of the enrolled teachers
/// of their programs, by anyone but themself.
async fn access_history(
    state: &AppState,
    principal: &Principal,
    t: &teacher::Model,
    program_ids: &[i64],
) -> AppResult<Vec<AccessEntry>> {
    let reveals = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(REVEAL))
        .filter(audit_log::Column::TargetType.eq("teacher"))
        .filter(audit_log::Column::TargetId.eq(t.id.to_string()))
        .all(&state.db)
        .await?;
    let directory_exports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(DIRECTORY_EXPORT))
        .filter(audit_log::Column::TargetPath.is_not_null())
        .all(&state.db)
        .await?
        .into_iter()
        .filter(|e| {
            e.target_path
                .as_deref()
                .is_some_and(|area| t.path.starts_with(area))
        });
    let program_exports = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(PROGRAM_EXPORT))
        .filter(audit_log::Column::TargetId.is_in(program_ids.iter().map(|id| id.to_string())))
        .all(&state.db)
        .await?;
    let mut entries: Vec<audit_log::Model> = reveals
        .into_iter()
        .chain(directory_exports)
        .chain(program_exports)
        .filter(|e| e.actor_id != Some(principal.account_id))
        .collect();
    entries.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
    let actors: Vec<i64> = entries
        .iter()
        .filter_map(|e| e.actor_id)
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let roles = roles_of(state, &actors).await?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
            let (kind, meaning) = meaning_of(&e.action);
            AccessEntry {
                at: e.at,
                kind,
                meaning,
                actor_roles: e
                    .actor_id
                    .and_then(|id| roles.get(&id).cloned())
                    .unwrap_or_default(),
                rows: (kind == AccessKind::Export)
                    .then(|| detail["rows"].as_i64())
                    .flatten(),
                action: e.action,
            }
        })
        .collect())
}

fn meaning_of(action: &str) -> (AccessKind, String) {
    match action {
        REVEAL => (AccessKind::Reveal, t(dm::AccessRevealed)),
        DIRECTORY_EXPORT => (AccessKind::Export, t(dm::AccessDirectoryExport)),
        _ => (AccessKind::Export, t(dm::AccessProgramExport)),
    }
}

/// Each account's roles with the name of the node they are bound to.
async fn roles_of(state: &AppState, accounts: &[i64]) -> AppResult<HashMap<i64, Vec<RoleAt>>> {
    let rows = account_role::Entity::find()
        .filter(account_role::Column::AccountId.is_in(accounts.iter().copied()))
        .order_by_asc(account_role::Column::Id)
        .all(&state.db)
        .await?;
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out: HashMap<i64, Vec<RoleAt>> = HashMap::new();
    for r in rows {
        let role = r.role;
        if !names.contains_key(&r.scope_code) {
            names.insert(r.scope_code.clone(), node_name(state, &r.scope_code).await?);
        }
        out.entry(r.account_id).or_default().push(RoleAt {
            role,
            scope_name: names[&r.scope_code].clone(),
            scope_code: r.scope_code,
        });
    }
    Ok(out)
}

async fn programs_by_id(
    db: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> AppResult<HashMap<i64, program::Model>> {
    let rows = program::Entity::find()
        .filter(program::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|p| (p.id, p)).collect())
}

async fn files_of(
    db: &impl ConnectionTrait,
    account_id: i64,
    teacher_id: Option<i64>,
) -> AppResult<Vec<PersonalFile>> {
    let mut mine = sea_orm::Condition::any().add(file::Column::UploadedBy.eq(account_id));
    if let Some(id) = teacher_id {
        mine = mine.add(file::Column::TeacherId.eq(id));
    }
    Ok(file::Entity::find()
        .filter(mine)
        .order_by_asc(file::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| PersonalFile {
            name: f.name,
            purpose: f.purpose,
            size: f.size,
            created_at: f.created_at,
        })
        .collect())
}

fn own_data_event(action: &'static str, t: &teacher::Model) -> AuditEvent<'static> {
    AuditEvent {
        action,
        target_type: "teacher",
        target_id: Some(t.id.to_string()),
        target_path: Some(t.path.clone()),
        detail: serde_json::json!({ "id_card": t.id_card_masked }),
    }
}

/// The same data as a JSON file; the download leaves an audit entry.
pub async fn download(
    state: &AppState,
    principal: &Principal,
    full: bool,
) -> AppResult<(Vec<u8>, String)> {
    let data = collect(state, principal, full).await?;
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "personal_data.download",
            target_type: if data.teacher.is_some() {
                "teacher"
            } else {
                "account"
            },
            target_id: Some(
                data.teacher
                    .as_ref()
                    .map(|t| t.id)
                    .unwrap_or(principal.account_id)
                    .to_string(),
            ),
            target_path: principal.first_node().map(|g| g.scope_path.clone()),
            detail: serde_json::json!({ "full": data.full }),
        },
    )
    .await?;
    txn.commit().await?;
    let value = poem_openapi::types::ToJSON::to_json(&data).unwrap_or_default();
    let json = serde_json::to_vec_pretty(&value).map_err(AppError::internal)?;
    let filename = format!(
        "personal-data-{}-{}.json",
        data.account.username,
        data.generated_at.format("%Y%m%d")
    );
    Ok((json, filename))
}
