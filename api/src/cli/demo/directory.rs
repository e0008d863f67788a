//! The demo directory: two cities (成都市, 绵阳市), three schools per county, eight teachers per school.
//!
//! Everything is deterministic and goes through the real import (as the province admin); when every demo school
//! and teacher is already there nothing is imported again.
use entity::{school, teacher};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    AppState,
    directory::{
        import::{self, DirectoryKind, SCHOOL_COLUMNS, TEACHER_COLUMNS},
        labels::{Stage, UrbanRural},
        regions::RegionIndex,
        validate,
    },
    platform::tabular::{ImportReport, Sheet, SheetRow},
};

pub const CITIES: [&str; 2] = ["510100", "510700"];
pub const TEACHERS_PER_SCHOOL: u32 = 8;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "罗", "高", "林", "谢", "唐", "邓", "冯",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "晓燕", "建华", "志强", "红梅", "文博", "雨欣", "思远",
    "海燕",
];
const TITLES: &[&str] = &["二级教师", "一级教师", "一级教师", "高级教师"];
const EDUCATION: &[&str] = &["本科", "本科", "本科", "硕士", "大专"];

/// (学段, 学校类别代码, name suffix, subjects taught there)
pub const SCHOOL_KINDS: [(Stage, &str, &str, &[&str]); 3] = [
    (
        Stage::Primary,
        "21",
        "第一实验小学",
        &[
            "语文",
            "数学",
            "英语",
            "科学",
            "音乐",
            "美术",
            "体育",
            "信息技术",
        ],
    ),
    (
        Stage::JuniorSecondary,
        "31",
        "第二中学",
        &[
            "语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理",
        ],
    ),
    (
        Stage::SeniorSecondary,
        "34",
        "高级中学",
        &[
            "语文",
            "数学",
            "英语",
            "物理",
            "化学",
            "政治",
            "信息技术",
            "地理",
        ],
    ),
];

/// One demo school, with what its teachers are generated from.
pub struct DemoSchool {
    pub code: String,
    pub county_code: String,
    pub stage: Stage,
    pub subjects: &'static [&'static str],
    pub row: Vec<String>,
}

/// The counties below a city, in code order.
pub fn counties_of<'a>(regions: &'a RegionIndex, city: &str) -> Vec<&'a entity::region::Model> {
    regions
        .all()
        .filter(|r| {
            r.level == entity::region::NodeLevel::County && r.parent_code.as_deref() == Some(city)
        })
        .collect()
}

/// The school code for the `index`-th school of a county: category + 51 + county digits 3-6 + 2-digit index.
pub fn school_code(category: &str, county_code: &str, index: usize) -> String {
    format!("{category}51{}{:02}", &county_code[2..6], index + 1)
}

/// Three schools per county (小学, 初中, 高中), urban/town/rural rotating between counties.
pub fn demo_schools(regions: &RegionIndex, city_codes: &[&str]) -> Vec<DemoSchool> {
    let mut schools = Vec::new();
    let mut county_index = 0usize;
    for city in city_codes {
        let city_name = regions
            .get(city)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        for county in counties_of(regions, city) {
            for (i, (stage, category, suffix, subjects)) in SCHOOL_KINDS.iter().enumerate() {
                let code = school_code(category, &county.code, i);
                let urban_rural = UrbanRural::ALL[(county_index + i) % 3];
                let teaching_point = urban_rural == UrbanRural::Rural && *stage == Stage::Primary;
                let row = vec![
                    code.clone(),
                    format!("{}{}", county.name, suffix),
                    county.code.clone(),
                    stage.to_string(),
                    urban_rural.to_string(),
                    if teaching_point { "是" } else { "否" }.to_string(),
                    format!(
                        "{city_name}{}{}路{}号",
                        county.name,
                        ["人民", "建设", "文化"][i],
                        10 + i * 7
                    ),
                ];
                schools.push(DemoSchool {
                    code,
                    county_code: county.code.clone(),
                    stage: *stage,
                    subjects,
                    row,
                });
            }
            county_index += 1;
        }
    }
    schools
}

/// The teacher rows of one school; `seed` makes names, ID numbers and phones unique and repeatable.
pub fn teacher_row(school: &DemoSchool, n: u32, seed: u32) -> Vec<String> {
    let surname = SURNAMES[(seed as usize * 7) % SURNAMES.len()];
    let given = GIVEN[(seed as usize * 13 + n as usize) % GIVEN.len()];
    let birth = import::sample_birth_date(seed);
    let id_card = validate::make_id_card(&school.county_code, birth, seed);
    let years = (2025 - chrono::Datelike::year(&birth) - 22).clamp(0, 40);
    vec![
        format!("{surname}{given}"),
        id_card,
        school.code.clone(),
        format!(
            "1{}{:09}",
            [3, 5, 8][seed as usize % 3],
            800_000_000 + seed * 37 % 199_999_999
        ),
        format!("t{seed:06}@demo.yanxiu.dev"),
        format!("T{seed:07}"),
        school.stage.to_string(),
        school.subjects[n as usize % school.subjects.len()].to_string(),
        TITLES[seed as usize % TITLES.len()].to_string(),
        EDUCATION[seed as usize % EDUCATION.len()].to_string(),
        years.to_string(),
    ]
}

