//! Bulk import (CSV and XLSX, dry run and all-or-nothing commit, upsert) and scoped, masked export.
#![allow(clippy::unwrap_used)]

use std::io::Cursor;

use calamine::{Reader, Xlsx};
use yanxiu_tests::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn teacher_csv(rows: &[(String, String, &str)]) -> Vec<u8> {
    let mut out = String::from("name,id_card,school_code,stage,subject,phone\n");
    for (name, id, subject) in rows {
        out.push_str(&format!(
            "{name},{id},{},小学,{subject},13900001111\n",
            school_code(1)
        ));
    }
    out.into_bytes()
}

async fn import(
    app: &TestApp,
    token: &str,
    file: Vec<u8>,
    dry_run: Option<bool>,
    name: &str,
    ct: &str,
) -> Resp {
    let path = match dry_run {
        Some(d) => format!("/api/import/teachers?dry_run={d}"),
        None => "/api/import/teachers".to_string(),
    };
    app.upload(&path, Some(token), name, ct, file).await
}

fn xlsx_teachers(rows: &[(&str, &str, &str)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["姓名", "身份证号", "学校标识码", "任教学段", "任教学科"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, id, school)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, v) in [*name, *id, *school, "初中", "英语"].iter().enumerate() {
            ws.write_string(r, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

both_engines!(
    teacher_import_dry_run_all_or_nothing_upsert_and_xlsx,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        app.create_school(&admin, &school_code(2), "510105", "青羊区实验小学")
            .await;
        let ids: Vec<String> = (1..=4).map(|i| id_card("510104", i)).collect();
        let mut bad = ids[3].clone();
        bad.replace_range(17..18, if bad.ends_with('1') { "2" } else { "1" });
        let rows = |last: &str, subject: &'static str| -> Vec<(String, String, &'static str)> {
            vec![
                ("张伟".into(), ids[0].clone(), subject),
                ("李娜".into(), ids[1].clone(), subject),
                ("王芳".into(), ids[2].clone(), subject),
                ("刘洋".into(), last.to_string(), subject),
            ]
        };
        let before = app.count_rows("teachers").await;

        // Dry run (the default): the bad last row is reported with line, column and message; nothing is written.
        let dry = import(
            &app,
            &admin,
            teacher_csv(&rows(&bad, "数学")),
            None,
            "t.csv",
            "text/csv",
        )
        .await
        .expect(200);
        assert_eq!(dry.body["total_rows"], 4, "{}", dry.text());
        assert_eq!(dry.body["valid_rows"], 3);
        assert_eq!(dry.body["committed"], false);
        let errors = dry.body["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{}", dry.text());
        assert_eq!(
            errors[0]["line"], 5,
            "header is line 1, the last row is line 5"
        );
        assert_eq!(errors[0]["column"], "id_card");
        assert!(!errors[0]["message"].as_str().unwrap().is_empty());
        assert_eq!(app.count_rows("teachers").await, before);

        // Commit with the bad row: 200, committed=false, still nothing written.
        let failed = import(
            &app,
            &admin,
            teacher_csv(&rows(&bad, "数学")),
            Some(false),
            "t.csv",
            "text/csv",
        )
        .await
        .expect(200);
        assert_eq!(failed.body["committed"], false, "{}", failed.text());
        assert_eq!(app.count_rows("teachers").await, before);

        // The corrected file commits every row.
        let ok = import(
            &app,
            &admin,
            teacher_csv(&rows(&ids[3], "数学")),
            Some(false),
            "t.csv",
            "text/csv",
        )
        .await
        .expect(200);
        assert_eq!(ok.body["committed"], true, "{}", ok.text());
        assert_eq!(ok.body["created"], 4);
        assert_eq!(ok.body["updated"], 0);
        assert_eq!(app.count_rows("teachers").await, before + 4);
        let found = app
            .get(&format!("/api/teachers?keyword={}", ids[2]), &admin)
            .await
            .expect(200);
        assert_eq!(found.body["items"][0]["name"], "王芳");
        assert_eq!(found.body["items"][0]["subject"], "数学");

        // Importing again upserts on the 身份证号: updates, no duplicates.
        let again = import(
            &app,
            &admin,
            teacher_csv(&rows(&ids[3], "物理")),
            Some(false),
            "t.csv",
            "text/csv",
        )
        .await
        .expect(200);
        assert_eq!(again.body["committed"], true, "{}", again.text());
        assert_eq!(again.body["created"], 0);
        assert_eq!(again.body["updated"], 4);
        assert_eq!(app.count_rows("teachers").await, before + 4);
        let found = app
            .get(&format!("/api/teachers?keyword={}", ids[2]), &admin)
            .await
            .expect(200);
        assert_eq!(found.body["items"][0]["subject"], "物理");

        // XLSX with Chinese headers.
        let x1 = id_card("510105", 11);
        let x2 = id_card("510105", 12);
        let book = xlsx_teachers(&[
            ("赵敏", &x1, &school_code(2)),
            ("孙丽", &x2, &school_code(2)),
        ]);
        let xr = import(&app, &admin, book, Some(false), "t.xlsx", XLSX)
            .await
            .expect(200);
        assert_eq!(xr.body["committed"], true, "{}", xr.text());
        assert_eq!(xr.body["created"], 2);
        assert_eq!(app.count_rows("teachers").await, before + 6);
        assert_eq!(app.total("/api/teachers?region=510105", &admin).await, 2);

        // A county admin cannot import into a sibling county: reported, nothing written.
        let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
        let book = xlsx_teachers(&[("周杰", &id_card("510105", 13), &school_code(2))]);
        let out = import(&app, &county, book, Some(false), "t.xlsx", XLSX)
            .await
            .expect(200);
        assert_eq!(out.body["committed"], false, "{}", out.text());
        assert!(!out.body["errors"].as_array().unwrap().is_empty());
        assert_eq!(app.count_rows("teachers").await, before + 6);

        // Not a spreadsheet at all: 422.
        let junk = import(
            &app,
            &admin,
            vec![0xff, 0xfe, 0x00, 0x01, 0x02],
            Some(true),
            "t.csv",
            "text/csv",
        )
        .await;
        assert_eq!(junk.status, 422, "{}", junk.text());
    }
);

both_engines!(export_is_masked_and_scoped, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let sa = app
        .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
        .await["id"]
        .as_i64()
        .unwrap();
    let sb = app
        .create_school(&admin, &school_code(2), "510105", "青羊区实验小学")
        .await["id"]
        .as_i64()
        .unwrap();
    let jj: Vec<String> = (1..=3).map(|i| id_card("510104", i)).collect();
    let qy: Vec<String> = (4..=5).map(|i| id_card("510105", i)).collect();
    for (i, c) in jj.iter().enumerate() {
        app.create_teacher(&admin, sa, &format!("锦江{i}"), c).await;
    }
    for (i, c) in qy.iter().enumerate() {
        app.create_teacher(&admin, sb, &format!("青羊{i}"), c).await;
    }

    // Province admin, CSV: all five, masked only.
    let csv = app
        .get("/api/export/teachers?format=csv", &admin)
        .await
        .expect(200);
    assert!(
        csv.content_type().starts_with("text/csv"),
        "{}",
        csv.content_type()
    );
    let text = csv.text();
    for c in jj.iter().chain(qy.iter()) {
        assert!(!text.contains(c.as_str()), "clear ID in export");
        assert!(
            text.contains(&format!("{}********{}", &c[..6], &c[14..])),
            "masked ID missing: {text}"
        );
    }
    assert!(!text.contains("13812345678"), "clear phone in export");

    // County admin of 锦江区: only their three, in CSV and in XLSX.
    let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
    let csv = app
        .get("/api/export/teachers?format=csv", &county)
        .await
        .expect(200);
    let text = csv.text();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(reader.records().count(), 3, "{text}");
    assert!(
        !text.contains("青羊"),
        "a sibling county's teachers exported: {text}"
    );

    let xlsx = app
        .get("/api/export/teachers?format=xlsx", &county)
        .await
        .expect(200);
    assert!(
        xlsx.content_type().starts_with(XLSX),
        "{}",
        xlsx.content_type()
    );
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.bytes.clone())).expect("xlsx parses");
    let sheet = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable sheet");
    let cells: Vec<String> = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert_eq!(sheet.rows().count(), 1 + 3, "header + three teachers");
    let joined = cells.join("|");
    for c in &jj {
        assert!(!joined.contains(c.as_str()), "clear ID in XLSX export");
        assert!(joined.contains(&format!("{}********{}", &c[..6], &c[14..])));
    }
    assert!(!joined.contains("青羊"));

    // Schools export is scoped too.
    let schools = app
        .get("/api/export/schools?format=csv", &county)
        .await
        .expect(200);
    assert!(schools.text().contains(&school_code(1)));
    assert!(!schools.text().contains(&school_code(2)));
    // Every export is audited.
    let audit = app
        .get("/api/audit?page_size=200", &admin)
        .await
        .expect(200);
    assert!(
        audit.text().contains("export"),
        "no export audit entry: {}",
        audit.text()
    );
});

