//! Shared list conventions: page/page_size with a total, and a sort direction.
use poem_openapi::{
    Enum, Object,
    types::{ParseFromJSON, ToJSON},
};

pub const MAX_PAGE_SIZE: u64 = 200;

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

/// One page of a list and the total count across all pages.
#[derive(Debug, Object)]
#[oai(skip_serializing_if_is_none)]
pub struct Page<T: ParseFromJSON + ToJSON> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

/// Counts all rows of `q` and fetches the requested window of them, in the order the caller set.
pub async fn fetch<E>(
    db: &impl sea_orm::ConnectionTrait,
    q: sea_orm::Select<E>,
    offset: u64,
    size: u64,
) -> Result<(Vec<E::Model>, u64), sea_orm::DbErr>
where
    E: sea_orm::EntityTrait,
    E::Model: Sync,
{
    use sea_orm::{PaginatorTrait, QuerySelect};
    let total = q.clone().count(db).await?;
    let rows = q.offset(offset).limit(size).all(db).await?;
    Ok((rows, total))
}

/// A page of fetched rows, each turned into its view by `view` (which may read related rows).
pub async fn page_of<M, T, E, F, Fut>(
    rows: Vec<M>,
    total: u64,
    (page, page_size): (u64, u64),
    mut view: F,
) -> Result<Page<T>, E>
where
    T: ParseFromJSON + ToJSON,
    F: FnMut(M) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        items.push(view(row).await?);
    }
    Ok(Page {
        items,
        total,
        page,
        page_size,
    })
}

/// Normalises the requested page (1-based) and size into (page, size, offset).
pub fn window(page: Option<u64>, page_size: Option<u64>) -> (u64, u64, u64) {
    let page = page.unwrap_or(1).max(1);
    let size = page_size.unwrap_or(20).clamp(1, MAX_PAGE_SIZE);
    (page, size, (page - 1) * size)
}

#[cfg(test)]
mod tests {
    use super::window;

    #[test]
    fn window_clamps_and_offsets() {
        assert_eq!(window(None, None), (1, 20, 0));
        assert_eq!(window(Some(0), Some(0)), (1, 1, 0));
        assert_eq!(window(Some(3), Some(1000)), (3, 200, 400));
    }
}
