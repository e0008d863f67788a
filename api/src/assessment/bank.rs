//! The question bank (题库): questions owned by a node, built by administrators and institutions holding
//! `question.manage`. A bank is shared down the tree: I read my own node's questions, those below it and those
//! of the nodes above me; I change only those at or below my node. Export and import use the same columns, so a
//! bank round-trips through a spreadsheet; import is validation-first and all-or-nothing.
use chrono::{DateTime, Utc};
use entity::question;
use poem_openapi::{Enum, Object};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, Set,
};

use super::grading::{AnswerKey, QuestionKind, QuestionKindText, check_shape};
use crate::platform::i18n::{self, Message, Text, catalogue::assessment as m};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    directory::service::resolve_node,
    platform::{
        audit,
        db::{begin_write, contains_text},
        error::{AppError, AppResult, FieldError},
        paging::{Page, SortOrder, fetch, window},
        tabular::{self, FileFormat, ImportRowError, SheetBudget, Sink},
    },
};

/// A question bank file: one question per line, its options and key in columns.
pub const QUESTION_SHEET: SheetBudget = SheetBudget::new(100_000, 64);

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionInput {
    pub kind: QuestionKind,
    #[oai(validator(min_length = 1, max_length = 32))]
    pub subject: String,
    #[oai(default, validator(max_items = 10))]
    pub tags: Vec<String>,
    /// 1 (easy) … 5 (hard)
    #[oai(validator(minimum(value = "1"), maximum(value = "5")))]
    pub difficulty: i32,
    #[oai(validator(min_length = 1, max_length = 5000))]
    pub stem: String,
    /// Option texts of a choice question (2–8), in their canonical order; keys are their positions.
    #[oai(default, validator(max_items = 8))]
    pub options: Vec<String>,
    pub answer: AnswerKey,
    #[oai(default, validator(max_length = 5000))]
    pub explanation: String,
    /// Default points of the question on a paper.
    #[oai(
        default = "default_points",
        validator(minimum(value = "0.5"), maximum(value = "100"))
    )]
    pub points: f64,
    /// The node that owns it (default: my own). On an edit, naming another node I manage moves the question there.
    #[oai(validator(max_length = 16))]
    pub owner_code: Option<String>,
}

fn default_points() -> f64 {
    1.0
}

/// A bank question with its key: only bank managers ever receive this.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionView {
    pub id: i64,
    pub owner_code: String,
    pub kind: QuestionKind,
    pub subject: String,
    pub tags: Vec<String>,
    pub difficulty: i32,
    pub stem: String,
    pub options: Vec<String>,
    pub answer: AnswerKey,
    pub explanation: String,
    pub points: f64,
    pub active: bool,
    /// Whether I may change it (it sits at or below my node).
    pub editable: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, Enum, PartialEq, Eq, Default)]
#[oai(rename_all = "snake_case")]
pub enum QuestionSort {
    #[default]
    Id,
    Difficulty,
    Subject,
    UpdatedAt,
}

#[derive(Debug, Clone, Default)]
pub struct QuestionFilter {
    pub kind: Option<QuestionKind>,
    pub subject: Option<String>,
    pub tag: Option<String>,
    pub difficulty: Option<i32>,
    /// Text in the stem.
    pub q: Option<String>,
    pub include_inactive: bool,
    pub sort: QuestionSort,
    pub order: SortOrder,
}

pub(crate) fn tags_of(q: &question::Model) -> Vec<String> {
    serde_json::from_str(&q.tags).unwrap_or_default()
}

pub(crate) fn options_of(q: &question::Model) -> Vec<String> {
    serde_json::from_str(&q.options).unwrap_or_default()
}

pub(crate) fn key_of(q: &question::Model) -> AnswerKey {
    serde_json::from_str(&q.answer).unwrap_or_default()
}

