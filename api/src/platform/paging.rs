//! Shared list conventions: page/page_size with a total, and a sort direction.
//!
//! A list counts its matches only up to [`COUNT_CAP`]: past that the exact number costs a scan of every match
//! (a province's million teachers) and tells an administrator nothing a filter would not, so the page says
//! "more than" instead (`total_exact: false`). Pages end at [`MAX_PAGE`] for the same reason: reaching page N
//! reads every row before it.
use poem_openapi::{
    Enum, Object,
    types::{ParseFromJSON, ToJSON},
};

use std::collections::HashMap;

use super::error::{AppError, AppResult};

pub const MAX_PAGE_SIZE: u64 = 200;
/// The last page a list serves: with [`MAX_PAGE_SIZE`] an offset of at most 10⁵ rows, which an index walks in
/// milliseconds; whoever needs rows past it narrows the list with a filter (the refusal says so).
pub const MAX_PAGE: u64 = 500;
/// How many matches a list counts exactly; one more and the total is reported as "more than this".
pub const COUNT_CAP: u64 = 10_000;

/// How many rows match a list: exact up to [`COUNT_CAP`], otherwise [`COUNT_CAP`] + 1 standing for "more".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: u64,
    pub exact: bool,
}

impl Total {
    /// A total the list knows exactly (it holds every row, or a maintained counter gave it).
    pub fn exact(count: u64) -> Self {
        Self { count, exact: true }
    }

    /// The total of a count that stopped after `COUNT_CAP + 1` rows.
    fn capped(counted: u64) -> Self {
        Self {
            count: counted,
            exact: counted <= COUNT_CAP,
        }
    }
}

#[derive(Debug, Clone, Copy, Enum, PartialEq, Eq, Default)]
#[oai(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Asc,
    Desc,
}

impl SortOrder {
    pub fn to_sea(self) -> sea_orm::Order {
        match self {
            SortOrder::Asc => sea_orm::Order::Asc,
            SortOrder::Desc => sea_orm::Order::Desc,
        }
    }
}

/// One page of a list and the number of matches across all pages.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Page<T: ParseFromJSON + ToJSON> {
    pub items: Vec<T>,
    /// The number of matches when `total_exact`; otherwise a lower bound ("more than `total` − 1").
    pub total: u64,
    /// False when the list stopped counting at its cap: there are at least `total` matches.
    pub total_exact: bool,
    pub page: u64,
    pub page_size: u64,
}

impl<T: ParseFromJSON + ToJSON> Page<T> {
    pub fn new(items: Vec<T>, total: Total, page: u64, page_size: u64) -> Self {
        Self {
            items,
            total: total.count,
            total_exact: total.exact,
            page,
            page_size,
        }
    }
}

/// Counts the rows of `q` up to the cap and fetches the requested window of them, in the order the caller set.
pub async fn fetch<E>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
    offset: u64,
    size: u64,
) -> Result<(Vec<E::Model>, Total), sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::QuerySelect;
    let total = count_capped(db, q.clone()).await?;
    let rows = q.offset(offset).limit(size).all(db).await?;
    Ok((rows, total))
}

/// `SELECT COUNT(*) FROM (SELECT 1 … LIMIT cap + 1)`: the engine stops reading after the cap, whichever index it
/// walks, instead of visiting every match.
pub async fn count_capped<E>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
) -> Result<Total, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{
        QueryTrait,
        sea_query::{Expr, SelectStatement},
    };
    let mut matches = q.into_query();
    matches
        .clear_selects()
        .clear_order_by()
        .expr(Expr::val(1))
        .limit(COUNT_CAP + 1);
    let count = SelectStatement::new()
        .expr_as(Expr::cust("COUNT(*)"), "n")
        .from_subquery(matches, "capped")
        .to_owned();
    let counted = match db.query_one(&count).await? {
        Some(row) => row.try_get::<i64>("", "n")?,
        None => 0,
    };
    Ok(Total::capped(u64::try_from(counted).unwrap_or_default()))
}