/// The first column of every row `sql` selects, as stored.
async fn stored(app: &TestApp, sql: &str) -> Vec<String> {
    use sea_orm::ConnectionTrait;
    app.db
        .query_all_raw(sea_orm::Statement::from_string(
            app.db.get_database_backend(),
            sql,
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect()
}

/// A CSV download's data rows, without the byte-order mark and the header.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

both_engines!(
    directory_labels_import_as_values_and_export_in_the_request_language,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let upload = |kind: &'static str, body: String| {
            let (app, admin) = (&app, &admin);
            async move {
                let r = app
                    .upload(
                        &format!("/api/import/{kind}?dry_run=false"),
                        Some(admin),
                        "rows.csv",
                        "text/csv",
                        body.into_bytes(),
                    )
                    .await
                    .expect(200);
                assert_eq!(r.body["committed"], true, "{}", r.text());
                r
            }
        };

        // Chinese labels in, English values stored and returned.
        let code = school_code(31);
        upload(
            "schools",
            format!("code,name,county_code,stage,urban_rural\n{code},标签初中,510104,初中,乡村\n"),
        )
        .await;
        let school = app
            .get(&format!("/api/schools?keyword={code}"), &admin)
            .await
            .expect(200)
            .body["items"][0]
            .clone();
        assert_eq!(school["stage"], "junior_secondary");
        assert_eq!(school["urban_rural"], "rural");
        let man = id_card("510104", 31);
        assert_eq!(&man[16..17], "1", "an odd 17th digit is a man");
        upload(
            "teachers",
            format!("name,id_card,school_code,stage,subject\n标签教师,{man},{code},小学,数学\n"),
        )
        .await;
        let teacher = app
            .get(&format!("/api/teachers?keyword={man}"), &admin)
            .await
            .expect(200)
            .body["items"][0]
            .clone();
        assert_eq!(teacher["stage"], "primary");
        assert_eq!(teacher["gender"], "male");
        // The stored column holds the value, not the label.
        assert_eq!(
            stored(
                &app,
                &format!("SELECT stage FROM schools WHERE code = '{code}'")
            )
            .await,
            ["junior_secondary"]
        );
        // The list filter takes a value or a label.
        assert_eq!(
            app.total("/api/schools?stage=junior_secondary", &admin)
                .await,
            1
        );
        assert_eq!(
            app.total("/api/schools?stage=%E5%88%9D%E4%B8%AD", &admin)
                .await,
            1
        );

        // The export writes labels in the request's language, and what it writes imports back.
        let english = [("accept-language", "en".to_string())];
        let export = app
            .call_headers(
                poem::http::Method::GET,
                "/api/export/schools?format=csv",
                Some(&admin),
                &english,
                None,
            )
            .await
            .expect(200);
        let row = csv_rows(&export.text())
            .into_iter()
            .find(|r| r[0] == code)
            .expect("the school is exported");
        assert_eq!(
            (row[5].as_str(), row[6].as_str()),
            ("Junior secondary", "Rural")
        );
        let (county, stage, urban_rural) = (&row[2], &row[5], &row[6]);
        let again = upload(
            "schools",
            format!(
                "code,name,county_code,stage,urban_rural\n{code},标签初中（英文导出）,{county},{stage},{urban_rural}\n"
            ),
        )
        .await;
        assert_eq!(again.body["updated"], 1, "{}", again.text());
        let school = app
            .get(&format!("/api/schools/{}", school["id"]), &admin)
            .await
            .expect(200);
        assert_eq!(school.body["name"], "标签初中（英文导出）");
        assert_eq!(school.body["stage"], "junior_secondary");
        assert_eq!(school.body["urban_rural"], "rural");
        let teachers = app
            .call_headers(
                poem::http::Method::GET,
                "/api/export/teachers?format=csv",
                Some(&admin),
                &english,
                None,
            )
            .await
            .expect(200);
        let row = csv_rows(&teachers.text())
            .into_iter()
            .find(|r| r[0] == "标签教师")
            .expect("the teacher is exported");
        assert_eq!((row[1].as_str(), row[8].as_str()), ("Male", "Primary"));
        // In Chinese (the default) the same cells carry the Chinese labels.
        let chinese = app
            .get("/api/export/teachers?format=csv", &admin)
            .await
            .expect(200);
        let row = csv_rows(&chinese.text())
            .into_iter()
            .find(|r| r[0] == "标签教师")
            .expect("the teacher is exported");
        assert_eq!((row[1].as_str(), row[8].as_str()), ("男", "小学"));
    }
);