fn view(principal: &Principal, q: question::Model) -> QuestionView {
    QuestionView {
        editable: principal.can(Permission::QuestionManage, &q.owner_path),
        kind: q.kind,
        tags: tags_of(&q),
        options: options_of(&q),
        answer: key_of(&q),
        id: q.id,
        owner_code: q.owner_code,
        subject: q.subject,
        difficulty: q.difficulty,
        stem: q.stem,
        explanation: q.explanation,
        points: q.points,
        active: q.active,
        created_at: q.created_at,
        updated_at: q.updated_at,
    }
}

/// Cross-field rules of a question, each problem named by its field.
pub(crate) fn check(input: &QuestionInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if input.kind.has_options() {
        if input.options.len() < 2 {
            errors.push(FieldError::new("options", m::OptionsTooFew));
        }
        if input
            .options
            .iter()
            .any(|o| o.trim().is_empty() || o.chars().count() > 500)
        {
            errors.push(FieldError::new("options", m::OptionsLength));
        }
    } else if !input.options.is_empty() {
        errors.push(FieldError::new("options", m::KindHasNoOptions));
    }
    if input
        .tags
        .iter()
        .any(|t| t.trim().is_empty() || t.chars().count() > 32)
    {
        errors.push(FieldError::new("tags", m::TagsLength));
    }
    if let Err(message) = check_shape(input.kind, input.options.len(), &input.answer, true) {
        errors.push(FieldError::new("answer", message));
    }
    errors
}

/// The node a new question belongs to: the one named, or my own; it must be within my bank scope.
async fn owner(
    state: &AppState,
    principal: &Principal,
    code: Option<&str>,
) -> AppResult<(String, String)> {
    principal.require_somewhere(Permission::QuestionManage)?;
    let code = match code {
        Some(c) => c.trim().to_string(),
        None => principal
            .home_for(Permission::QuestionManage)
            .map(|g| g.scope_code.clone())
            .ok_or(AppError::Forbidden)?,
    };
    let path = resolve_node(state, &code).await?.map(|n| n.path);
    principal.require_reference(Permission::QuestionManage, path.as_deref(), "owner_code")?;
    Ok((code, path.unwrap_or_default()))
}