/// The rows of `select` whose `column` is one of `keys`, by `key` of each: what the rows of a page refer to, in one
/// statement however long the page. With several rows per key the last one wins; see [`lookup_all`].
pub async fn lookup<E>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    column: E::Column,
    keys: impl IntoIterator<Item = i64>,
    key: impl Fn(&E::Model) -> i64,
) -> Result<HashMap<i64, E::Model>, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    Ok(lookup_rows(db, select, column, keys)
        .await?
        .into_iter()
        .map(|m| (key(&m), m))
        .collect())
}

/// The rows of `select` whose `column` is one of `keys`, grouped by `key` in the order `select` sets: the many
/// related rows of a whole page in one statement.
pub async fn lookup_all<E>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    column: E::Column,
    keys: impl IntoIterator<Item = i64>,
    key: impl Fn(&E::Model) -> i64,
) -> Result<HashMap<i64, Vec<E::Model>>, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    let mut groups: HashMap<i64, Vec<E::Model>> = HashMap::new();
    for m in lookup_rows(db, select, column, keys).await? {
        groups.entry(key(&m)).or_default().push(m);
    }
    Ok(groups)
}

/// How many rows of `select` each of `keys` has in `column`: per-row counts of a whole page in one statement.
pub async fn count_by<E>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    column: E::Column,
    keys: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, u64>, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
{
    use sea_orm::{
        ColumnTrait, QueryFilter, QuerySelect,
        sea_query::{Expr, Func, SimpleExpr},
    };
    let keys: std::collections::BTreeSet<i64> = keys.into_iter().collect();
    let counts: Vec<(i64, i64)> = select
        .select_only()
        .column(column)
        .column_as(SimpleExpr::from(Func::count(Expr::col(column))), "n")
        .filter(column.is_in(keys))
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or_default()))
        .collect())
}

async fn lookup_rows<E>(
    db: &impl sea_orm::ConnectionTrait,
    select: sea_orm::Select<E>,
    column: E::Column,
    keys: impl IntoIterator<Item = i64>,
) -> Result<Vec<E::Model>, sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{ColumnTrait, QueryFilter};
    // Even with no keys the statement runs, so what a list costs never depends on what its rows hold.
    let keys: std::collections::BTreeSet<i64> = keys.into_iter().collect();
    select.filter(column.is_in(keys)).all(db).await
}

/// Normalises the requested page (1-based) and size into (page, size, offset). The size is clamped to
/// 1..=[`MAX_PAGE_SIZE`]; a page beyond [`MAX_PAGE`] is refused (422 naming `page`) rather than clamped, so a
/// client never mistakes the last page for the one it asked for.
pub fn window(page: Option<u64>, page_size: Option<u64>) -> AppResult<(u64, u64, u64)> {
    let page = page.unwrap_or(1).max(1);
    if page > MAX_PAGE {
        return Err(AppError::field(
            "page",
            crate::platform::i18n::catalogue::platform::PageTooLarge {
                max: MAX_PAGE as f64,
            },
        ));
    }
    let size = page_size.unwrap_or(20).clamp(1, MAX_PAGE_SIZE);
    // Both factors are bounded above, so this cannot overflow; saturating keeps it so if the bounds change.
    Ok((page, size, (page - 1).saturating_mul(size)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_clamps_and_offsets() {
        assert_eq!(window(None, None).ok(), Some((1, 20, 0)));
        assert_eq!(window(Some(0), Some(0)).ok(), Some((1, 1, 0)));
        assert_eq!(window(Some(3), Some(1000)).ok(), Some((3, 200, 400)));
        assert_eq!(
            window(Some(MAX_PAGE), Some(u64::MAX)).ok(),
            Some((MAX_PAGE, MAX_PAGE_SIZE, (MAX_PAGE - 1) * MAX_PAGE_SIZE))
        );
    }

    #[test]
    fn absurd_pages_are_refused_by_field() {
        for page in [MAX_PAGE + 1, 1 << 62, u64::MAX] {
            match window(Some(page), Some(u64::MAX)) {
                Err(AppError::Validation(errors)) => assert_eq!(errors[0].field, "page"),
                other => panic!("page {page}: {other:?}"),
            }
        }
    }
}
