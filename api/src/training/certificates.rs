//! Certificates (培训证书): issued in the transaction that completes an enrolment, numbered, verifiable by anyone
//! with the number (showing only a masked name, the program and the status), revocable with a reason. When voided
//! hours take a completion back, its certificate is revoked with it; a later completion reinstates it.
use crate::platform::i18n;
use crate::platform::i18n::catalogue::training as tm;
use chrono::{DateTime, Utc};
use entity::{certificate, enrollment, program, teacher};
use poem_openapi::{Enum, Object};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoSimpleExpr, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::certificate_pdf::{CertificateDoc, render};
use crate::inbox::{self, NoticeKind};
use crate::{
    AppState,
    access::Permission,
    auth::Principal,
    platform::{
        audit::{self, AuditEvent},
        db::{begin_write, contains_text},
        error::{AppError, AppResult},
        paging::{Page, fetch, window},
    },
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "snake_case")]
pub enum CertificateStatus {
    Valid,
    Revoked,
}

/// What anyone holding the number may learn.
#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CertificateVerification {
    pub number: String,
    /// The holder's name with all but the first character masked.
    pub holder: String,
    pub program_name: String,
    pub program_year: i32,
    pub issued_at: DateTime<Utc>,
    pub status: CertificateStatus,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct CertificateView {
    pub number: String,
    pub teacher_id: i64,
    pub teacher_name: String,
    pub program_id: i64,
    pub program_name: String,
    pub enrollment_id: i64,
    pub issued_at: DateTime<Utc>,
    pub status: CertificateStatus,
    pub revoke_reason: Option<String>,
}

#[derive(Debug, Clone, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct RevokeRequest {
    #[oai(validator(min_length = 1, max_length = 500))]
    pub reason: String,
}

/// `张三丰` → `张**`.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

/// Crockford's base32 alphabet: no I, L, O or U, so a number read aloud or typed from paper survives.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random characters in a number: 13 × 5 = 65 bits, so guessing one from any number of addresses is hopeless
/// (the public part carries nothing else: no program or enrolment id to narrow it).
const RANDOM_CHARS: usize = 13;

/// `YX` + year + 13 random Crockford base32 characters from the thread's CSPRNG, e.g. `YX20267K3M9QX2ZB4HD`.
/// Uniqueness is the table's unique constraint; [`issue`] draws again in the (2⁻⁶⁵) case of a clash.
fn new_number(year: i32) -> String {
    let mut rng = rand::rng();
    let random: String = (0..RANDOM_CHARS)
        .map(|_| char::from(CROCKFORD[rng.random_range(0..CROCKFORD.len())]))
        .collect();
    format!("YX{year}{random}")
}

/// A number as someone typed it: case, spaces and dashes ignored, and Crockford's look-alikes (I, L → 1; O → 0)
/// read as the digits they stand for. Numbers issued before the random format hold only digits after `YX`, so
/// they normalise to themselves.
fn normalise_number(typed: &str) -> String {
    let upper: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect();
    match upper.strip_prefix("YX") {
        Some(rest) => {
            let rest: String = rest
                .chars()
                .map(|c| match c {
                    'I' | 'L' => '1',
                    'O' => '0',
                    c => c,
                })
                .collect();
            format!("YX{rest}")
        }
        None => upper,
    }
}

fn status_of(c: &certificate::Model) -> CertificateStatus {
    if c.revoked_at.is_some() {
        CertificateStatus::Revoked
    } else {
        CertificateStatus::Valid
    }
}

