//! Demo data goes only into a database that holds nothing else: a school, teacher or program demo-data does not
//! make is real data, and the command refuses to mix its invented people into it unless told to.
use entity::{program, school, teacher};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::{directory::Directory, steps};
use crate::AppState;

/// What real data was found, by kind.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Foreign {
    pub schools: u64,
    pub teachers: u64,
    pub programs: u64,
}

impl Foreign {
    pub fn any(&self) -> bool {
        self.schools + self.teachers + self.programs > 0
    }
}

/// Counts the schools, teachers and programs that are not demo-data's own.
pub async fn foreign(state: &AppState, directory: &Directory) -> anyhow::Result<Foreign> {
    let schools = school::Entity::find()
        .filter(school::Column::Code.is_not_in(directory.school_codes()))
        .count(&state.db)
        .await?;
    let teachers = teacher::Entity::find()
        .filter(teacher::Column::IdCardHash.is_not_in(directory.teacher_hashes(state)))
        .count(&state.db)
        .await?;
    let programs = program::Entity::find()
        .filter(program::Column::Name.is_not_in(steps::PROGRAM_NAMES))
        .count(&state.db)
        .await?;
    Ok(Foreign {
        schools,
        teachers,
        programs,
    })
}

/// Refuses (an error naming what was found) when the database holds real data and `force` is not given.
pub async fn check(state: &AppState, directory: &Directory, force: bool) -> anyhow::Result<()> {
    let found = foreign(state, directory).await?;
    if !found.any() {
        return Ok(());
    }
    if force {
        println!(
            "note: the database holds data demo-data did not make ({} schools, {} teachers, {} programs); \
             adding the demo anyway (--force)",
            found.schools, found.teachers, found.programs
        );
        return Ok(());
    }
    anyhow::bail!(
        "this database holds real data: {} schools, {} teachers and {} programs that demo-data did not make. \
         Demo data is for an empty or demo-only database; run `yanxiu demo-data --force` to add it anyway.",
        found.schools,
        found.teachers,
        found.programs
    )
}
