//! The worker's side of a background export: make the file as its owner, store it, finish the row.
use entity::export::{self, ExportStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{
    params::{ExportOrder, format_of},
    produce::produce,
    service::{self, FinishedFile},
};
use crate::{
    AppState,
    auth::load_principal,
    platform::{
        error::AppError,
        i18n::{self, catalogue::exports as m, t},
        jobs::{JobFuture, JobHandler, JobKind, Outcome},
    },
};

/// Runs `export` jobs; it needs the whole application state (storage, settings, keys), not only the database.
pub struct ExportJobs {
    pub state: AppState,
}

impl JobHandler for ExportJobs {
    fn kind(&self) -> JobKind {
        JobKind::Export
    }

    fn run<'a>(&'a self, _db: &'a DatabaseConnection, payload: &'a str) -> JobFuture<'a> {
        Box::pin(async move {
            let v: serde_json::Value = serde_json::from_str(payload)?;
            let context = i18n::RequestContext {
                lang: i18n::Lang::parse(v["lang"].as_str().unwrap_or_default()),
                request_id: None,
            };
            let id = v["export_id"].as_str().unwrap_or_default().to_string();
            i18n::scope(context, run_export(&self.state, &id)).await?;
            Ok(Outcome::Done)
        })
    }
}

/// Makes one export. A refusal of the export itself (the owner no longer sees what was asked, or is no longer
/// active) fails the export for good; a failure of the database or the object store is the job's to retry, and
/// the export waits as `queued` meanwhile.
pub async fn run_export(state: &AppState, id: &str) -> anyhow::Result<()> {
    let Some(row) = export::Entity::find_by_id(id.to_string())
        .one(&state.db)
        .await?
    else {
        return Ok(()); // removed by its owner before it was made
    };
    if !matches!(row.status, ExportStatus::Queued | ExportStatus::Running) {
        return Ok(()); // made (or given up) by an earlier run of this job
    }
    set_status(&state.db, &row, ExportStatus::Running).await?;
    let Some((principal, _)) = load_principal(&state.db, row.account_id).await? else {
        service::fail(state, &row, &t(m::AccountInactive)).await?;
        return Ok(());
    };
    let order = ExportOrder {
        kind: row.kind,
        format: Some(format_of(&row.format)),
        params: serde_json::from_str(&row.params).unwrap_or_default(),
    };
    let produced = match produce(state, &principal, &order).await {
        Ok(p) => p,
        Err(e @ (AppError::Db(_) | AppError::Internal(_))) => {
            set_status(&state.db, &row, ExportStatus::Queued).await?;
            return Err(anyhow::anyhow!("export {id}: {e}"));
        }
        Err(refused) => {
            service::fail(state, &row, &refused.problem().detail).await?;
            return Ok(());
        }
    };
    let key = format!("exports/{id}.{}", extension_of(&produced.filename));
    let (filename, content_type, rows) = (
        produced.filename.clone(),
        produced.content_type,
        produced.rows,
    );
    let size = match service::store(state, &key, produced).await {
        Ok(size) => size,
        Err(e) => {
            set_status(&state.db, &row, ExportStatus::Queued).await?;
            return Err(e);
        }
    };
    let file = FinishedFile {
        key: key.clone(),
        filename,
        content_type,
        size,
        rows,
    };
    if !service::finish(state, &principal, &row, file).await? {
        // Removed while it was being made: the file has no row to belong to.
        let _ = state.storage.delete(&key).await;
    }
    Ok(())
}

async fn set_status(
    db: &DatabaseConnection,
    row: &export::Model,
    status: ExportStatus,
) -> Result<(), sea_orm::DbErr> {
    let started = (status == ExportStatus::Running).then(chrono::Utc::now);
    export::Entity::update_many()
        .set(export::ActiveModel {
            status: Set(status),
            started_at: Set(started),
            ..Default::default()
        })
        .filter(export::Column::Id.eq(row.id.as_str()))
        .filter(export::Column::Status.is_in([ExportStatus::Queued, ExportStatus::Running]))
        .exec(db)
        .await
        .map(|_| ())
}

fn extension_of(filename: &str) -> &str {
    filename
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|ext| ext.len() <= 8 && ext.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("bin")
}