both_engines!(
    unknown_stored_stage_is_an_error,
    |app: TestApp| async move {
        use sea_orm::ConnectionTrait;
        let admin = app.as_admin().await;
        let id = app
            .create_school(&admin, &school_code(41), "510104", "未知学段小学")
            .await["id"]
            .as_i64()
            .unwrap();
        app.get(&format!("/api/schools/{id}"), &admin)
            .await
            .expect(200);
        // Direct SQL: no API stores a stage outside the set, but a hand-edited row can, and the read must fail
        // loudly rather than show some other stage.
        app.db
            .execute_unprepared(&format!(
                "UPDATE schools SET stage = '大学' WHERE id = {id}"
            ))
            .await
            .unwrap();
        app.get(&format!("/api/schools/{id}"), &admin)
            .await
            .expect_problem(500, "internal_error");
    }
);

both_engines!(
    stored_labels_become_values_when_migrating,
    |app: TestApp| async move {
        use migration::{Migrator, MigratorTrait};
        use sea_orm::ConnectionTrait;
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(51), "510104", "迁移小学")
            .await["id"]
            .as_i64()
            .unwrap();
        let teacher = app
            .create_teacher(&admin, school, "迁移教师", &id_card("510104", 51))
            .await["id"]
            .as_i64()
            .unwrap();
        // Back before the typed directory: the rows hold the labels stored then (urban/rural was already a value,
        // but rows may carry the spreadsheet label the old read tolerated).
        // Every migration from the typed directory on is undone (the later ones first).
        let since_typed = Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name().contains("typed_directory"))
            .unwrap()
            + 1;
        Migrator::down(&app.db, Some(since_typed as u32))
            .await
            .unwrap();
        app.db
            .execute_unprepared(&format!(
                "UPDATE schools SET urban_rural = '乡村' WHERE id = {school}"
            ))
            .await
            .unwrap();
        assert_eq!(
            stored(
                &app,
                &format!("SELECT stage FROM schools WHERE id = {school}")
            )
            .await,
            ["小学"]
        );
        assert_eq!(
            stored(
                &app,
                &format!("SELECT gender FROM teachers WHERE id = {teacher}")
            )
            .await,
            ["男"]
        );
        Migrator::up(&app.db, None).await.unwrap();
        let s = app
            .get(&format!("/api/schools/{school}"), &admin)
            .await
            .expect(200);
        assert_eq!(s.body["stage"], "primary");
        assert_eq!(s.body["urban_rural"], "rural");
        let t = app
            .get(&format!("/api/teachers/{teacher}"), &admin)
            .await
            .expect(200);
        assert_eq!(t.body["stage"], "primary");
        assert_eq!(t.body["gender"], "male");
    }
);
