//! Connecting to SQLite (embedded default) or PostgreSQL (production), and write transactions that behave on both.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};

use crate::platform::config::DatabasePooler;
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExprTrait,
    IntoSimpleExpr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Expr, Func, LikeExpr, SimpleExpr},
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};

pub async fn connect(
    url: &str,
    max_connections: u32,
    pooler: DatabasePooler,
) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false);
    if pooler == DatabasePooler::Session {
        // Behind a session-mode pooler each open connection holds one of its server connections: give idle ones
        // back soon, so that the instances share the pooler's server connections by load, not by who came first.
        options
            .idle_timeout(Duration::from_secs(30))
            .min_connections(0);
    }
    if url.starts_with("sqlite:") {
        options.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(15))
                .foreign_keys(true)
        });
    }
    Database::connect(options).await
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Starts a transaction that will write. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so two
/// writers queue on the busy timeout instead of failing when a read lock would have to be upgraded.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let mode = (db.get_database_backend() == DbBackend::Sqlite)
        .then_some(SqliteTransactionMode::Immediate);
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: mode,
        ..Default::default()
    })
    .await
}

/// `n` bind placeholders for hand-written SQL: `$1…$n` on PostgreSQL, `?` on SQLite.
pub fn placeholders(backend: sea_orm::DbBackend, n: usize) -> Vec<String> {
    (1..=n)
        .map(|i| {
            if backend == sea_orm::DbBackend::Postgres {
                format!("${i}")
            } else {
                "?".into()
            }
        })
        .collect()
}

/// SQL condition "`column` is `path` or below it" (paths are prefixes of their descendants) and its bind values,
/// taking one or two placeholders from `marks`: the hand-written form of [`crate::access::under`], the range over
/// byte-ordered text that walks the path index in order on both engines (PostgreSQL's path columns use the C
/// collation since m0022, so '/' orders as the range assumes).
pub fn under_path(column: &str, path: &str, marks: &[String]) -> (String, Vec<sea_orm::Value>) {
    match prefix_upper_bound(path) {
        Some(upper) => (
            format!("{column} >= {} AND {column} < {}", marks[0], marks[1]),
            vec![path.into(), upper.into()],
        ),
        None => (format!("{column} IS NOT NULL"), Vec::new()),
    }
}

/// LIKE pattern for "starts with `path`". Paths hold digits and slashes only, but keep wildcards inert all the same.
pub fn like_prefix(path: &str) -> String {
    format!("{}%", path.replace(['%', '_'], ""))
}

/// The escape character of every text search's LIKE pattern. Not a backslash: sea-query writes the ESCAPE
/// literal with its own string escaping, which would double a backslash on one engine and not the other; `!`
/// needs no escaping in either.
const LIKE_ESCAPE: char = '!';

/// `text` as a literal inside a LIKE pattern: `%`, `_` and the escape character itself lose their meaning.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    for c in text.chars() {
        if matches!(c, '%' | '_') || c == LIKE_ESCAPE {
            out.push(LIKE_ESCAPE);
        }
        out.push(c);
    }
    out
}

/// `lower(column) LIKE pattern ESCAPE '!'`. Lower-cased on both sides so a search ignores case on PostgreSQL
/// as SQLite's LIKE already does.
fn like_text(column: impl IntoSimpleExpr, pattern: String) -> SimpleExpr {
    Expr::expr(Func::lower(column.into_simple_expr()))
        .like(LikeExpr::new(pattern.to_lowercase()).escape(LIKE_ESCAPE))
}

/// "`column` contains `text`" for keyword and search filters: the text is matched literally (a `%` finds
/// names containing `%`), ignoring case. Every search filter goes through this or [`starts_with_text`].
pub fn contains_text(column: impl IntoSimpleExpr, text: &str) -> SimpleExpr {
    like_text(column, format!("%{}%", escape_like(text)))
}

/// "`column` starts with `text`", matched literally and ignoring case (e.g. a code typed in a search box).
pub fn starts_with_text(column: impl IntoSimpleExpr, text: &str) -> SimpleExpr {
    like_text(column, format!("{}%", escape_like(text)))
}

/// "`column` starts with `prefix`", exactly (case counts), as the range an index on the column answers in order:
/// every such string sorts from `prefix` up to `prefix` with its last character raised. A LIKE says the same but
/// walks no index on SQLite (its LIKE folds case) nor on PostgreSQL unless the column orders byte-wise; the
/// columns this is used on do (m0022). An empty prefix matches every non-null value.
pub fn prefix_range(column: SimpleExpr, prefix: &str) -> sea_orm::Condition {
    match prefix_upper_bound(prefix) {
        Some(upper) => sea_orm::Condition::all()
            .add(column.clone().gte(prefix))
            .add(column.lt(upper)),
        None => sea_orm::Condition::all().add(column.is_not_null()),
    }
}

/// The smallest string greater than every string starting with `prefix`: the prefix with its last character
/// moved one code point up (None when there is no such character, e.g. an empty prefix).
pub fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = char::from_u32(u32::from(last) + 1)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_upper_bound_is_just_past_every_descendant() {
        let upper = prefix_upper_bound("51/5101/").expect("a bound");
        assert_eq!(upper, "51/51010");
        assert!("51/5101/510104/" < upper.as_str());
        assert!("51/5101/" < upper.as_str());
        assert!("51/5102/" > upper.as_str());
        assert_eq!(prefix_upper_bound(""), None);
    }

    #[test]
    fn like_wildcards_in_search_text_are_literal() {
        use sea_orm::{EntityTrait, QueryFilter};
        assert_eq!(escape_like("100%_a!b"), "100!%!_a!!b");
        assert_eq!(escape_like("张三"), "张三");
        let sql = sea_orm::QueryTrait::build(
            &entity::teacher::Entity::find()
                .filter(contains_text(entity::teacher::Column::Name, "%")),
            DbBackend::Postgres,
        )
        .to_string();
        assert!(sql.contains("LIKE '%!%%' ESCAPE '!'"), "{sql}");
    }

    #[test]
    fn under_path_is_a_range_on_both_engines() {
        let marks = vec!["?".to_string(), "?".to_string()];
        let (sql, values) = under_path("t.path", "51/", &marks);
        assert_eq!(sql, "t.path >= ? AND t.path < ?");
        assert_eq!(values, vec!["51/".into(), "510".into()]);
    }
}
