//! The year's 一师一优课 activity, opened by the province (`lesson.activity` at the root): its upload windows per
//! 学段 and its lesson catalogue (学段 / 学科 / 教材版本 / 年级 / 册次 / 章节 / 知识节点), imported from CSV or XLSX
//! all-or-nothing with a row-by-row report. Everyone signed in reads activities and the catalogue: teachers pick
//! their lesson's node from it.
use crate::platform::i18n::{Text, catalogue::lessons as m};

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Utc};
use entity::{lesson_activity as activity, lesson_catalogue_node as node};
use poem_openapi::Object;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::{
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text},
        error::{AppError, AppResult, FieldError, map_unique},
        paging::{Page, count_by, fetch, window},
        tabular::{self, ImportRowError, Sheet, SheetBudget},
    },
};

/// When teachers of one 学段 may upload and submit.
#[derive(Debug, Clone, Object, serde::Serialize, serde::Deserialize)]
#[oai(skip_serializing_if_is_none)]
pub struct UploadWindow {
    /// 学段, e.g. 小学, 初中, 高中.
    #[oai(validator(min_length = 1, max_length = 16))]
    pub stage: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ActivityInput {
    #[oai(validator(minimum(value = "2020"), maximum(value = "2100")))]
    pub year: i32,
    #[oai(validator(min_length = 1, max_length = 128))]
    pub name: String,
    #[oai(validator(min_items = 1, max_items = 12))]
    pub windows: Vec<UploadWindow>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ActivityView {
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub windows: Vec<UploadWindow>,
    /// 知识节点 in the catalogue.
    pub catalogue_nodes: u64,
    /// The 学段 whose upload window is open now.
    pub open_stages: Vec<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogueNodeView {
    pub id: i64,
    pub stage: String,
    pub subject: String,
    pub edition: String,
    pub grade: String,
    pub volume: String,
    pub chapter: String,
    pub node: String,
}

impl From<node::Model> for CatalogueNodeView {
    fn from(n: node::Model) -> Self {
        Self {
            id: n.id,
            stage: n.stage,
            subject: n.subject,
            edition: n.edition,
            grade: n.grade,
            volume: n.volume,
            chapter: n.chapter,
            node: n.node,
        }
    }
}

/// The choices at each level of the catalogue below the ones already picked, for cascading pickers.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogueFacets {
    pub stages: Vec<String>,
    pub subjects: Vec<String>,
    pub editions: Vec<String>,
    pub grades: Vec<String>,
    pub volumes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct CatalogueFilter {
    pub stage: Option<String>,
    pub subject: Option<String>,
    pub edition: Option<String>,
    pub grade: Option<String>,
    pub volume: Option<String>,
    /// Part of a chapter or node name.
    pub q: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CatalogueImportReport {
    pub total_rows: u64,
    /// Rows that add a node (written when `committed`).
    pub created: u64,
    /// Rows naming a node already in the catalogue (left as they are).
    pub existing: u64,
    /// True only when the file was written; any error writes nothing.
    pub committed: bool,
    pub errors: Vec<ImportRowError>,
}

/// The file's columns, in order.
const COLUMNS: [&str; 7] = [
    "学段",
    "学科",
    "教材版本",
    "年级",
    "册次",
    "章节",
    "知识节点",
];
/// Column widths (characters), as in the schema.
const WIDTHS: [usize; 7] = [16, 32, 64, 16, 8, 128, 128];

pub fn windows_of(a: &activity::Model) -> Vec<UploadWindow> {
    serde_json::from_str(&a.windows).unwrap_or_default()
}

/// Whether `stage`'s upload window is open at `now`.
pub fn window_open(a: &activity::Model, stage: &str, now: DateTime<Utc>) -> bool {
    windows_of(a)
        .iter()
        .any(|w| w.stage == stage && w.opens_at <= now && now < w.closes_at)
}

async fn view(db: &impl ConnectionTrait, a: activity::Model) -> AppResult<ActivityView> {
    views(db, vec![a]).await?.pop().ok_or(AppError::NotFound)
}

/// Views of a page of activities with their catalogue sizes, counted in one statement.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<activity::Model>,
) -> AppResult<Vec<ActivityView>> {
    let counts = count_by(
        db,
        node::Entity::find(),
        node::Column::ActivityId,
        rows.iter().map(|a| a.id),
    )
    .await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|a| {
            let windows = windows_of(&a);
            let open_stages = windows
                .iter()
                .filter(|w| w.opens_at <= now && now < w.closes_at)
                .map(|w| w.stage.clone())
                .collect();
            ActivityView {
                id: a.id,
                year: a.year,
                catalogue_nodes: counts.get(&a.id).copied().unwrap_or_default(),
                name: a.name,
                windows,
                open_stages,
            }
        })
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: i64) -> AppResult<activity::Model> {
    activity::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn list(
    db: &impl ConnectionTrait,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<ActivityView>> {
    let (page, size, offset) = window(page, page_size)?;
    let q = activity::Entity::find().order_by_desc(activity::Column::Year);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> AppResult<ActivityView> {
    view(db, find(db, id).await?).await
}

fn require_province(principal: &Principal) -> AppResult<()> {
    if principal.can_at_root(Permission::LessonActivity) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn check_windows(windows: &[UploadWindow]) -> AppResult<()> {
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for (i, w) in windows.iter().enumerate() {
        if w.closes_at <= w.opens_at {
            errors.push(FieldError::new(
                format!("windows[{i}].closes_at"),
                m::WindowClosesBeforeOpens,
            ));
        }
        if !seen.insert(w.stage.trim()) {
            errors.push(FieldError::new(
                format!("windows[{i}].stage"),
                m::WindowPerStage,
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

pub async fn save(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: Option<i64>,
    input: ActivityInput,
) -> AppResult<ActivityView> {
    require_province(principal)?;
    check_windows(&input.windows)?;
    let now = Utc::now();
    let windows = serde_json::to_string(&input.windows).map_err(AppError::internal)?;
    let txn = begin_write(db).await?;
    let mut model = match id {
        Some(id) => activity::ActiveModel::from(find(db, id).await?),
        None => activity::ActiveModel {
            created_by: Set(principal.account_id),
            created_at: Set(now),
            ..Default::default()
        },
    };
    model.year = Set(input.year);
    model.name = Set(input.name.trim().to_string());
    model.windows = Set(windows);
    model.updated_at = Set(now);
    let saved = match id {
        Some(_) => model.update(&txn).await,
        None => model.insert(&txn).await,
    }
    .map_err(|e| map_unique(e, "year", m::ActivityYearTaken))?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: if id.is_some() {
                "lesson_activity.update"
            } else {
                "lesson_activity.create"
            },
            target_type: "lesson_activity",
            target_id: Some(saved.id.to_string()),
            target_path: None,
            detail: serde_json::json!({"year": saved.year, "windows": input.windows}),
        },
    )
    .await?;
    txn.commit().await?;
    view(db, saved).await
}

fn filtered(activity_id: i64, f: &CatalogueFilter) -> sea_orm::Select<node::Entity> {
    let mut cond = Condition::all().add(node::Column::ActivityId.eq(activity_id));
    for (column, value) in [
        (node::Column::Stage, &f.stage),
        (node::Column::Subject, &f.subject),
        (node::Column::Edition, &f.edition),
        (node::Column::Grade, &f.grade),
        (node::Column::Volume, &f.volume),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            cond = cond.add(column.eq(v));
        }
    }
    if let Some(q) = f.q.as_deref().filter(|q| !q.is_empty()) {
        cond = cond.add(
            Condition::any()
                .add(contains_text(node::Column::Chapter, q))
                .add(contains_text(node::Column::Node, q)),
        );
    }
    node::Entity::find().filter(cond)
}

pub async fn catalogue(
    db: &impl ConnectionTrait,
    activity_id: i64,
    filter: &CatalogueFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<CatalogueNodeView>> {
    find(db, activity_id).await?;
    let (page, size, offset) = window(page, page_size)?;
    let q = filtered(activity_id, filter)
        .order_by_asc(node::Column::Position)
        .order_by_asc(node::Column::Id);
    let (rows, total) = fetch(db, q, offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(Into::into).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Distinct values of one column under the levels already chosen.
async fn distinct(
    db: &impl ConnectionTrait,
    activity_id: i64,
    filter: &CatalogueFilter,
    column: node::Column,
) -> AppResult<Vec<String>> {
    let values: Vec<String> = filtered(activity_id, filter)
        .select_only()
        .column(column)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    Ok(values
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect())
}

pub async fn facets(
    db: &impl ConnectionTrait,
    activity_id: i64,
    chosen: &CatalogueFilter,
) -> AppResult<CatalogueFacets> {
    find(db, activity_id).await?;
    // Each level lists the values under the levels above it only, so a picker can change its choice.
    let above = |level: usize| CatalogueFilter {
        stage: (level > 0).then(|| chosen.stage.clone()).flatten(),
        subject: (level > 1).then(|| chosen.subject.clone()).flatten(),
        edition: (level > 2).then(|| chosen.edition.clone()).flatten(),
        grade: (level > 3).then(|| chosen.grade.clone()).flatten(),
        volume: None,
        q: None,
    };
    Ok(CatalogueFacets {
        stages: distinct(db, activity_id, &above(0), node::Column::Stage).await?,
        subjects: distinct(db, activity_id, &above(1), node::Column::Subject).await?,
        editions: distinct(db, activity_id, &above(2), node::Column::Edition).await?,
        grades: distinct(db, activity_id, &above(3), node::Column::Grade).await?,
        volumes: distinct(db, activity_id, &above(4), node::Column::Volume).await?,
    })
}

/// 上 / 上册 → 上册, 下 / 下册 → 下册, 全一册 stays.
fn normalise_volume(v: &str) -> Option<&'static str> {
    match v {
        "上" | "上册" => Some("上册"),
        "下" | "下册" => Some("下册"),
        "全" | "全一册" => Some("全一册"),
        _ => None,
    }
}

type NodeKey = [String; 7];

/// A catalogue file: a few thousand subject × grade lines in practice.
pub const CATALOGUE_SHEET: SheetBudget = SheetBudget::new(100_000, 64);

/// The file's lines as catalogue keys, or every problem found.
fn read_sheet(
    sheet: Sheet,
    stages: &HashSet<String>,
) -> AppResult<(u64, Vec<NodeKey>, Vec<ImportRowError>)> {
    let mut errors = Vec::new();
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|c| {
            sheet
                .headers
                .iter()
                .position(|h| h.trim().trim_start_matches('\u{feff}') == *c)
        })
        .collect();
    for (i, c) in COLUMNS.iter().enumerate() {
        if at[i].is_none() {
            errors.push(ImportRowError::new(1, *c, m::CatalogueColumnMissing));
        }
    }
    if !errors.is_empty() {
        return Ok((sheet.rows.len() as u64, Vec::new(), errors));
    }
    let mut keys = Vec::new();
    let mut seen: std::collections::HashMap<NodeKey, u64> = Default::default();
    for row in &sheet.rows {
        let mut key: NodeKey = Default::default();
        let mut ok = true;
        for (i, column) in COLUMNS.iter().enumerate() {
            let value = at[i]
                .and_then(|p| row.cells.get(p))
                .map(|s| s.trim().to_string())
                .unwrap_or_default();
            let problem: Option<Text> = if value.is_empty() || value.chars().count() > WIDTHS[i] {
                Some(
                    m::CatalogueRequiredAtMost {
                        limit: WIDTHS[i] as i64,
                    }
                    .into(),
                )
            } else if i == 0 && !stages.contains(&value) {
                Some(m::CatalogueStageNoWindow.into())
            } else if i == 4 && normalise_volume(&value).is_none() {
                Some(m::CatalogueVolume.into())
            } else {
                None
            };
            if let Some(reason) = problem {
                ok = false;
                errors.push(ImportRowError::new(row.line, *column, reason));
            }
            key[i] = if i == 4 {
                normalise_volume(&value).unwrap_or_default().to_string()
            } else {
                value
            };
        }
        if !ok {
            continue;
        }
        if let Some(first) = seen.insert(key.clone(), row.line) {
            errors.push(ImportRowError::new(
                row.line,
                COLUMNS[6],
                m::CatalogueDuplicateNode { line: first as i64 },
            ));
            continue;
        }
        keys.push(key);
    }
    Ok((sheet.rows.len() as u64, keys, errors))
}

fn key_of(n: &node::Model) -> NodeKey {
    [
        n.stage.clone(),
        n.subject.clone(),
        n.edition.clone(),
        n.grade.clone(),
        n.volume.clone(),
        n.chapter.clone(),
        n.node.clone(),
    ]
}

/// Adds the file's nodes to the catalogue: every line is checked first, nothing is written on any error, and a
/// dry run only checks. Nodes already present are left as they are (lessons may stand on them).
pub async fn import_catalogue(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    activity_id: i64,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<CatalogueImportReport> {
    require_province(principal)?;
    let a = find(db, activity_id).await?;
    let stages: HashSet<String> = windows_of(&a).into_iter().map(|w| w.stage).collect();
    let sheet = tabular::read::read_off_thread(bytes, &CATALOGUE_SHEET).await?;
    let (total, keys, mut errors) = read_sheet(sheet, &stages)?;
    if total == 0 && errors.is_empty() {
        errors.push(ImportRowError::new(2, "", m::CatalogueNoRows));
    }
    let txn = begin_write(db).await?;
    let present: Vec<node::Model> = node::Entity::find()
        .filter(node::Column::ActivityId.eq(activity_id))
        .all(&txn)
        .await?;
    let mut position = present.iter().map(|n| n.position).max().unwrap_or(0);
    let present: HashSet<NodeKey> = present.iter().map(key_of).collect();
    let new: Vec<&NodeKey> = keys.iter().filter(|k| !present.contains(*k)).collect();
    let mut report = CatalogueImportReport {
        total_rows: total,
        created: new.len() as u64,
        existing: (keys.len() - new.len()) as u64,
        committed: false,
        errors,
    };
    if dry_run || !report.errors.is_empty() {
        return Ok(report);
    }
    for key in &new {
        position += 1;
        let [stage, subject, edition, grade, volume, chapter, node_name] = (*key).clone();
        node::ActiveModel {
            activity_id: Set(activity_id),
            stage: Set(stage),
            subject: Set(subject),
            edition: Set(edition),
            grade: Set(grade),
            volume: Set(volume),
            chapter: Set(chapter),
            node: Set(node_name),
            position: Set(position),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "lesson_catalogue.import",
            target_type: "lesson_activity",
            target_id: Some(activity_id.to_string()),
            target_path: None,
            detail: serde_json::json!({"created": report.created, "existing": report.existing}),
        },
    )
    .await?;
    txn.commit().await?;
    report.committed = true;
    Ok(report)
}