/// Called when an enrolment becomes complete: issues its certificate (or reinstates a revoked one) and tells the
/// teacher through the outbox.
pub async fn issue(
    db: &impl ConnectionTrait,
    e: &enrollment::Model,
    p: &program::Model,
) -> AppResult<()> {
    let existing = certificate::Entity::find()
        .filter(certificate::Column::EnrollmentId.eq(e.id))
        .one(db)
        .await?;
    let number = match existing {
        Some(c) => {
            let number = c.number.clone();
            let mut active: certificate::ActiveModel = c.into();
            active.revoked_at = Set(None);
            active.revoke_reason = Set(None);
            active.update(db).await?;
            number
        }
        None => {
            let mut number = new_number(p.year);
            while certificate::Entity::find()
                .filter(certificate::Column::Number.eq(number.as_str()))
                .one(db)
                .await?
                .is_some()
            {
                number = new_number(p.year);
            }
            certificate::ActiveModel {
                number: Set(number.clone()),
                enrollment_id: Set(e.id),
                teacher_id: Set(e.teacher_id),
                program_id: Set(p.id),
                issued_at: Set(Utc::now()),
                revoked_at: Set(None),
                revoke_reason: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await?;
            number
        }
    };
    if let Some(t) = teacher::Entity::find_by_id(e.teacher_id).one(db).await? {
        let body = i18n::t(tm::CertificateMailBody {
            name: t.name.clone(),
            value: p.name.clone(),
            code: number.clone(),
        });
        let title = i18n::t(tm::CertificateMailSubject);
        let to = inbox::Recipient::teacher(db, &t).await?;
        let notice = inbox::Notice::new(NoticeKind::Certificate, title, body).link("/certificates");
        inbox::tell(db, &to, notice).await?;
    }
    Ok(())
}

/// Revokes the enrolment's certificate, if it has a valid one (a completion taken back).
pub async fn revoke_for(
    db: &impl ConnectionTrait,
    enrollment_id: i64,
    reason: &str,
) -> AppResult<()> {
    if let Some(c) = certificate::Entity::find()
        .filter(certificate::Column::EnrollmentId.eq(enrollment_id))
        .filter(certificate::Column::RevokedAt.is_null())
        .one(db)
        .await?
    {
        let mut active: certificate::ActiveModel = c.into();
        active.revoked_at = Set(Some(Utc::now()));
        active.revoke_reason = Set(Some(reason.to_string()));
        active.update(db).await?;
    }
    Ok(())
}

async fn holder_and_program(
    db: &impl ConnectionTrait,
    c: &certificate::Model,
) -> AppResult<(Option<teacher::Model>, Option<program::Model>)> {
    Ok((
        teacher::Entity::find_by_id(c.teacher_id).one(db).await?,
        program::Entity::find_by_id(c.program_id).one(db).await?,
    ))
}

/// Public verification by number.
pub async fn verify(db: &impl ConnectionTrait, number: &str) -> AppResult<CertificateVerification> {
    let c = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(normalise_number(number)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let (t, p) = holder_and_program(db, &c).await?;
    Ok(CertificateVerification {
        status: status_of(&c),
        number: c.number,
        holder: t.map(|t| mask_name(&t.name)).unwrap_or_default(),
        program_name: p.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        program_year: p.map(|p| p.year).unwrap_or_default(),
        issued_at: c.issued_at,
        revoked_at: c.revoked_at,
    })
}

/// Views with their holder's and program's names: one query per related table however many certificates.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<certificate::Model>,
) -> AppResult<Vec<CertificateView>> {
    use std::collections::{HashMap, HashSet};
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let teachers =
        crate::directory::service::teacher_names(db, rows.iter().map(|c| c.teacher_id)).await?;
    let program_ids: HashSet<i64> = rows.iter().map(|c| c.program_id).collect();
    let programs: HashMap<i64, String> = program::Entity::find()
        .filter(program::Column::Id.is_in(program_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| CertificateView {
            status: status_of(&c),
            teacher_name: teachers.get(&c.teacher_id).cloned().unwrap_or_default(),
            program_name: programs.get(&c.program_id).cloned().unwrap_or_default(),
            number: c.number,
            teacher_id: c.teacher_id,
            program_id: c.program_id,
            enrollment_id: c.enrollment_id,
            issued_at: c.issued_at,
            revoke_reason: c.revoke_reason,
        })
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub status: Option<CertificateStatus>,
    pub program_id: Option<i64>,
    pub number: Option<String>,
}

/// My certificates (a teacher), or those of teachers in my part of the tree, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    principal: &Principal,
    filter: CertificateFilter,
    page: Option<u64>,
    page_size: Option<u64>,
) -> AppResult<Page<CertificateView>> {
    let (page, size, offset) = window(page, page_size)?;
    let visible = principal.own_or_scoped(
        Permission::ProgramManage,
        enrollment::Column::Path.into_simple_expr(),
        enrollment::Column::TeacherId.into_simple_expr(),
    );
    let enrolments = enrollment::Entity::find()
        .select_only()
        .column(enrollment::Column::Id)
        .filter(visible);
    let mut q = certificate::Entity::find().filter(
        certificate::Column::EnrollmentId.in_subquery(sea_orm::QueryTrait::into_query(enrolments)),
    );
    q = match filter.status {
        Some(CertificateStatus::Valid) => q.filter(certificate::Column::RevokedAt.is_null()),
        Some(CertificateStatus::Revoked) => q.filter(certificate::Column::RevokedAt.is_not_null()),
        None => q,
    };
    if let Some(p) = filter.program_id {
        q = q.filter(certificate::Column::ProgramId.eq(p));
    }
    if let Some(n) = filter
        .number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        q = q.filter(contains_text(certificate::Column::Number, n));
    }
    let (rows, total) = fetch(db, q.order_by_desc(certificate::Column::Id), offset, size).await?;
    Ok(Page {
        items: views(db, rows).await?,
        total: total.count,
        total_exact: total.exact,
        page,
        page_size: size,
    })
}

