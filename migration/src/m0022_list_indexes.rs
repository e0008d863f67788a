//! What the everyday lists filter and sort on, at a province's scale (a million teachers, ten million hour entries).
//!
//! Scope and region filters are ranges over materialized paths (`path >= '/510000/' AND path < '/5100000'`), and
//! a name search by its start is a range over names. On PostgreSQL a range over text follows the column's
//! collation, and a linguistic one (en_US and the like) ignores '/' at first, so the range would not match the
//! subtree; LIKE 'prefix%' walks an index only under the C collation too. So the path columns, and the names the
//! lists sort and search by start, get the C collation: byte order, as on SQLite, and the same order on both
//! engines. Where the server offers pg_trgm, names get a trigram index for the search by part of a name.
use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, columns) on both engines.
const INDEXES: &[(&str, &str, &[&str])] = &[
    // Teachers sorted by name (the default) and searched by a name's start; by subject, by when they were added.
    ("idx_teachers_name", "teachers", &["name", "id"]),
    (
        "idx_teachers_subject_name",
        "teachers",
        &["subject", "name", "id"],
    ),
    ("idx_teachers_created", "teachers", &["created_at", "id"]),
    ("idx_teachers_number", "teachers", &["teacher_number"]),
    // A program's enrolments in order, all of them or those of one review status (the approval queue).
    (
        "idx_enrollments_program_id",
        "enrollments",
        &["program_id", "id"],
    ),
    (
        "idx_enrollments_program_status",
        "enrollments",
        &["program_id", "review_status", "id"],
    ),
    // The hours ledger newest first by status (the 补录 queue is the pending ones) and by the day of the training.
    ("idx_hours_status_id", "hour_entries", &["status", "id"]),
    ("idx_hours_occurred", "hour_entries", &["occurred_on", "id"]),
    // Schools sorted by name.
    ("idx_schools_name", "schools", &["name", "id"]),
];

/// Columns holding materialized paths (scope and region filters are ranges over them), and names searched by
/// their start: byte-ordered on PostgreSQL.
const C_ORDERED: &[(&str, &str)] = &[("teachers", "name"), ("schools", "name")];
const PATH_COLUMNS: [&str; 5] = [
    "path",
    "node_path",
    "owner_path",
    "scope_path",
    "target_path",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            byte_ordered_on_postgres(manager).await?;
        }
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table(Alias::new(*table)).if_not_exists();
            for column in *columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index.to_owned()).await?;
        }
        // An e-mail address is found whatever its case.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE INDEX IF NOT EXISTS idx_teachers_email ON teachers (lower(email))",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for name in INDEXES
            .iter()
            .map(|(name, ..)| *name)
            .chain(["idx_teachers_email", "idx_teachers_name_trgm"])
        {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}"))
                .await?;
        }
        // The C collation stays: it orders paths as the application compares them, whatever the schema version.
        Ok(())
    }
}

/// Every path column of the schema (whichever tables have one) and the searched names become byte-ordered; then
/// pg_trgm, when the server has it and we may create it, indexes names for the search by part of a name.
async fn byte_ordered_on_postgres(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let names: Vec<String> = PATH_COLUMNS.iter().map(|c| format!("'{c}'")).collect();
    let pairs: Vec<String> = C_ORDERED
        .iter()
        .map(|(t, c)| format!("('{t}', '{c}')"))
        .collect();
    let sql = format!(
        r#"DO $$
DECLARE c record;
BEGIN
  FOR c IN
    SELECT k.relname AS tbl, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS typ
    FROM pg_attribute a
    JOIN pg_class k ON k.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = k.relnamespace
    WHERE n.nspname = current_schema() AND k.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
      AND (a.attname IN ({names}) OR (k.relname, a.attname) IN ({pairs}))
  LOOP
    EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE %s COLLATE "C"', c.tbl, c.col, c.typ);
  END LOOP;
END $$"#,
        names = names.join(", "),
        pairs = pairs.join(", "),
    );
    let db = manager.get_connection();
    db.execute_unprepared(&sql).await?;
    // A server without the extension, or a role that may not create it, keeps the scan for parts of names.
    db.execute_unprepared(
        r#"DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX IF NOT EXISTS idx_teachers_name_trgm ON teachers USING gin (lower(name) gin_trgm_ops);
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
  RAISE NOTICE 'pg_trgm unavailable: names are searched by part without an index';
END $$"#,
    )
    .await?;
    Ok(())
}
