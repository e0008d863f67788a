//! 公示 and 公布: the proposed recommendations are public to every signed-in user for `publicity_days`; anyone may
//! object to a lesson; the round's administrator resolves each objection (upheld: the lesson is excluded). Publishing
//! — refused while an objection is open — records the awards of the round's level (a province round's lessons are
//! also recommended to the ministry, 部级) and puts the recommended lessons into the next level's round when it
//! exists and is still a draft. The province exports the ministry list as XLSX with a file manifest.
use crate::platform::i18n::catalogue::lessons as m;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    file, lesson, lesson_award as award, lesson_catalogue_node as catalogue_node,
    lesson_item as item, lesson_objection as objection, lesson_round as round,
    lesson_round_entry as entry,
};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoSimpleExpr,
    QueryFilter, QueryOrder, Set,
};

pub use super::rounds::LessonAwardLevel;
use super::rounds::{self, LessonRoundLevel, LessonRoundStatus, LessonRoundView, RoundLevelRules};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::service::{school_names, teacher_names},
    platform::{
        audit::{self, AuditEvent},
        db::begin_write,
        error::{AppError, AppResult},
        paging::{Page, fetch, lookup_all, window},
        tabular::xlsx_error,
    },
};

// ───────────── the 公示 ─────────────

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonPublicityEntry {
    pub entry_id: i64,
    pub lesson_id: i64,
    pub title: String,
    pub teacher_name: String,
    pub school_name: String,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub node: String,
    pub score: Option<f64>,
    pub rank: Option<i32>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonPublicityRound {
    pub round_id: i64,
    pub round_name: String,
    pub level: LessonRoundLevel,
    pub region_code: String,
    pub region_name: String,
    pub publicity_ends_at: Option<DateTime<Utc>>,
    /// The proposed recommendations, by rank.
    pub lessons: Vec<LessonPublicityEntry>,
}

/// The recommended lessons of a page of rounds in 公示, by round: entries, lessons, nodes and names in one
/// statement each.
async fn publicity_lessons(
    db: &impl ConnectionTrait,
    round_ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, Vec<LessonPublicityEntry>>> {
    let entries = lookup_all(
        db,
        entry::Entity::find()
            .filter(entry::Column::Recommended.eq(true))
            .order_by_asc(entry::Column::Rank)
            .order_by_asc(entry::Column::Id),
        entry::Column::RoundId,
        round_ids,
        |e| e.round_id,
    )
    .await?;
    let all: Vec<&entry::Model> = entries.values().flatten().collect();
    let lessons =
        crate::lessons::lessons_by_id(db, all.iter().map(|e| e.lesson_id).collect::<Vec<_>>())
            .await?;
    let nodes =
        crate::lessons::catalogue_nodes_by_id(db, lessons.values().map(|l| l.catalogue_node_id))
            .await?;
    let teacher_ids: Vec<i64> = all.iter().map(|e| e.teacher_id).collect();
    let school_ids: Vec<i64> = all.iter().map(|e| e.school_id).collect();
    let teachers = teacher_names(db, teacher_ids).await?;
    let schools = school_names(db, school_ids).await?;
    let publicity_lesson = |e: &entry::Model| {
        let l = lessons.get(&e.lesson_id)?;
        let (stage, subject, edition, grade, node_text) = nodes
            .get(&l.catalogue_node_id)
            .map(|n| {
                let n = n.clone();
                (n.stage, n.subject, n.edition, n.grade, n.node)
            })
            .unwrap_or_default();
        Some(LessonPublicityEntry {
            entry_id: e.id,
            lesson_id: e.lesson_id,
            title: l.title.clone(),
            teacher_name: teachers.get(&e.teacher_id).cloned().unwrap_or_default(),
            school_name: schools.get(&e.school_id).cloned().unwrap_or_default(),
            stage,
            subject,
            edition,
            grade,
            node: node_text,
            score: e.override_score.or(e.score),
            rank: e.rank,
        })
    };
    Ok(entries
        .iter()
        .map(|(round_id, es)| (*round_id, es.iter().filter_map(publicity_lesson).collect()))
        .collect())
}

/// Rounds in 公示 with their recommended lessons (every signed-in user).
pub async fn list_publicity(
    state: &AppState,
    activity_id: Option<i64>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonPublicityRound>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q =
        round::Entity::find().filter(round::Column::Status.eq(LessonRoundStatus::Publicity));
    if let Some(a) = activity_id {
        q = q.filter(round::Column::ActivityId.eq(a));
    }
    let (rows, total) = fetch(&state.db, q.order_by_desc(round::Column::Id), offset, size).await?;
    let mut lessons = publicity_lessons(&state.db, rows.iter().map(|r| r.id)).await?;
    let mut items = Vec::with_capacity(rows.len());
    for r in rows {
        let lessons = lessons.remove(&r.id).unwrap_or_default();
        items.push(LessonPublicityRound {
            round_id: r.id,
            round_name: r.name.clone(),
            level: r.level,
            region_name: state
                .regions
                .get(&r.region_code)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            region_code: r.region_code,
            publicity_ends_at: r.publicity_ends_at,
            lessons,
        });
    }
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

// ───────────── objections ─────────────

pub use entity::lesson_objection::LessonObjectionStatus;

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonObjectionInput {
    pub entry_id: i64,
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub text: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonObjectionResolution {
    /// Upheld: the lesson is excluded and not recommended.
    pub upheld: bool,
    #[oai(validator(min_length = 1, max_length = 2000))]
    pub response: String,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonObjectionView {
    pub id: i64,
    pub round_id: i64,
    pub entry_id: i64,
    pub lesson_title: String,
    pub text: String,
    pub status: LessonObjectionStatus,
    pub response: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

async fn objection_view(
    db: &impl ConnectionTrait,
    o: objection::Model,
) -> AppResult<LessonObjectionView> {
    objection_views(db, vec![o])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Views of a page of objections with their lessons' titles, one statement per related table.
async fn objection_views(
    db: &impl ConnectionTrait,
    rows: Vec<objection::Model>,
) -> AppResult<Vec<LessonObjectionView>> {
    let entries = crate::lessons::entries_by_id(db, rows.iter().map(|o| o.entry_id)).await?;
    let lessons = crate::lessons::lessons_by_id(db, entries.values().map(|e| e.lesson_id)).await?;
    Ok(rows
        .into_iter()
        .map(|o| LessonObjectionView {
            id: o.id,
            round_id: o.round_id,
            entry_id: o.entry_id,
            lesson_title: entries
                .get(&o.entry_id)
                .and_then(|e| lessons.get(&e.lesson_id))
                .map(|l| l.title.clone())
                .unwrap_or_default(),
            text: o.text,
            status: o.status,
            response: o.response,
            created_at: o.created_at,
            resolved_at: o.resolved_at,
        })
        .collect())
}

fn publicity_open(r: &round::Model) -> bool {
    rounds::status_of(r) == LessonRoundStatus::Publicity
        && r.publicity_ends_at.is_none_or(|end| Utc::now() < end)
}

/// Any signed-in user objects to a lesson of a round in 公示.
pub async fn raise(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    round_id: i64,
    input: LessonObjectionInput,
) -> AppResult<LessonObjectionView> {
    let r = rounds::find(db, round_id).await?;
    let public = rounds::status_of(&r) == LessonRoundStatus::Publicity;
    if !public && !rounds::can_read(principal, &r) {
        return Err(AppError::NotFound);
    }
    if !publicity_open(&r) {
        return Err(AppError::conflict("status", m::ObjectionOutsidePublicity));
    }
    let e = entry::Entity::find_by_id(input.entry_id)
        .filter(entry::Column::RoundId.eq(r.id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::field("entry_id", m::NoSuchEntry))?;
    let text = input.text.trim().to_string();
    if text.is_empty() {
        return Err(AppError::field("text", m::ObjectionTextRequired));
    }
    let txn = begin_write(db).await?;
    let o = objection::ActiveModel {
        round_id: Set(r.id),
        entry_id: Set(e.id),
        raised_by: Set(principal.account_id),
        text: Set(text),
        status: Set(LessonObjectionStatus::Open),
        response: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.objection.raise",
        ("lesson_objection", o.id, &r.path),
        serde_json::json!({ "round": r.id, "entry": e.id }),
    )
    .await?;
    txn.commit().await?;
    objection_view(db, o).await
}

pub async fn list_objections(
    db: &impl ConnectionTrait,
    principal: &Principal,
    round_id: i64,
    status: Option<LessonObjectionStatus>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonObjectionView>> {
    let r = rounds::visible(db, principal, round_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let mut q = objection::Entity::find().filter(objection::Column::RoundId.eq(r.id));
    if let Some(s) = status {
        q = q.filter(objection::Column::Status.eq(s));
    }
    let (rows, total) = fetch(db, q.order_by_asc(objection::Column::Id), offset, size).await?;
    Ok(Page {
        items: objection_views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// The round's administrator answers an objection; upheld excludes the lesson from the recommendations.
pub async fn resolve(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    objection_id: i64,
    input: LessonObjectionResolution,
) -> AppResult<LessonObjectionView> {
    let o = objection::Entity::find_by_id(objection_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = rounds::managed(db, principal, o.round_id).await?;
    rounds::require_status(&r, &[LessonRoundStatus::Publicity])?;
    if o.status != LessonObjectionStatus::Open {
        return Err(AppError::conflict("status", m::ObjectionResolved));
    }
    let response = input.response.trim().to_string();
    if response.is_empty() {
        return Err(AppError::field("response", m::ObjectionResponseRequired));
    }
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let entry_id = o.entry_id;
    let mut m: objection::ActiveModel = o.into();
    m.status = Set(if input.upheld {
        LessonObjectionStatus::Upheld
    } else {
        LessonObjectionStatus::Dismissed
    });
    m.response = Set(Some(response.clone()));
    m.resolved_by = Set(Some(principal.account_id));
    m.resolved_at = Set(Some(now));
    let o = m.update(&txn).await?;
    if input.upheld
        && let Some(e) = entry::Entity::find_by_id(entry_id).one(&txn).await?
    {
        let mut em: entry::ActiveModel = e.into();
        em.excluded = Set(true);
        em.recommended = Set(false);
        em.reason = Set(Some(entry::NotRecommended::ObjectionUpheld));
        em.update(&txn).await?;
    }
    audit::record_change(
        &txn,
        principal,
        if input.upheld {
            "lesson.objection.uphold"
        } else {
            "lesson.objection.dismiss"
        },
        ("lesson_objection", o.id, &r.path),
        serde_json::json!({ "round": r.id, "entry": entry_id, "response": response }),
    )
    .await?;
    txn.commit().await?;
    objection_view(db, o).await
}

// ───────────── publication, awards, promotion ─────────────

/// publicity → published (no open objection): awards at the round's level (province: also 部级), and the
/// recommended lessons enter the next level's round when it exists and is still a draft.
pub async fn publish(
    state: &AppState,
    principal: &Principal,
    round_id: i64,
) -> AppResult<LessonRoundView> {
    let r = rounds::managed(&state.db, principal, round_id).await?;
    rounds::require_status(&r, &[LessonRoundStatus::Publicity])?;
    let open = objection::Entity::find()
        .filter(objection::Column::RoundId.eq(r.id))
        .filter(objection::Column::Status.eq(LessonObjectionStatus::Open))
        .all(&state.db)
        .await?;
    if !open.is_empty() {
        return Err(AppError::conflict(
            "objections",
            m::ObjectionsOpen {
                count: open.len() as i64,
            },
        ));
    }
    let level = r.level;
    let now = Utc::now();
    let txn = begin_write(&state.db).await?;
    let recommended = entry::Entity::find()
        .filter(entry::Column::RoundId.eq(r.id))
        .filter(entry::Column::Recommended.eq(true))
        .filter(entry::Column::Excluded.eq(false))
        .order_by_asc(entry::Column::Id)
        .all(&txn)
        .await?;
    let mut levels = vec![level.award()];
    if level == LessonRoundLevel::Province {
        levels.push(LessonAwardLevel::Ministry);
    }
    let mut lessons = Vec::with_capacity(recommended.len());
    for e in &recommended {
        let Some(l) = lesson::Entity::find_by_id(e.lesson_id).one(&txn).await? else {
            continue;
        };
        for lv in &levels {
            let exists = award::Entity::find()
                .filter(award::Column::LessonId.eq(l.id))
                .filter(award::Column::Level.eq(*lv))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                award::ActiveModel {
                    activity_id: Set(r.activity_id),
                    lesson_id: Set(l.id),
                    round_id: Set(r.id),
                    level: Set(*lv),
                    path: Set(l.path.clone()),
                    awarded_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
        }
        lessons.push(l);
    }
    let mut promoted = None;
    if let Some(next) = level.next() {
        let region = match next {
            LessonRoundLevel::City => state
                .regions
                .get(&r.region_code)
                .and_then(|c| c.parent_code.clone()),
            _ => state
                .regions
                .all()
                .find(|x| x.level == entity::region::NodeLevel::Province)
                .map(|p| p.code.clone()),
        };
        if let Some(region) = region
            && let Some(next_round) = round::Entity::find()
                .filter(round::Column::ActivityId.eq(r.activity_id))
                .filter(round::Column::Level.eq(next))
                .filter(round::Column::RegionCode.eq(region))
                .one(&txn)
                .await?
            && rounds::status_of(&next_round) == LessonRoundStatus::Draft
        {
            let added = rounds::add_entries(&txn, &next_round, &lessons).await?;
            promoted = Some((next_round.id, added));
        }
    }
    let mut a: round::ActiveModel = r.into();
    a.status = Set(LessonRoundStatus::Published);
    a.updated_at = Set(now);
    let r = a.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "lesson.round.publish",
        ("lesson_round", r.id, &r.path),
        serde_json::json!({
            "awards": lessons.iter().map(|l| l.id).collect::<Vec<_>>(), "levels": levels,
            "promoted_into": promoted.map(|(id, n)| serde_json::json!({ "round": id, "entries": n })),
        }),
    )
    .await?;
    txn.commit().await?;
    rounds::view(state, r).await
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct LessonAwardView {
    pub id: i64,
    pub activity_id: i64,
    pub lesson_id: i64,
    pub round_id: i64,
    pub level: LessonAwardLevel,
    pub title: String,
    pub teacher_name: String,
    pub school_name: String,
    pub county_name: String,
    pub awarded_at: DateTime<Utc>,
}

/// Awards the caller may see: those in their round-running or checking area, and a teacher's own.
fn awards_visible(principal: &Principal) -> Condition {
    let path = award::Column::Path.into_simple_expr();
    let mut any = Condition::any()
        .add(
            principal
                .scope(Permission::LessonRound)
                .condition(path.clone(), None),
        )
        .add(
            principal
                .scope(Permission::LessonCheck)
                .condition(path, None),
        );
    if let Some(teacher) = principal.teacher_id {
        any = any.add(
            award::Column::LessonId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(lesson::Column::Id)
                    .from(lesson::Entity)
                    .and_where(lesson::Column::TeacherId.eq(teacher))
                    .to_owned(),
            ),
        );
    }
    any
}

pub async fn awards(
    state: &AppState,
    principal: &Principal,
    activity_id: i64,
    level: Option<LessonAwardLevel>,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<LessonAwardView>> {
    let (page, size, offset) = window(page, page_size)?;
    let mut q = award::Entity::find()
        .filter(award::Column::ActivityId.eq(activity_id))
        .filter(awards_visible(principal));
    if let Some(l) = level {
        q = q.filter(award::Column::Level.eq(l));
    }
    let (rows, total) = fetch(&state.db, q.order_by_asc(award::Column::Id), offset, size).await?;
    let lessons =
        crate::lessons::lessons_by_id(&state.db, rows.iter().map(|a| a.lesson_id)).await?;
    let teachers = teacher_names(&state.db, lessons.values().map(|l| l.teacher_id)).await?;
    let schools = school_names(&state.db, lessons.values().map(|l| l.school_id)).await?;
    let items = rows
        .into_iter()
        .map(|a| {
            let l = lessons.get(&a.lesson_id);
            LessonAwardView {
                id: a.id,
                activity_id: a.activity_id,
                lesson_id: a.lesson_id,
                round_id: a.round_id,
                level: a.level,
                title: l.map(|l| l.title.clone()).unwrap_or_default(),
                teacher_name: l
                    .and_then(|l| teachers.get(&l.teacher_id))
                    .cloned()
                    .unwrap_or_default(),
                school_name: l
                    .and_then(|l| schools.get(&l.school_id))
                    .cloned()
                    .unwrap_or_default(),
                county_name: state
                    .regions
                    .get(&rounds::county_of(&a.path))
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
                awarded_at: a.awarded_at,
            }
        })
        .collect();
    Ok(Page {
        items,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// The ministry list (sheet 推荐名单) and every file of those lessons (sheet 文件清单: lesson, item kind, file name,
/// size, SHA-256), for the province's `lesson.round` administrators; audited.
pub async fn ministry_export(
    state: &AppState,
    principal: &Principal,
    activity_id: i64,
) -> AppResult<(Vec<u8>, String)> {
    let _timer = crate::platform::metrics::export_timer("ministry_lessons");
    if !principal.can_at_root(Permission::LessonRound) {
        return Err(AppError::Forbidden);
    }
    let a = entity::lesson_activity::Entity::find_by_id(activity_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    // The published list may be a few seconds old: awards, lessons and files come from the replica when there is one.
    let db = state.reads();
    let awards = award::Entity::find()
        .filter(award::Column::ActivityId.eq(activity_id))
        .filter(award::Column::Level.eq(LessonAwardLevel::Ministry))
        .order_by_asc(award::Column::Id)
        .all(db)
        .await?;
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    // The ministry's own format, in Chinese whatever the requester's language: its headers, sheets and name are
    // fixed by the receiving system, not messages.
    let list_headers = [
        "序号",
        "课题",
        "教师",
        "学校",
        "市州",
        "区县",
        "学段",
        "学科",
        "教材版本",
        "年级",
        "册次",
        "章节",
        "知识节点",
        "课时",
        "省级得分",
        "省级排名",
    ];
    let manifest_headers = [
        "序号",
        "课题",
        "材料类型",
        "文件名",
        "大小（字节）",
        "SHA-256",
    ];
    let mut list_rows: Vec<Vec<String>> = Vec::new();
    let mut manifest_rows: Vec<Vec<String>> = Vec::new();
    for (i, aw) in awards.iter().enumerate() {
        let Some(l) = lesson::Entity::find_by_id(aw.lesson_id).one(db).await? else {
            continue;
        };
        let node = catalogue_node::Entity::find_by_id(l.catalogue_node_id)
            .one(db)
            .await?;
        let teacher = entity::teacher::Entity::find_by_id(l.teacher_id)
            .one(db)
            .await?
            .map(|t| t.name)
            .unwrap_or_default();
        let school = entity::school::Entity::find_by_id(l.school_id)
            .one(db)
            .await?
            .map(|s| s.name)
            .unwrap_or_default();
        let segments: Vec<&str> = l.path.split('/').filter(|s| !s.is_empty()).collect();
        let region_name = |i: usize| {
            segments
                .get(i)
                .and_then(|c| state.regions.get(c))
                .map(|r| r.name.clone())
                .unwrap_or_default()
        };
        let province_entry = entry::Entity::find()
            .filter(entry::Column::RoundId.eq(aw.round_id))
            .filter(entry::Column::LessonId.eq(l.id))
            .one(db)
            .await?;
        let n = node.unwrap_or_else(|| catalogue_node::Model {
            id: 0,
            activity_id,
            stage: String::new(),
            subject: String::new(),
            edition: String::new(),
            grade: String::new(),
            volume: String::new(),
            chapter: String::new(),
            node: String::new(),
            position: 0,
        });
        list_rows.push(vec![
            (i + 1).to_string(),
            l.title.clone(),
            teacher,
            school,
            region_name(1),
            region_name(2),
            n.stage,
            n.subject,
            n.edition,
            n.grade,
            n.volume,
            n.chapter,
            n.node,
            l.lesson_no.to_string(),
            province_entry
                .as_ref()
                .and_then(|e| e.override_score.or(e.score))
                .map(|s| format!("{s:.2}"))
                .unwrap_or_default(),
            province_entry
                .as_ref()
                .and_then(|e| e.rank)
                .map(|r| r.to_string())
                .unwrap_or_default(),
        ]);
        for it in item::Entity::find()
            .filter(item::Column::LessonId.eq(l.id))
            .order_by_asc(item::Column::Id)
            .all(db)
            .await?
        {
            let Some(f) = file::Entity::find_by_id(it.file_id).one(db).await? else {
                continue;
            };
            manifest_rows.push(vec![
                (i + 1).to_string(),
                l.title.clone(),
                super::item_label(it.kind).to_string(),
                f.name,
                f.size.to_string(),
                f.sha256,
            ]);
        }
    }
    for (name, headers, rows) in [
        ("推荐名单", &list_headers[..], &list_rows),
        ("文件清单", &manifest_headers[..], &manifest_rows),
    ] {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(xlsx_error)?;
        for (c, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &bold)
                .map_err(xlsx_error)?;
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet
                    .write_string(r as u32 + 1, c as u16, v)
                    .map_err(xlsx_error)?;
            }
        }
    }
    let data = book.save_to_buffer().map_err(xlsx_error)?;
    let txn = begin_write(&state.db).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "export.lesson_ministry",
            target_type: "lesson_activity",
            target_id: Some(a.id.to_string()),
            target_path: None,
            detail: serde_json::json!({ "lessons": list_rows.len(), "files": manifest_rows.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok((data, format!("部级推荐名单-{}.xlsx", a.year)))
}
