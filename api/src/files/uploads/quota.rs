//! The upload quota: bytes a teacher holds or has announced, checked one upload at a time per owner.
#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn mb(bytes: u64) -> String {
    format!("{:.0} MB", bytes as f64 / 1024.0 / 1024.0)
}

/// Bytes a teacher (or, without a teacher record, an account) holds or has announced: completed lesson files
/// plus the lengths of unfinished uploads.
pub(super) async fn quota_used(
    db: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
) -> AppResult<u64> {
    let files = file::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(size), 0) AS BIGINT)"),
            "total",
        )
        .filter(file::Column::Purpose.eq(FilePurpose::Lesson));
    let files = match teacher_id {
        Some(t) => files.filter(file::Column::TeacherId.eq(t)),
        None => files
            .filter(file::Column::UploadedBy.eq(account_id))
            .filter(file::Column::TeacherId.is_null()),
    };
    let pending = upload::Entity::find()
        .select_only()
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(length), 0) AS BIGINT)"),
            "total",
        )
        .filter(upload::Column::FileId.is_null());
    let pending = match teacher_id {
        Some(t) => pending.filter(upload::Column::TeacherId.eq(t)),
        None => pending
            .filter(upload::Column::AccountId.eq(account_id))
            .filter(upload::Column::TeacherId.is_null()),
    };
    // SUM is NUMERIC on PostgreSQL: cast to BIGINT so both engines answer an integer.
    let files: Option<i64> = files.into_tuple().one(db).await?;
    let pending: Option<i64> = pending.into_tuple().one(db).await?;
    let total = files.unwrap_or(0).saturating_add(pending.unwrap_or(0));
    Ok(u64::try_from(total).unwrap_or(0))
}

/// Who a quota belongs to: the teacher, or (without a teacher record) the uploading account.
pub(super) fn quota_owner(teacher_id: Option<i64>, account_id: i64) -> String {
    match teacher_id {
        Some(t) => format!("teacher:{t}"),
        None => format!("account:{account_id}"),
    }
}

/// Takes the owner's turn for a quota decision inside `txn`. Updating the owner's row holds its lock until the
/// transaction ends (PostgreSQL; SQLite's write transactions run one at a time anyway), so two instances deciding
/// for the same teacher take turns, and the second one's sum — read after the first committed — includes the
/// first one's reservation. Without the turn both read the same sum and both pass.
pub(super) async fn take_quota_turn(
    txn: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
) -> AppResult<()> {
    // Scoped here: ExprTrait's `min`/`add` would shadow the integer ones elsewhere in this module.
    use sea_orm::ExprTrait;
    let key = quota_owner(teacher_id, account_id);
    let now = Utc::now();
    upload_quota_owner::Entity::insert(upload_quota_owner::ActiveModel {
        owner_key: Set(key.clone()),
        decisions: Set(0),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(upload_quota_owner::Column::OwnerKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    upload_quota_owner::Entity::update_many()
        .col_expr(
            upload_quota_owner::Column::Decisions,
            Expr::col(upload_quota_owner::Column::Decisions).add(1),
        )
        .col_expr(upload_quota_owner::Column::UpdatedAt, Expr::value(now))
        .filter(upload_quota_owner::Column::OwnerKey.eq(key))
        .exec(txn)
        .await?;
    Ok(())
}

/// Reserves `length` bytes of the owner's lesson quota, or fails with 413 when they would take the owner over it.
/// Call it in the write transaction that records the reservation (the upload session, or the file row): the
/// reservation is that row, released when an unfinished session is terminated or expires, and turned into usage
/// when the session completes (its file row replaces it in the same transaction).
pub(crate) async fn check_quota(
    state: &AppState,
    txn: &impl ConnectionTrait,
    teacher_id: Option<i64>,
    account_id: i64,
    length: u64,
) -> AppResult<()> {
    take_quota_turn(txn, teacher_id, account_id).await?;
    let quota = state.config.teacher_upload_quota_bytes;
    let used = quota_used(txn, teacher_id, account_id).await?;
    if used.saturating_add(length) > quota {
        return Err(AppError::TooLarge(
            fm::UploadQuotaExceeded {
                allowed: mb(quota),
                used: mb(used),
                size: mb(length),
            }
            .into(),
        ));
    }
    Ok(())
}
