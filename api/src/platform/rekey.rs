//! `yanxiu rekey`: moves every sealed personal field and its lookup hash to the current suite and key version.
//!
//! Idempotent and resumable: it selects only rows whose sealed values do not carry the current prefix
//! (`v2.<suite>.<version>.`), walking each table by id in batches, one short write transaction per batch, so the
//! server keeps running. A row changed by the application between the read and the write is left alone (it was
//! written with the current keys by then, or a later run picks it up).
use std::time::Instant;

use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Statement, Value};

use crate::platform::{
    crypto::Keys,
    db::{begin_write, placeholders},
};

/// One sealed column and the keyed hash kept beside it for exact lookup (if any).
pub struct SealedColumn {
    pub sealed: &'static str,
    pub hash: Option<&'static str>,
}

/// A table holding sealed personal data. The first column changes whenever the application writes the row's
/// personal fields (every seal has a fresh nonce), so it tells whether a row changed while being rekeyed; rows
/// where it is NULL are not rekeyed, so it should be the column that is always set.
pub struct SealedTable {
    pub table: &'static str,
    /// The table's integer key, walked in order.
    pub key: &'static str,
    pub columns: &'static [SealedColumn],
}

/// Every place personal data is sealed.
pub const SEALED_TABLES: &[SealedTable] = &[
    SealedTable {
        table: "teachers",
        key: "id",
        columns: &[
            SealedColumn {
                sealed: "id_card_enc",
                hash: Some("id_card_hash"),
            },
            SealedColumn {
                sealed: "phone_enc",
                hash: Some("phone_hash"),
            },
        ],
    },
    // TOTP secrets: the confirmed one and an enrolment in progress (either may be empty).
    SealedTable {
        table: "second_factors",
        key: "account_id",
        columns: &[
            SealedColumn {
                sealed: "secret_enc",
                hash: None,
            },
            SealedColumn {
                sealed: "pending_secret_enc",
                hash: None,
            },
        ],
    },
];

/// Rows per batch (and per write transaction) unless told otherwise.
pub const DEFAULT_BATCH: usize = 5_000;

#[derive(Debug, Default, Clone)]
pub struct RekeySummary {
    /// Rows rewritten under the current suite and key.
    pub rows: u64,
    /// Rows the application changed between our read and our write (left as the application wrote them).
    pub changed_meanwhile: u64,
    pub batches: u64,
    pub seconds: f64,
}

impl RekeySummary {
    pub fn rows_per_second(&self) -> f64 {
        self.rows as f64 / self.seconds.max(1e-9)
    }
}

/// Progress after each batch: the table, the last id reached and the running totals.
pub struct Progress<'a> {
    pub table: &'a str,
    pub last_id: i64,
    pub summary: &'a RekeySummary,
}

