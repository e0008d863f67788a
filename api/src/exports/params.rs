//! What an export is asked for with: its kind, format and the parameters of the export operation it stands for.
use chrono::{DateTime, Utc};
use entity::{export::ExportKind, question::QuestionKind};
use poem_openapi::Object;
use serde::{Deserialize, Serialize};

use crate::{
    directory::schools::UrbanRural,
    platform::{
        error::{AppError, AppResult},
        i18n::catalogue::exports as m,
        tabular::FileFormat,
    },
};

/// The parameters of the export operation a background export stands for. Each kind reads the ones it names;
/// the others are ignored.
#[derive(Debug, Clone, Default, Object, Serialize, Deserialize)]
#[oai(skip_serializing_if_is_none)]
#[serde(default)]
pub struct ExportParams {
    /// `program_report`, `program_teachers`: the program.
    pub program_id: Option<i64>,
    /// `ministry_list`: the 一师一优课 activity.
    pub activity_id: Option<i64>,
    /// `competency_report`, `annual_report`: the year.
    pub year: Option<i32>,
    /// `program_report`, `program_teachers`, `competency_report`, `annual_report`: the region or school code
    /// (default: my own).
    pub node: Option<String>,
    /// `annual_report`: leave out rows with nothing in them.
    pub hide_empty: Option<bool>,
    /// `schools`, `teachers`: only this region's subtree.
    pub region: Option<String>,
    /// `schools`, `teachers`: a 学段 value or its label.
    pub stage: Option<String>,
    /// `schools`.
    pub urban_rural: Option<UrbanRural>,
    /// `schools`.
    pub teaching_point: Option<bool>,
    /// `teachers`.
    pub school_id: Option<i64>,
    /// `teachers`, `question_bank`.
    pub subject: Option<String>,
    /// `schools`, `teachers`.
    pub active: Option<bool>,
    /// `schools`, `teachers`: as the list's search.
    pub keyword: Option<String>,
    /// `question_bank`.
    pub question_kind: Option<QuestionKind>,
    /// `question_bank`.
    pub tag: Option<String>,
    /// `audit_entries`: part of the actor's username.
    pub actor: Option<String>,
    /// `audit_entries`: the start of the action.
    pub action: Option<String>,
    /// `audit_entries`.
    pub target_type: Option<String>,
    /// `audit_entries`.
    pub target_id: Option<String>,
    /// `audit_entries`: entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// `audit_entries`: entries at or before this time.
    pub to: Option<DateTime<Utc>>,
    /// `audit_entries`: the client address exactly.
    pub ip: Option<String>,
}

/// An export to make: the kind, the file format and the export's parameters.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct ExportOrder {
    pub kind: ExportKind,
    /// `xlsx` (default) or `csv`; the audit log is CSV only.
    pub format: Option<FileFormat>,
    #[oai(default)]
    pub params: ExportParams,
}

/// Longest text a parameter may carry (a code, a name, a search word).
const MAX_TEXT: usize = 100;

impl ExportOrder {
    /// The format the file is made in: the audit log is CSV whatever was asked.
    pub fn format(&self) -> FileFormat {
        match self.kind {
            ExportKind::AuditEntries => FileFormat::Csv,
            _ => self.format.unwrap_or_default(),
        }
    }

    /// The parameters each kind cannot do without, and texts within bounds; 422 naming the field otherwise.
    pub fn validate(&self) -> AppResult<()> {
        let p = &self.params;
        let missing = |field: &str| AppError::field(format!("params.{field}"), m::ParamRequired);
        match self.kind {
            ExportKind::ProgramReport | ExportKind::ProgramTeachers if p.program_id.is_none() => {
                return Err(missing("program_id"));
            }
            ExportKind::MinistryList if p.activity_id.is_none() => {
                return Err(missing("activity_id"));
            }
            ExportKind::CompetencyReport | ExportKind::AnnualReport if p.year.is_none() => {
                return Err(missing("year"));
            }
            _ => {}
        }
        let texts = [
            ("node", &p.node),
            ("region", &p.region),
            ("stage", &p.stage),
            ("subject", &p.subject),
            ("keyword", &p.keyword),
            ("tag", &p.tag),
            ("actor", &p.actor),
            ("action", &p.action),
            ("target_type", &p.target_type),
            ("target_id", &p.target_id),
            ("ip", &p.ip),
        ];
        for (field, value) in texts {
            if value.as_ref().is_some_and(|v| v.chars().count() > MAX_TEXT) {
                return Err(AppError::field(
                    format!("params.{field}"),
                    m::ParamTooLong {
                        limit: MAX_TEXT as i64,
                    },
                ));
            }
        }
        Ok(())
    }

    /// The stored form of the parameters.
    pub fn params_json(&self) -> String {
        serde_json::to_string(&self.params).unwrap_or_else(|_| "{}".into())
    }
}

/// The file format as stored.
pub fn format_of(stored: &str) -> FileFormat {
    if stored == FileFormat::Csv.extension() {
        FileFormat::Csv
    } else {
        FileFormat::Xlsx
    }
}
