//! Making the file of a background export: each kind calls the same service the direct export operation calls,
//! as the principal that asked, so scope, masking and the domain's own audit entries are the same; and the checks
//! made when it is asked for, so a request the export would refuse is refused at once rather than failing later.
use bytes::Bytes;
use entity::export::ExportKind;
use futures_util::stream::BoxStream;
use sea_orm::EntityTrait;

use super::params::{ExportOrder, ExportParams};
use crate::{
    AppState,
    access::Permission,
    assessment::bank::{self, QuestionFilter},
    audit::routes::{EntryFilter, csv_stream as audit_csv_stream, require_auditor},
    auth::Principal,
    directory::{
        export::{self as directory_export, ExportFilter},
        import::DirectoryKind,
        schools::stage_filter,
        service::node_in_area,
    },
    platform::{
        error::{AppError, AppResult},
        i18n::{catalogue::exports as m, t},
        tabular::{FileFormat, XLSX_CONTENT_TYPE},
    },
    reports::annual::{self, AnnualQuery},
};

/// A made file: whole, or a stream of chunks (the audit log, which may be long).
pub enum Content {
    Whole(Vec<u8>),
    Stream(BoxStream<'static, std::io::Result<Bytes>>),
}

/// The file of an export, with its name and type and, where the service counts them, its rows.
pub struct Produced {
    pub content: Content,
    pub filename: String,
    pub content_type: &'static str,
    pub rows: Option<u64>,
}

/// The kind's name in the current language (for file lists and mails).
pub fn kind_label(kind: ExportKind) -> String {
    match kind {
        ExportKind::Schools => t(m::KindSchools),
        ExportKind::Teachers => t(m::KindTeachers),
        ExportKind::ProgramReport => t(m::KindProgramReport),
        ExportKind::ProgramTeachers => t(m::KindProgramTeachers),
        ExportKind::CompetencyReport => t(m::KindCompetencyReport),
        ExportKind::AnnualReport => t(m::KindAnnualReport),
        ExportKind::QuestionBank => t(m::KindQuestionBank),
        ExportKind::AuditEntries => t(m::KindAuditEntries),
        ExportKind::MinistryList => t(m::KindMinistryList),
    }
}

/// Whether `principal` may ask for this export now: the permission, scope and second-factor checks of the export
/// operation it stands for, without making the file.
pub async fn check(state: &AppState, principal: &Principal, order: &ExportOrder) -> AppResult<()> {
    order.validate()?;
    let p = &order.params;
    match order.kind {
        ExportKind::Schools | ExportKind::Teachers => {
            if principal.scope(Permission::ExportRun).is_empty() {
                return Err(AppError::Forbidden);
            }
            directory_filter(p)?;
            if let Some(id) = p.school_id {
                let school = entity::school::Entity::find_by_id(id)
                    .one(&state.db)
                    .await?;
                if !school.is_some_and(|s| principal.can(Permission::ExportRun, &s.path)) {
                    return Err(unknown("school_id"));
                }
            }
        }
        ExportKind::ProgramReport | ExportKind::ProgramTeachers => {
            let program_id = p.program_id.unwrap_or_default();
            crate::training::programs::find_visible(&state.db, principal, program_id)
                .await
                .map_err(|e| named(e, "program_id"))?;
            node_in_area(state, principal, p.node.clone(), Permission::ProgramManage)
                .await
                .map_err(|e| named(e, "node"))?;
        }
        ExportKind::CompetencyReport => {
            node_in_area(state, principal, p.node.clone(), Permission::CompetencyRead)
                .await
                .map_err(|e| named(e, "node"))?;
        }
        ExportKind::AnnualReport => {
            node_in_area(state, principal, p.node.clone(), annual::REPORT_PERMISSION)
                .await
                .map_err(|e| named(e, "node"))?;
        }
        ExportKind::QuestionBank => principal.require_somewhere(Permission::QuestionManage)?,
        ExportKind::AuditEntries => {
            require_auditor(principal)?;
            audit_filter(p).condition()?;
        }
        ExportKind::MinistryList => {
            if !principal.can_at_root(Permission::LessonRound) {
                return Err(AppError::Forbidden);
            }
            entity::lesson_activity::Entity::find_by_id(p.activity_id.unwrap_or_default())
                .one(&state.db)
                .await?
                .ok_or_else(|| unknown("activity_id"))?;
        }
    }
    // Teachers' rows are personal data: a fresh second factor when asking, as for the direct export.
    if matches!(
        order.kind,
        ExportKind::Teachers | ExportKind::ProgramTeachers
    ) {
        principal.require_step_up(&state.config)?;
    }
    Ok(())
}

/// A parameter naming something the caller cannot see (or that does not exist): 422 naming it, so the form can
/// say which.
fn unknown(field: &str) -> AppError {
    AppError::field(format!("params.{field}"), m::ParamUnknown)
}

/// The 404 of a lookup made for a parameter, as that parameter's 422.
fn named(e: AppError, field: &str) -> AppError {
    match e {
        AppError::NotFound => unknown(field),
        other => other,
    }
}

/// Makes the file, as `principal`.
pub async fn produce(
    state: &AppState,
    principal: &Principal,
    order: &ExportOrder,
) -> AppResult<Produced> {
    let format = order.format();
    let p = &order.params;
    let spreadsheet = |data: Vec<u8>, filename: String, rows: Option<u64>| Produced {
        content: Content::Whole(data),
        filename,
        content_type: format.content_type(),
        rows,
    };
    Ok(match order.kind {
        ExportKind::Schools | ExportKind::Teachers => {
            let kind = if order.kind == ExportKind::Schools {
                DirectoryKind::Schools
            } else {
                DirectoryKind::Teachers
            };
            let file =
                directory_export::export(state, principal, kind, format, directory_filter(p)?)
                    .await?;
            spreadsheet(file.data, file.filename, Some(file.rows))
        }
        ExportKind::ProgramReport => {
            let program_id = p.program_id.unwrap_or_default();
            let report =
                crate::training::report::report(state, principal, program_id, p.node.clone())
                    .await?;
            let data = crate::training::report::to_file(&report, format)?;
            let name = format!(
                "completion-{program_id}-{}.{}",
                report.node_code,
                format.extension()
            );
            spreadsheet(data, name, Some(report.rows.len() as u64))
        }
        ExportKind::ProgramTeachers => {
            let program_id = p.program_id.unwrap_or_default();
            let (code, data, rows) = crate::training::report::teacher_detail(
                state,
                principal,
                program_id,
                p.node.clone(),
                format,
            )
            .await?;
            let name = format!("teachers-{program_id}-{code}.{}", format.extension());
            spreadsheet(data, name, Some(rows))
        }
        ExportKind::CompetencyReport => {
            let year = p.year.unwrap_or_default();
            let report =
                crate::competency::report::report(state, principal, p.node.clone(), year).await?;
            let data = crate::competency::report::to_file(&report, format)?;
            let rows = (report.regions.len() + report.points.len()) as u64;
            let name = format!(
                "competency-{year}-{}.{}",
                report.node_code,
                format.extension()
            );
            spreadsheet(data, name, Some(rows))
        }
        ExportKind::AnnualReport => {
            let query = AnnualQuery {
                year: p.year.unwrap_or_default(),
                node: p.node.clone(),
                hide_empty: p.hide_empty.unwrap_or(false),
                page: None,
                page_size: None,
            };
            let report = annual::report(state, principal, query).await?;
            let data = crate::reports::files::annual_to_file(&report, format)?;
            let name = format!(
                "annual-{}-{}.{}",
                report.year,
                report.node_code,
                format.extension()
            );
            spreadsheet(data, name, None)
        }
        ExportKind::QuestionBank => {
            let filter = QuestionFilter {
                kind: p.question_kind,
                subject: p.subject.clone(),
                tag: p.tag.clone(),
                ..Default::default()
            };
            let data = bank::export(state.reads(), principal, filter, format).await?;
            spreadsheet(data, format!("questions.{}", format.extension()), None)
        }
        ExportKind::AuditEntries => {
            require_auditor(principal)?;
            let condition = audit_filter(p).condition()?;
            Produced {
                content: Content::Stream(Box::pin(audit_csv_stream(
                    state.reads().clone(),
                    condition,
                ))),
                filename: format!("audit-{}.csv", chrono::Utc::now().format("%Y%m%d-%H%M%S")),
                content_type: FileFormat::Csv.content_type(),
                rows: None,
            }
        }
        ExportKind::MinistryList => {
            let activity_id = p.activity_id.unwrap_or_default();
            let (data, filename) =
                crate::lessons::publicity::ministry_export(state, principal, activity_id).await?;
            Produced {
                content: Content::Whole(data),
                filename,
                content_type: XLSX_CONTENT_TYPE,
                rows: None,
            }
        }
    })
}

fn directory_filter(p: &ExportParams) -> AppResult<ExportFilter> {
    Ok(ExportFilter {
        region: p.region.clone(),
        stage: stage_filter(p.stage.clone())?,
        urban_rural: p.urban_rural,
        teaching_point: p.teaching_point,
        school_id: p.school_id,
        subject: p.subject.clone(),
        active: p.active,
        keyword: p.keyword.clone(),
    })
}

fn audit_filter(p: &ExportParams) -> EntryFilter {
    EntryFilter {
        actor: p.actor.clone(),
        action: p.action.clone(),
        target_type: p.target_type.clone(),
        target_id: p.target_id.clone(),
        from: p.from,
        to: p.to,
        ip: p.ip.clone(),
    }
}
