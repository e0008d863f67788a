//! `yanxiu demo-data`: two cities (成都市, 绵阳市) with schools, teachers and one account per role to try the UI.
//!
//! Everything is deterministic and goes through the real import (as the province admin), so running it twice
//! updates the same rows instead of duplicating them; existing demo accounts are left alone.
use entity::{account, school, teacher};
use sea_orm::ActiveEnum as _;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    AppState,
    access::Role,
    cli::bootstrap,
    directory::{
        import::{self, DirectoryKind, SCHOOL_COLUMNS, TEACHER_COLUMNS},
        labels::{Stage, UrbanRural},
        regions::RegionIndex,
        validate,
    },
    platform::tabular::{ImportReport, Sheet, SheetRow},
};

const CITIES: [&str; 2] = ["510100", "510700"];
const TEACHERS_PER_SCHOOL: u32 = 8;

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
const SCHOOL_KINDS: [(Stage, &str, &str, &[&str]); 3] = [
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

pub async fn fill(state: &AppState) -> anyhow::Result<()> {
    let admin = import::principal_by_username(&state.db, "admin").await?;
    let schools = demo_schools(&state.regions, &CITIES);
    let report = import::import_sheet(
        state,
        &admin,
        DirectoryKind::Schools,
        sheet(
            SCHOOL_COLUMNS,
            schools.iter().map(|s| s.row.clone()).collect(),
        ),
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("school import: {e}"))?;
    ensure_clean("schools", &report)?;

    let mut rows = Vec::new();
    for (i, school) in schools.iter().enumerate() {
        for n in 0..TEACHERS_PER_SCHOOL {
            let seed = i as u32 * TEACHERS_PER_SCHOOL + n + 1;
            rows.push(teacher_row(school, n, seed));
        }
    }
    let first_teacher_id_card = rows.first().map(|r| r[1].clone()).unwrap_or_default();
    let report = import::import_sheet(
        state,
        &admin,
        DirectoryKind::Teachers,
        sheet(TEACHER_COLUMNS, rows),
        false,
    )
    .await
    .map_err(|e| anyhow::anyhow!("teacher import: {e}"))?;
    ensure_clean("teachers", &report)?;

    // The first school of 锦江区 (510104) and its first teacher, for the school admin and teacher accounts.
    let jinjiang_school = school_code(SCHOOL_KINDS[0].1, "510104", 0);
    school::Entity::find()
        .filter(school::Column::Code.eq(jinjiang_school.clone()))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo school {jinjiang_school} missing"))?;
    let demo_teacher = teacher::Entity::find()
        .filter(teacher::Column::IdCardHash.eq(state.keys.lookup_hash(&first_teacher_id_card)))
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo teacher missing"))?;

    let password = std::env::var("YANXIU_DEMO_PASSWORD").unwrap_or_else(|_| "Yanxiu#2026".into());
    let accounts: [(&str, Role, &str, &str, Option<i64>); 6] = [
        (
            "chengdu_admin",
            Role::CityAdmin,
            "510100",
            "成都市管理员",
            None,
        ),
        (
            "jinjiang_admin",
            Role::CountyAdmin,
            "510104",
            "锦江区管理员",
            None,
        ),
        (
            "mianyang_admin",
            Role::CityAdmin,
            "510700",
            "绵阳市管理员",
            None,
        ),
        (
            "school_admin_demo",
            Role::SchoolAdmin,
            &jinjiang_school,
            "学校管理员",
            None,
        ),
        (
            "teacher_demo",
            Role::Teacher,
            &jinjiang_school,
            &demo_teacher.name,
            Some(demo_teacher.id),
        ),
        ("reviewer_demo", Role::Reviewer, "510104", "评审专家", None),
    ];
    let mut table = Vec::new();
    for (username, role, scope, display, teacher_id) in accounts {
        let exists = account::Entity::find()
            .filter(account::Column::Username.eq(username))
            .count(&state.db)
            .await?
            > 0;
        let status = if exists {
            "exists"
        } else {
            bootstrap::create_account(
                state,
                username,
                &password,
                role,
                scope,
                Some(display.to_string()),
                None,
                teacher_id,
            )
            .await?;
            "created"
        };
        let scope_name = crate::directory::service::node_name(state, scope)
            .await
            .unwrap_or_else(|_| scope.to_string());
        table.push((
            username,
            role.to_value(),
            scope.to_string(),
            scope_name,
            status,
        ));
    }
    println!();
    println!(
        "{:<18} {:<14} {:<11} {:<22} {:<8}",
        "username", "role", "scope", "scope name", "status"
    );
    for (username, role, scope, name, status) in &table {
        println!("{username:<18} {role:<14} {scope:<11} {name:<22} {status:<8}");
    }
    println!("password of new demo accounts: {password} (YANXIU_DEMO_PASSWORD)");
    Ok(())
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