/// The certificate as a PDF, for its holder or an administrator over them (audited when someone else's).
pub async fn pdf(
    state: &AppState,
    principal: &Principal,
    number: &str,
) -> AppResult<(String, Vec<u8>)> {
    let c = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(normalise_number(number)))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = enrollment::Entity::find_by_id(c.enrollment_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !principal.owns_or_can(Permission::ProgramManage, e.teacher_id, &e.path) {
        return Err(AppError::NotFound);
    }
    let (t, p) = holder_and_program(&state.db, &c).await?;
    let (t, p) = (t.ok_or(AppError::NotFound)?, p.ok_or(AppError::NotFound)?);
    let issuer = crate::directory::service::node_name(state, &p.owner_code).await?;
    let doc = CertificateDoc {
        number: c.number.clone(),
        holder: t.name,
        program_name: p.name,
        program_year: p.year,
        hours: f64::from(e.counted_hours) / 2.0,
        issued_on: c.issued_at.format("%Y-%m-%d").to_string(),
        // The issuing authority as the (Chinese) certificate names it.
        issuer: format!("{issuer}教育主管部门"),
        verify_url: format!(
            "{}/verify/{}",
            state.config.public_url.trim_end_matches('/'),
            c.number
        ),
        revoked: c.revoked_at.is_some(),
    };
    if principal.teacher_id != Some(e.teacher_id) {
        let txn = begin_write(&state.db).await?;
        audit::record(
            &txn,
            Some(principal),
            AuditEvent {
                action: "certificate.download",
                target_type: "certificate",
                target_id: Some(c.number.clone()),
                target_path: Some(e.path.clone()),
                detail: serde_json::json!({}),
            },
        )
        .await?;
        txn.commit().await?;
    }
    let font = state.pdf_fonts.cjk();
    // Cutting the font subset reads a font of many megabytes: keep it off the request threads.
    let pdf = tokio::task::spawn_blocking(move || render(&doc, font.as_deref()))
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("certificate rendering: {e}")))?;
    Ok((format!("certificate-{}.pdf", c.number), pdf))
}

/// An administrator over the teacher revokes a certificate, with a reason.
pub async fn revoke(
    db: &sea_orm::DatabaseConnection,
    principal: &Principal,
    number: &str,
    req: RevokeRequest,
) -> AppResult<CertificateView> {
    let c = certificate::Entity::find()
        .filter(certificate::Column::Number.eq(normalise_number(number)))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let e = enrollment::Entity::find_by_id(c.enrollment_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !principal.owns_or_can(Permission::ProgramManage, e.teacher_id, &e.path) {
        return Err(AppError::NotFound);
    }
    if !principal.can(Permission::ProgramManage, &e.path) {
        return Err(AppError::Forbidden);
    }
    if c.revoked_at.is_some() {
        return Err(AppError::conflict("status", tm::CertificateRevoked));
    }
    let txn = begin_write(db).await?;
    revoke_for(&txn, e.id, req.reason.trim()).await?;
    audit::record(
        &txn,
        Some(principal),
        AuditEvent {
            action: "certificate.revoke",
            target_type: "certificate",
            target_id: Some(c.number.clone()),
            target_path: Some(e.path.clone()),
            detail: serde_json::json!({ "reason": req.reason }),
        },
    )
    .await?;
    txn.commit().await?;
    let updated = certificate::Entity::find_by_id(c.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    views(db, vec![updated])
        .await?
        .pop()
        .ok_or_else(|| AppError::internal("certificate view"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_masked_and_numbers_carry_their_parts() {
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
    }

    #[test]
    fn numbers_carry_65_random_bits_in_crockford_base32() {
        let numbers: Vec<String> = (0..1000).map(|_| new_number(2026)).collect();
        for n in &numbers {
            assert_eq!(n.len(), 2 + 4 + RANDOM_CHARS, "{n}");
            assert!(n.starts_with("YX2026"), "{n}");
            assert!(n[6..].bytes().all(|b| CROCKFORD.contains(&b)), "{n}");
            assert_eq!(normalise_number(n), *n);
        }
        let distinct: std::collections::BTreeSet<&String> = numbers.iter().collect();
        assert_eq!(distinct.len(), numbers.len());
        // Every symbol turns up in every position: the random part is not a narrower alphabet.
        for position in 6..6 + RANDOM_CHARS {
            let seen: std::collections::BTreeSet<u8> =
                numbers.iter().map(|n| n.as_bytes()[position]).collect();
            assert_eq!(seen.len(), 32, "position {position}");
        }
    }

    #[test]
    fn typed_numbers_are_normalised() {
        assert_eq!(
            normalise_number(" yx2026-7k3m 9qx2zb4hd "),
            "YX20267K3M9QX2ZB4HD"
        );
        assert_eq!(normalise_number("YX2026OIL"), "YX2026011");
        assert_eq!(
            normalise_number("yx2026000100000011234"),
            "YX2026000100000011234"
        );
    }
}