/// Rekeys every sealed table; `on_batch` hears about each batch.
pub async fn rekey(
    db: &DatabaseConnection,
    keys: &Keys,
    batch: usize,
    mut on_batch: impl FnMut(&Progress<'_>),
) -> anyhow::Result<RekeySummary> {
    let started = Instant::now();
    let mut summary = RekeySummary::default();
    let batch = batch.max(1);
    for table in SEALED_TABLES {
        let mut last_id = 0i64;
        loop {
            let rows = outdated_rows(db, keys, table, last_id, batch).await?;
            let Some(last) = rows.last() else { break };
            last_id = last.id;
            let txn = begin_write(db).await?;
            let written = write_batch(&txn, keys, table, &rows).await?;
            txn.commit().await?;
            summary.rows += written;
            summary.changed_meanwhile += rows.len() as u64 - written;
            summary.batches += 1;
            summary.seconds = started.elapsed().as_secs_f64();
            on_batch(&Progress {
                table: table.table,
                last_id,
                summary: &summary,
            });
        }
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

/// Rekeys the given rows of `table` now, inside the caller's transaction: a write that matches rows by their
/// current lookup hash (an import's upsert) first brings the rows it found under an older hash up to date.
pub async fn rekey_rows(
    db: &impl ConnectionTrait,
    keys: &Keys,
    table: &SealedTable,
    ids: &[i64],
) -> anyhow::Result<()> {
    for chunk in ids.chunks(DEFAULT_BATCH) {
        let rows = read_rows(db, table, chunk).await?;
        write_batch(db, keys, table, &rows).await?;
    }
    Ok(())
}

/// The sealed table of teachers.
pub fn teachers() -> &'static SealedTable {
    &SEALED_TABLES[0]
}

struct SealedRow {
    id: i64,
    values: Vec<Option<String>>,
}

fn column_list(table: &SealedTable) -> String {
    table
        .columns
        .iter()
        .map(|c| c.sealed)
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_row(row: &QueryResult, table: &SealedTable) -> Result<SealedRow, sea_orm::DbErr> {
    let mut values = Vec::with_capacity(table.columns.len());
    for c in table.columns {
        values.push(row.try_get::<Option<String>>("", c.sealed)?);
    }
    Ok(SealedRow {
        id: row.try_get("", "id")?,
        values,
    })
}

/// The next `batch` rows after `after_id` with a sealed value not under the current suite and key.
async fn outdated_rows(
    db: &DatabaseConnection,
    keys: &Keys,
    table: &SealedTable,
    after_id: i64,
    batch: usize,
) -> anyhow::Result<Vec<SealedRow>> {
    let backend = db.get_database_backend();
    // Placeholders in the order they appear (SQLite's `?` are positional): the id, one pattern per column, the limit.
    let n = table.columns.len();
    let p = placeholders(backend, n + 2);
    let outdated = table
        .columns
        .iter()
        .zip(&p[1..=n])
        .map(|(c, ph)| format!("({0} IS NOT NULL AND {0} NOT LIKE {ph})", c.sealed))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "SELECT {key} AS id, {cols} FROM {t} WHERE {key} > {after} AND ({outdated}) ORDER BY {key} \
         LIMIT {limit}",
        key = table.key,
        cols = column_list(table),
        t = table.table,
        after = p[0],
        limit = p[n + 1],
    );
    let pattern = format!("{}%", keys.current_prefix());
    let mut values: Vec<Value> = vec![after_id.into()];
    values.extend(table.columns.iter().map(|_| Value::from(pattern.clone())));
    values.push((batch as i64).into());
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(rows
        .iter()
        .map(|r| read_row(r, table))
        .collect::<Result<_, _>>()?)
}

async fn read_rows(
    db: &impl ConnectionTrait,
    table: &SealedTable,
    ids: &[i64],
) -> anyhow::Result<Vec<SealedRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    let sql = format!(
        "SELECT {key} AS id, {cols} FROM {t} WHERE {key} IN ({list}) ORDER BY {key}",
        key = table.key,
        cols = column_list(table),
        t = table.table,
        list = placeholders(backend, ids.len()).join(", "),
    );
    let values: Vec<Value> = ids.iter().map(|&id| id.into()).collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(rows
        .iter()
        .map(|r| read_row(r, table))
        .collect::<Result<_, _>>()?)
}

/// Reseals and rehashes `rows` in one statement; a row whose first sealed column no longer holds what was read
/// is skipped. Returns how many rows were written.
async fn write_batch(
    db: &impl ConnectionTrait,
    keys: &Keys,
    table: &SealedTable,
    rows: &[SealedRow],
) -> anyhow::Result<u64> {
    if rows.is_empty() {
        return Ok(0);
    }
    let backend = db.get_database_backend();
    // Per row: id, the first sealed value as read, then (sealed, hash) per column.
    let width = 2 + 2 * table.columns.len();
    let mut values: Vec<Value> = Vec::with_capacity(rows.len() * width);
    for row in rows {
        values.push(row.id.into());
        values.push(row.values[0].clone().into());
        for (column, sealed) in table.columns.iter().zip(&row.values) {
            let plain = sealed
                .as_deref()
                .map(|s| {
                    keys.decrypt(s).map_err(|e| {
                        anyhow::anyhow!("{}.{} of row {}: {e}", table.table, column.sealed, row.id)
                    })
                })
                .transpose()?;
            values.push(plain.as_deref().map(|p| keys.encrypt(p)).into());
            values.push(plain.as_deref().map(|p| keys.lookup_hash(p)).into());
        }
    }
    let p = placeholders(backend, values.len());
    let tuples = p
        .chunks(width)
        .map(|c| format!("({})", c.join(", ")))
        .collect::<Vec<_>>()
        .join(", ");
    let mut names = vec!["id".to_string(), "previous".to_string()];
    let mut sets = Vec::new();
    for (i, c) in table.columns.iter().enumerate() {
        names.push(format!("s{i}"));
        names.push(format!("h{i}"));
        sets.push(format!("{} = v.s{i}", c.sealed));
        if let Some(hash) = c.hash {
            sets.push(format!("{hash} = v.h{i}"));
        }
    }
    // The key range keeps the update on the primary key: without it SQLite may scan the whole table per batch.
    let (low, high) = rows.iter().fold((i64::MAX, i64::MIN), |(lo, hi), r| {
        (lo.min(r.id), hi.max(r.id))
    });
    let sql = format!(
        "WITH v({names}) AS (VALUES {tuples}) UPDATE {t} SET {sets} FROM v \
         WHERE {t}.{key} BETWEEN {low} AND {high} AND {t}.{key} = v.id \
         AND {t}.{first} IS NOT DISTINCT FROM v.previous",
        key = table.key,
        names = names.join(", "),
        t = table.table,
        sets = sets.join(", "),
        first = table.columns[0].sealed,
    );
    let result = db
        .execute_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    Ok(result.rows_affected())
}