fn sheet(columns: &[crate::platform::tabular::ColumnSpec], rows: Vec<Vec<String>>) -> Sheet {
    Sheet {
        headers: columns.iter().map(|c| c.zh.to_string()).collect(),
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, cells)| SheetRow {
                line: i as u64 + 2,
                cells,
            })
            .collect(),
    }
}

fn ensure_clean(what: &str, report: &ImportReport) -> anyhow::Result<()> {
    if report.committed {
        println!(
            "{what}: {} rows, {} created, {} updated",
            report.total_rows, report.created, report.updated
        );
        return Ok(());
    }
    import::print_report(report);
    anyhow::bail!("demo {what} did not import")
}

/// The teacher rows of every demo school, `TEACHERS_PER_SCHOOL` each.
pub fn demo_teachers(schools: &[DemoSchool]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        for n in 0..TEACHERS_PER_SCHOOL {
            let seed = i as u32 * TEACHERS_PER_SCHOOL + n + 1;
            rows.push(teacher_row(school, n, seed));
        }
    }
    rows
}

/// The column of a teacher row holding the 身份证号.
pub const ID_CARD: usize = 1;

/// The demo schools and teachers of both cities.
pub struct Directory {
    pub schools: Vec<DemoSchool>,
    pub teachers: Vec<Vec<String>>,
}

impl Directory {
    pub fn new(regions: &RegionIndex) -> Self {
        let schools = demo_schools(regions, &CITIES);
        let teachers = demo_teachers(&schools);
        Self { schools, teachers }
    }

    pub fn school_codes(&self) -> Vec<String> {
        self.schools.iter().map(|s| s.code.clone()).collect()
    }

    /// The lookup hashes of the demo teachers' 身份证号, which identify them in the database.
    pub fn teacher_hashes(&self, state: &AppState) -> Vec<String> {
        self.teachers
            .iter()
            .map(|row| state.keys.lookup_hash(&row[ID_CARD]))
            .collect()
    }

    /// Whether every demo school and teacher is already there (a second run then imports nothing).
    async fn in_place(&self, state: &AppState) -> anyhow::Result<bool> {
        let schools = school::Entity::find()
            .filter(school::Column::Code.is_in(self.school_codes()))
            .count(&state.db)
            .await?;
        let teachers = teacher::Entity::find()
            .filter(teacher::Column::IdCardHash.is_in(self.teacher_hashes(state)))
            .count(&state.db)
            .await?;
        Ok(schools == self.schools.len() as u64 && teachers == self.teachers.len() as u64)
    }

    /// Imports the schools, then the teachers, as the province administrator, unless they are all there.
    pub async fn import(&self, state: &AppState) -> anyhow::Result<()> {
        if self.in_place(state).await? {
            println!(
                "schools and teachers: {} and {} already in place",
                self.schools.len(),
                self.teachers.len()
            );
            return Ok(());
        }
        let admin = import::principal_by_username(&state.db, "admin").await?;
        let rows = self.schools.iter().map(|s| s.row.clone()).collect();
        let report = import::import_sheet(
            state,
            &admin,
            DirectoryKind::Schools,
            sheet(SCHOOL_COLUMNS, rows),
            false,
        )
        .await
        .map_err(|e| anyhow::anyhow!("school import: {e}"))?;
        ensure_clean("schools", &report)?;
        let report = import::import_sheet(
            state,
            &admin,
            DirectoryKind::Teachers,
            sheet(TEACHER_COLUMNS, self.teachers.clone()),
            false,
        )
        .await
        .map_err(|e| anyhow::anyhow!("teacher import: {e}"))?;
        ensure_clean("teachers", &report)
    }

    /// The teacher made from the `index`-th demo row.
    pub async fn teacher(&self, state: &AppState, index: usize) -> anyhow::Result<teacher::Model> {
        let row = &self.teachers[index];
        teacher::Entity::find()
            .filter(teacher::Column::IdCardHash.eq(state.keys.lookup_hash(&row[ID_CARD])))
            .one(&state.db)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo teacher {} missing", row[0]))
    }

    /// The index of the first teacher row of a school.
    pub fn first_teacher_of(&self, school_code: &str) -> usize {
        let i = self
            .schools
            .iter()
            .position(|s| s.code == school_code)
            .unwrap_or(0);
        i * TEACHERS_PER_SCHOOL as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_codes_are_valid_and_distinct() {
        let a = school_code("21", "510104", 0);
        let b = school_code("31", "510104", 1);
        assert_eq!(a, "2151010401");
        assert!(validate::school_code(&a, "51").is_ok());
        assert!(validate::school_code(&b, "51").is_ok());
        assert_ne!(a, b);
    }
}
