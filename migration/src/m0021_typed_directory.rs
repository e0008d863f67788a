//! The directory's stage and gender columns store their enum values instead of Chinese labels.
//!
//! Schools' and teachers' 学段 held the labels the API and the importer accepted (幼儿园 … 其他) and teachers'
//! gender 男 / 女; each label becomes its value. `urban_rural` already held urban | town | rural from the API and
//! the importer, but the old read took the spreadsheet labels too (城区 / 镇区 / 乡村 and 城市 / 县镇 / 农村), so
//! those are rewritten the same way. A value outside these lists never passed the application's checks: it is
//! left as it is, and reading the row fails loudly instead of the row silently becoming some other stage.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (stored label, enum value) of each 学段.
const STAGES: [(&str, &str); 10] = [
    ("幼儿园", "kindergarten"),
    ("小学", "primary"),
    ("初中", "junior_secondary"),
    ("高中", "senior_secondary"),
    ("九年一贯制", "nine_year"),
    ("十二年一贯制", "twelve_year"),
    ("完全中学", "complete_secondary"),
    ("中职", "vocational"),
    ("特殊教育", "special_education"),
    ("其他", "other"),
];

const GENDERS: [(&str, &str); 2] = [("男", "male"), ("女", "female")];

const URBAN_RURAL: [(&str, &str); 6] = [
    ("城区", "urban"),
    ("城市", "urban"),
    ("镇区", "town"),
    ("县镇", "town"),
    ("乡村", "rural"),
    ("农村", "rural"),
];

/// `UPDATE table SET column = to WHERE column = from` for each pair.
async fn rewrite(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
    pairs: impl IntoIterator<Item = (&'static str, &'static str)>,
) -> Result<(), DbErr> {
    for (from, to) in pairs {
        manager
            .exec_stmt(
                Query::update()
                    .table(Alias::new(table))
                    .value(Alias::new(column), to)
                    .and_where(Expr::col(Alias::new(column)).eq(from))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

/// The pairs the other way round, to undo a rewrite.
fn back(
    pairs: &'static [(&'static str, &'static str)],
) -> impl Iterator<Item = (&'static str, &'static str)> {
    pairs.iter().map(|&(label, value)| (value, label))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite(manager, "schools", "stage", STAGES).await?;
        rewrite(manager, "teachers", "stage", STAGES).await?;
        rewrite(manager, "teachers", "gender", GENDERS).await?;
        rewrite(manager, "schools", "urban_rural", URBAN_RURAL).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rewrite(manager, "schools", "stage", back(&STAGES)).await?;
        rewrite(manager, "teachers", "stage", back(&STAGES)).await?;
        rewrite(manager, "teachers", "gender", back(&GENDERS)).await
    }
}