fn active_model(input: &QuestionInput) -> AppResult<question::ActiveModel> {
    Ok(question::ActiveModel {
        kind: Set(input.kind),
        subject: Set(input.subject.trim().into()),
        tags: Set(to_json(
            &input
                .tags
                .iter()
                .map(|t| t.trim().to_string())
                .collect::<Vec<_>>(),
        )?),
        difficulty: Set(input.difficulty),
        stem: Set(input.stem.trim().into()),
        options: Set(to_json(
            &input
                .options
                .iter()
                .map(|o| o.trim().to_string())
                .collect::<Vec<_>>(),
        )?),
        answer: Set(to_json(&input.answer)?),
        explanation: Set(input.explanation.trim().into()),
        points: Set(input.points),
        updated_at: Set(Utc::now()),
        ..Default::default()
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> AppResult<String> {
    serde_json::to_string(value).map_err(AppError::internal)
}

pub async fn create(
    state: &AppState,
    principal: &Principal,
    input: QuestionInput,
) -> AppResult<QuestionView> {
    let errors = check(&input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (code, path) = owner(state, principal, input.owner_code.as_deref()).await?;
    let txn = begin_write(&state.db).await?;
    let mut model = active_model(&input)?;
    model.owner_code = Set(code);
    model.owner_path = Set(path);
    model.active = Set(true);
    model.created_by = Set(principal.account_id);
    model.created_at = Set(Utc::now());
    let q = model.insert(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "question.create",
        ("question", q.id, &q.owner_path),
        serde_json::json!({ "kind": q.kind }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(principal, q))
}

/// A question I can read (404 otherwise).
async fn find_readable(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<question::Model> {
    let q = question::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if principal
        .scope(Permission::QuestionManage)
        .reaches(&q.owner_path)
    {
        Ok(q)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn get(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<QuestionView> {
    Ok(view(principal, find_readable(db, principal, id).await?))
}

async fn find_editable(
    db: &impl ConnectionTrait,
    principal: &Principal,
    id: i64,
) -> AppResult<question::Model> {
    let q = find_readable(db, principal, id).await?;
    if principal.can(Permission::QuestionManage, &q.owner_path) {
        Ok(q)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Edits a question. Attempts already started keep the paper they drew, but grade against the current key,
/// which is why a key change is audited with its old value.
pub async fn update(
    state: &AppState,
    principal: &Principal,
    id: i64,
    input: QuestionInput,
) -> AppResult<QuestionView> {
    let errors = check(&input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let old = find_editable(&state.db, principal, id).await?;
    let mut model = active_model(&input)?;
    model.id = Set(old.id);
    // Naming another owner moves the question to that node's bank, which must be one I manage too.
    if let Some(code) = input
        .owner_code
        .as_deref()
        .filter(|c| c.trim() != old.owner_code)
    {
        let (code, path) = owner(state, principal, Some(code)).await?;
        model.owner_code = Set(code);
        model.owner_path = Set(path);
    }
    let txn = begin_write(&state.db).await?;
    let q = model.update(&txn).await?;
    audit::record_change(
        &txn,
        principal,
        "question.update",
        ("question", q.id, &q.owner_path),
        serde_json::json!({ "old_answer": old.answer, "answer": q.answer }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(principal, q))
}

/// Retires (or restores) a question: retired questions stay on papers already drawn but are not drawn again.
pub async fn set_active(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    id: i64,
    active: bool,
) -> AppResult<QuestionView> {
    let q = find_editable(db, principal, id).await?;
    let txn = begin_write(db).await?;
    let mut model: question::ActiveModel = q.into();
    model.active = Set(active);
    model.updated_at = Set(Utc::now());
    let q = model.update(&txn).await?;
    let action = if active {
        "question.restore"
    } else {
        "question.retire"
    };
    audit::record_change(
        &txn,
        principal,
        action,
        ("question", q.id, &q.owner_path),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(view(principal, q))
}

fn filtered(
    principal: &Principal,
    f: &QuestionFilter,
) -> AppResult<sea_orm::Select<question::Entity>> {
    principal.require_somewhere(Permission::QuestionManage)?;
    let scope = principal.scope(Permission::QuestionManage);
    let mut q = question::Entity::find()
        .filter(scope.reach_condition(question::Column::OwnerPath.into_simple_expr()));
    if !f.include_inactive {
        q = q.filter(question::Column::Active.eq(true));
    }
    if let Some(k) = f.kind {
        q = q.filter(question::Column::Kind.eq(k));
    }
    if let Some(s) = f.subject.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(question::Column::Subject.eq(s.trim()));
    }
    if let Some(d) = f.difficulty {
        q = q.filter(question::Column::Difficulty.eq(d));
    }
    if let Some(t) = f.tag.as_deref().filter(|s| !s.is_empty()) {
        // Tags are stored as a JSON list: match the quoted element.
        q = q.filter(contains_text(
            question::Column::Tags,
            &serde_json::to_string(t.trim()).map_err(AppError::internal)?,
        ));
    }
    if let Some(text) = f.q.as_deref().filter(|s| !s.is_empty()) {
        q = q.filter(contains_text(question::Column::Stem, text.trim()));
    }
    let column = match f.sort {
        QuestionSort::Id => question::Column::Id,
        QuestionSort::Difficulty => question::Column::Difficulty,
        QuestionSort::Subject => question::Column::Subject,
        QuestionSort::UpdatedAt => question::Column::UpdatedAt,
    };
    Ok(q.order_by(column, f.order.to_sea())
        .order_by_asc(question::Column::Id))
}

pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    f: QuestionFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<QuestionView>> {
    let (page, size, offset) = window(page, page_size)?;
    let (rows, total) = fetch(db, filtered(principal, &f)?, offset, size).await?;
    Ok(Page {
        items: rows.into_iter().map(|q| view(principal, q)).collect(),
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// Spreadsheet columns; options take six columns A–F. The English headers are lower case, as they always were.
const COLUMNS: [&dyn Message; 14] = [
    &m::BankColKind,
    &m::BankColSubject,
    &m::BankColTags,
    &m::BankColDifficulty,
    &m::BankColStem,
    &m::BankColOptionA,
    &m::BankColOptionB,
    &m::BankColOptionC,
    &m::BankColOptionD,
    &m::BankColOptionE,
    &m::BankColOptionF,
    &m::BankColAnswer,
    &m::BankColExplanation,
    &m::BankColPoints,
];
const FIRST_OPTION: usize = 5;
const OPTION_COLUMNS: usize = 6;

/// A column's header in the request's language; the import reads either.
fn header(i: usize) -> String {
    COLUMNS[i].render(i18n::current_lang())
}

const LETTERS: &str = "ABCDEF";

/// An English sheet writes kinds and true/false by their codes, which the import reads as well as the Chinese.
fn english() -> bool {
    i18n::current_lang() == i18n::Lang::En
}

/// The answer column as written in a sheet: letters for choices, 对/错, blanks separated by `；`, or the
/// reference text.
fn answer_cell(kind: QuestionKind, key: &AnswerKey) -> String {
    let letter = |k: i32| {
        LETTERS
            .chars()
            .nth(k as usize)
            .map(String::from)
            .unwrap_or_default()
    };
    match kind {
        QuestionKind::Single => key.choice.map(letter).unwrap_or_default(),
        QuestionKind::Multiple => key
            .choices
            .clone()
            .unwrap_or_default()
            .into_iter()
            .map(letter)
            .collect(),
        QuestionKind::TrueFalse => match key.value {
            Some(true) if english() => "true".into(),
            Some(false) if english() => "false".into(),
            Some(true) => "对".into(),
            Some(false) => "错".into(),
            None => String::new(),
        },
        QuestionKind::Blank => key.blanks.clone().unwrap_or_default().join("；"),
        QuestionKind::Short => key.text.clone().unwrap_or_default(),
    }
}

fn parse_answer(kind: QuestionKind, cell: &str) -> Result<AnswerKey, Text> {
    let cell = cell.trim();
    let letters = || -> Result<Vec<i32>, Text> {
        cell.chars()
            .filter(|c| !matches!(c, ',' | '，' | ' ' | '、'))
            .map(|c| {
                LETTERS
                    .find(c.to_ascii_uppercase())
                    .map(|i| i as i32)
                    .ok_or_else(|| m::AnswerLetters.into())
            })
            .collect()
    };
    let mut key = AnswerKey::default();
    match kind {
        QuestionKind::Single => key.choice = letters()?.first().copied(),
        QuestionKind::Multiple => key.choices = Some(letters()?),
        QuestionKind::TrueFalse => {
            key.value = match cell.to_lowercase().as_str() {
                "对" | "正确" | "√" | "true" | "t" | "yes" => Some(true),
                "错" | "错误" | "×" | "false" | "f" | "no" => Some(false),
                _ => return Err(m::AnswerTrueFalse.into()),
            }
        }
        QuestionKind::Blank => {
            key.blanks = Some(
                cell.split(['；', ';'])
                    .map(|s| s.trim().to_string())
                    .collect(),
            )
        }
        QuestionKind::Short => key.text = Some(cell.to_string()),
    }
    Ok(key)
}

pub async fn export(
    db: &impl ConnectionTrait,
    principal: &Principal,
    f: QuestionFilter,
    format: FileFormat,
) -> AppResult<Vec<u8>> {
    let headers: Vec<String> = (0..COLUMNS.len()).map(header).collect();
    let widths: Vec<(&str, f64)> = headers.iter().map(|h| (h.as_str(), 14.0)).collect();
    let mut sink = Sink::new(format, &i18n::t(m::BankSheet), &widths)?;
    let rows = filtered(principal, &f)?.all(db).await?;
    for q in &rows {
        let kind = q.kind;
        let options = options_of(q);
        let mut cells = vec![
            if english() {
                kind.as_str()
            } else {
                kind.label_zh()
            }
            .to_string(),
            q.subject.clone(),
            tags_of(q).join("；"),
            q.difficulty.to_string(),
            q.stem.clone(),
        ];
        cells.extend((0..OPTION_COLUMNS).map(|i| options.get(i).cloned().unwrap_or_default()));
        cells.extend([
            answer_cell(kind, &key_of(q)),
            q.explanation.clone(),
            q.points.to_string(),
        ]);
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        sink.row(&refs)?;
    }
    sink.finish()
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct QuestionImportReport {
    pub total_rows: u64,
    pub valid_rows: u64,
    pub created: u64,
    /// True only when every row was written; any error writes nothing.
    pub committed: bool,
    pub errors: Vec<ImportRowError>,
}

fn locate(headers: &[String]) -> (Vec<Option<usize>>, Vec<ImportRowError>) {
    let at: Vec<Option<usize>> = COLUMNS
        .iter()
        .map(|column| {
            let zh = column.render(i18n::Lang::Zh).to_lowercase();
            let en = column.render(i18n::Lang::En).to_lowercase();
            headers.iter().position(|h| {
                let h = h.trim().trim_start_matches('\u{feff}').to_lowercase();
                h == zh || h == en || h == format!("{zh} {en}")
            })
        })
        .collect();
    let errors = [0usize, 1, 3, 4, 11]
        .into_iter()
        .filter(|i| at[*i].is_none())
        .map(|i| ImportRowError::new(1, header(i), m::BankColumnMissing))
        .collect();
    (at, errors)
}

/// One sheet line as a question, or its problems.
fn read_line(
    line: u64,
    cells: &[String],
    at: &[Option<usize>],
) -> Result<QuestionInput, Vec<ImportRowError>> {
    let cell = |i: usize| {
        at[i]
            .and_then(|p| cells.get(p))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut errors: Vec<ImportRowError> = Vec::new();
    let problem = |column: usize, reason: Text| ImportRowError::new(line, header(column), reason);
    let kind = QuestionKind::parse(&cell(0));
    if kind.is_none() {
        errors.push(problem(0, m::BankUnknownKind.into()));
    }
    let difficulty = cell(3).parse::<i32>().ok().filter(|d| (1..=5).contains(d));
    if difficulty.is_none() {
        errors.push(problem(3, m::BankDifficulty.into()));
    }
    let points = match cell(13).as_str() {
        "" => Some(1.0),
        p => p.parse::<f64>().ok().filter(|p| (0.5..=100.0).contains(p)),
    };
    if points.is_none() {
        errors.push(problem(13, m::BankPoints.into()));
    }
    for (i, limit) in [(1usize, 32usize), (4, 5000), (12, 5000)] {
        if (i != 12 && cell(i).is_empty()) || cell(i).chars().count() > limit {
            errors.push(problem(
                i,
                m::BankRequiredAtMost {
                    limit: limit as i64,
                }
                .into(),
            ));
        }
    }
    // Without a kind the answer cannot be read; other problems are collected in full.
    let Some(kind) = kind else {
        return Err(errors);
    };
    let options: Vec<String> = if kind.has_options() {
        (FIRST_OPTION..FIRST_OPTION + OPTION_COLUMNS)
            .map(cell)
            .take_while(|o| !o.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let answer = parse_answer(kind, &cell(11)).unwrap_or_else(|e| {
        errors.push(problem(11, e));
        AnswerKey::default()
    });
    let input = QuestionInput {
        kind,
        subject: cell(1),
        tags: cell(2)
            .split(['；', ';', ',', '，'])
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(String::from)
            .collect(),
        difficulty: difficulty.unwrap_or(1),
        stem: cell(4),
        options,
        answer,
        explanation: cell(12),
        points: points.unwrap_or(1.0),
        owner_code: None,
    };
    for e in check(&input) {
        let column = match e.field.as_str() {
            "options" => FIRST_OPTION,
            "tags" => 2,
            _ => 11,
        };
        errors.push(ImportRowError::from_field(line, header(column), e));
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

/// Imports a sheet of questions into my node's bank (or `owner_code`'s): every line is checked first and
/// nothing is written unless every line is right; a dry run only checks.
pub async fn import(
    state: &AppState,
    principal: &Principal,
    owner_code: Option<&str>,
    bytes: &[u8],
    dry_run: bool,
) -> AppResult<QuestionImportReport> {
    let (code, path) = owner(state, principal, owner_code).await?;
    let sheet = tabular::read::read_off_thread(bytes, &QUESTION_SHEET).await?;
    let (at, mut errors) = locate(&sheet.headers);
    let mut inputs = Vec::new();
    if errors.is_empty() {
        for row in &sheet.rows {
            match read_line(row.line, &row.cells, &at) {
                Ok(input) => inputs.push(input),
                Err(problems) => errors.extend(problems),
            }
        }
    }
    let total = sheet.rows.len() as u64;
    let mut report = QuestionImportReport {
        total_rows: total,
        valid_rows: inputs.len() as u64,
        created: inputs.len() as u64,
        committed: false,
        errors,
    };
    if total == 0 && report.errors.is_empty() {
        report
            .errors
            .push(ImportRowError::new(2, "", m::BankNoQuestions));
    }
    if dry_run || !report.errors.is_empty() {
        return Ok(report);
    }
    let txn = begin_write(&state.db).await?;
    let now = Utc::now();
    for input in &inputs {
        let mut model = active_model(input)?;
        model.owner_code = Set(code.clone());
        model.owner_path = Set(path.clone());
        model.active = Set(true);
        model.created_by = Set(principal.account_id);
        model.created_at = Set(now);
        model.insert(&txn).await?;
    }
    audit::record(
        &txn,
        Some(principal),
        audit::AuditEvent {
            action: "question.import",
            target_type: "question_bank",
            target_id: Some(code),
            target_path: Some(path),
            detail: serde_json::json!({ "created": inputs.len() }),
        },
    )
    .await?;
    txn.commit().await?;
    report.committed = true;
    Ok(report)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn line(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_sheet_line_reads_back_into_the_same_question() {
        let headers: Vec<String> = (0..COLUMNS.len()).map(header).collect();
        let (at, errors) = locate(&headers);
        assert!(errors.is_empty());
        let q = read_line(
            2,
            &line(&[
                "多选",
                "信息技术",
                "网络；安全",
                "3",
                "哪些是协议？",
                "TCP",
                "JPEG",
                "HTTP",
                "",
                "",
                "",
                "AC",
                "TCP 与 HTTP",
                "2",
            ]),
            &at,
        )
        .unwrap();
        assert_eq!(q.kind, QuestionKind::Multiple);
        assert_eq!(q.options, vec!["TCP", "JPEG", "HTTP"]);
        assert_eq!(q.answer.choices, Some(vec![0, 2]));
        assert_eq!(q.tags, vec!["网络", "安全"]);
        assert_eq!(answer_cell(q.kind, &q.answer), "AC");
    }

    #[test]
    fn bad_lines_name_their_columns() {
        let headers: Vec<String> = (0..COLUMNS.len()).map(header).collect();
        let (at, _) = locate(&headers);
        let problems = read_line(
            2,
            &line(&[
                "单选", "语文", "", "9", "题", "甲", "乙", "", "", "", "", "D", "", "",
            ]),
            &at,
        )
        .unwrap_err();
        let columns: Vec<&str> = problems.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(columns, vec!["难度", "答案"]);
        assert_eq!(problems[0].code, "bank_difficulty");
        let problems = read_line(
            2,
            &line(&[
                "单选", "语文", "", "2", "题", "甲", "乙", "", "", "", "", "D", "", "",
            ]),
            &at,
        )
        .unwrap_err();
        assert_eq!(problems[0].column, "答案");
        let problems = read_line(
            2,
            &line(&[
                "判断", "语文", "", "2", "题", "", "", "", "", "", "", "也许", "", "",
            ]),
            &at,
        )
        .unwrap_err();
        assert_eq!(problems[0].column, "答案");
    }
}
