//! Schools, teachers and accounts through the API: CRUD, paging, sorting, filters, validation, conflicts,
//! masking of 身份证号, audited reveal, a teacher's own view, and problem+json for routing and parsing errors.
#![allow(clippy::unwrap_used)]

use poem::http::Method;
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use yanxiu_tests::*;

fn items(r: &Resp) -> Vec<Value> {
    r.body["items"].as_array().cloned().unwrap_or_default()
}

fn strings(r: &Resp, key: &str) -> Vec<String> {
    items(r)
        .iter()
        .map(|i| i[key].as_str().unwrap_or_default().to_string())
        .collect()
}

/// `510104********1234`: six clear, eight stars, four clear — matching the real number's ends.
#[track_caller]
fn assert_masked(masked: &str, clear: &str) {
    assert_eq!(masked.chars().count(), 18, "{masked}");
    assert_eq!(&masked[..6], &clear[..6], "{masked}");
    assert_eq!(&masked[6..14], "********", "{masked}");
    assert_eq!(&masked[14..], &clear[14..], "{masked}");
}

/// Three schools in 锦江区, two in 青羊区, one in 绵阳市涪城区, with varied stage / 城乡 / names.
async fn seed_schools(app: &TestApp, token: &str) -> Vec<i64> {
    let rows = [
        (1, "510104", "锦江区实验小学", "小学", "urban"),
        (2, "510104", "锦江区第一中学", "初中", "town"),
        (3, "510104", "锦江区乡村小学", "小学", "rural"),
        (4, "510105", "青羊区实验小学", "小学", "urban"),
        (5, "510105", "青羊区第二中学", "高中", "urban"),
        (6, "510703", "涪城区实验小学", "小学", "rural"),
    ];
    let mut ids = Vec::new();
    for (seq, county, name, stage, ur) in rows {
        let mut body = school_body(&school_code(seq), county, name);
        body["stage"] = json!(stage);
        body["urban_rural"] = json!(ur);
        ids.push(
            app.post("/api/schools", token, &body)
                .await
                .expect(200)
                .id(),
        );
    }
    ids
}

both_engines!(
    schools_crud_paging_sorting_filters,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let ids = seed_schools(&app, &admin).await;
        assert_eq!(app.total("/api/schools", &admin).await, 6);

        // Paging: total is across pages.
        let p2 = app
            .get("/api/schools?page=2&page_size=4", &admin)
            .await
            .expect(200);
        assert_eq!(p2.body["total"], 6);
        assert_eq!(p2.body["page"], 2);
        assert_eq!(p2.body["page_size"], 4);
        assert_eq!(items(&p2).len(), 2);
        let p9 = app
            .get("/api/schools?page=9&page_size=4", &admin)
            .await
            .expect(200);
        assert_eq!(items(&p9).len(), 0);
        assert_eq!(p9.body["total"], 6);

        // Sorting.
        let asc = app
            .get("/api/schools?sort=code&order=asc&page_size=50", &admin)
            .await
            .expect(200);
        let codes = strings(&asc, "code");
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
        let desc = app
            .get("/api/schools?sort=code&order=desc", &admin)
            .await
            .expect(200);
        assert_eq!(strings(&desc, "code")[0], school_code(6));
        let by_county = app
            .get("/api/schools?sort=county_code&order=desc", &admin)
            .await
            .expect(200);
        assert_eq!(strings(&by_county, "county_code")[0], "510703");

        // Filters: region subtree (city and county), stage, 城乡, keyword on name and on code prefix.
        assert_eq!(app.total("/api/schools?region=510100", &admin).await, 5);
        assert_eq!(app.total("/api/schools?region=510104", &admin).await, 3);
        assert_eq!(app.total("/api/schools?region=510700", &admin).await, 1);
        assert_eq!(app.total("/api/schools?region=999999", &admin).await, 0);
        assert_eq!(
            app.total("/api/schools?stage=%E5%B0%8F%E5%AD%A6", &admin)
                .await,
            4
        ); // 小学
        assert_eq!(app.total("/api/schools?urban_rural=rural", &admin).await, 2);
        assert_eq!(
            app.total("/api/schools?urban_rural=urban&region=510105", &admin)
                .await,
            2
        );
        assert_eq!(
            app.total("/api/schools?keyword=%E5%AE%9E%E9%AA%8C", &admin)
                .await,
            3
        ); // 实验
        assert_eq!(
            app.total(&format!("/api/schools?keyword={}", school_code(5)), &admin)
                .await,
            1
        );
        app.get("/api/schools?urban_rural=bogus", &admin)
            .await
            .expect_problem(400, "invalid_parameter");

        // Read, update, code immutability, deactivate / activate.
        let one = app
            .get(&format!("/api/schools/{}", ids[0]), &admin)
            .await
            .expect(200);
        assert_eq!(one.body["county_name"], "锦江区");
        assert_eq!(one.body["city_name"], "成都市");
        let mut body = school_body(&school_code(1), "510104", "锦江区实验小学（本部）");
        body["teaching_point"] = json!(true);
        let up = app
            .put(&format!("/api/schools/{}", ids[0]), &admin, &body)
            .await
            .expect(200);
        assert_eq!(up.body["name"], "锦江区实验小学（本部）");
        assert_eq!(up.body["teaching_point"], true);
        assert_eq!(
            app.total("/api/schools?teaching_point=true", &admin).await,
            1
        );
        let changed_code = school_body(&school_code(99), "510104", "x");
        app.put(&format!("/api/schools/{}", ids[0]), &admin, &changed_code)
            .await
            .expect_field_error("code");
        let off = app
            .post(
                &format!("/api/schools/{}/deactivate", ids[1]),
                &admin,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(off.body["active"], false);
        assert_eq!(app.total("/api/schools?active=false", &admin).await, 1);
        app.post(
            &format!("/api/schools/{}/activate", ids[1]),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        assert_eq!(app.total("/api/schools?active=true", &admin).await, 6);
        app.get("/api/schools/999999", &admin)
            .await
            .expect_problem(404, "not_found");

        // A county admin sees only their county; a sibling county's school is 404.
        let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
        assert_eq!(app.total("/api/schools", &county).await, 3);
        assert_eq!(app.total("/api/schools?region=510100", &county).await, 3);
        app.get(&format!("/api/schools/{}", ids[3]), &county)
            .await
            .expect_problem(404, "not_found");
        // Moving a school out of the county is refused, creating one in a sibling county too.
        let moved = school_body(&school_code(1), "510105", "x");
        app.put(&format!("/api/schools/{}", ids[0]), &county, &moved)
            .await
            .expect_field_error("county_code");
        app.post(
            "/api/schools",
            &county,
            &school_body(&school_code(7), "510105", "青羊新校"),
        )
        .await
        .expect_field_error("county_code");
        assert_eq!(app.total("/api/schools", &admin).await, 6);
    }
);

both_engines!(
    school_validation_and_conflicts_change_nothing,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let before = app.count_rows("schools").await;
        let audit_before = app.count_rows("audit_log").await;
        let bad: Vec<(Value, &str)> = vec![
            (school_body("2151", "510104", "短码"), "code"),
            (school_body("215100000A", "510104", "字母"), "code"),
            (school_body("0051000002", "510104", "类别0"), "code"),
            (school_body("2152000002", "510104", "外省"), "code"),
            (
                school_body(&school_code(2), "510100", "市级不是区县"),
                "county_code",
            ),
            (
                school_body(&school_code(2), "123456", "不存在"),
                "county_code",
            ),
            (school_body(&school_code(2), "510104", "   "), "name"),
            (
                {
                    let mut b = school_body(&school_code(2), "510104", "学段错");
                    b["stage"] = json!("大学");
                    b
                },
                "stage",
            ),
        ];
        for (body, field) in bad {
            app.post("/api/schools", &admin, &body)
                .await
                .expect_field_error(field);
        }
        // Several problems at once are all reported.
        let many = app
            .post("/api/schools", &admin, &school_body("1", "1", ""))
            .await
            .expect_problem(422, "validation_failed");
        let fields = many.error_fields();
        for f in ["code", "county_code", "name"] {
            assert!(fields.iter().any(|x| x == f), "{f} missing in {fields:?}");
        }
        // Duplicate code: 409 naming the field.
        let dup = app
            .post(
                "/api/schools",
                &admin,
                &school_body(&school_code(1), "510105", "重复"),
            )
            .await
            .expect_problem(409, "conflict");
        assert_eq!(dup.error_fields(), vec!["code".to_string()]);
        assert_eq!(app.count_rows("schools").await, before);
        assert_eq!(app.count_rows("audit_log").await, audit_before);
    }
);

both_engines!(
    teachers_masking_filters_reveal_and_validation,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let ids = seed_schools(&app, &admin).await;
        let (s_jj, s_jj2, s_qy) = (ids[0], ids[1], ids[3]);
        let clear: Vec<String> = (1..=5).map(|i| id_card("510104", i)).collect();
        let names = ["张伟", "李娜", "王芳", "刘洋", "陈静"];
        let schools = [s_jj, s_jj, s_jj2, s_qy, s_qy];
        let mut tids = Vec::new();
        for i in 0..5 {
            let mut body = teacher_body(schools[i], names[i], &clear[i]);
            if i == 2 {
                body["subject"] = json!("语文");
                body["stage"] = json!("初中");
            }
            body["phone"] = json!(format!("1381234567{i}"));
            let r = app.post("/api/teachers", &admin, &body).await.expect(200);
            assert_masked(r.body["id_card_masked"].as_str().unwrap(), &clear[i]);
            assert_eq!(r.body["phone_masked"], format!("138****567{i}"));
            assert!(!r.text().contains(&clear[i]), "clear ID in create response");
            tids.push(r.id());
        }

        // Paging, sorting and filters.
        let all = app
            .get("/api/teachers?page_size=2&sort=id&order=desc", &admin)
            .await
            .expect(200);
        assert_eq!(all.body["total"], 5);
        assert_eq!(items(&all).len(), 2);
        assert_eq!(items(&all)[0]["id"], tids[4]);
        assert_eq!(app.total("/api/teachers?region=510104", &admin).await, 3);
        assert_eq!(app.total("/api/teachers?region=510105", &admin).await, 2);
        assert_eq!(app.total("/api/teachers?region=510100", &admin).await, 5);
        assert_eq!(
            app.total(&format!("/api/teachers?school_id={s_jj}"), &admin)
                .await,
            2
        );
        assert_eq!(
            app.total("/api/teachers?stage=%E5%88%9D%E4%B8%AD", &admin)
                .await,
            1
        ); // 初中
        assert_eq!(
            app.total("/api/teachers?subject=%E6%95%B0%E5%AD%A6", &admin)
                .await,
            4
        ); // 数学
        assert_eq!(
            app.total("/api/teachers?keyword=%E6%9D%8E", &admin).await,
            1
        ); // 李
        // Exact 身份证号 lookup through the keyword (also lower-case x and surrounding blanks).
        let found = app
            .get(&format!("/api/teachers?keyword={}", clear[3]), &admin)
            .await
            .expect(200);
        assert_eq!(found.body["total"], 1);
        assert_eq!(items(&found)[0]["id"], tids[3]);
        let phone = app
            .get("/api/teachers?keyword=13812345672", &admin)
            .await
            .expect(200);
        assert_eq!(items(&phone)[0]["id"], tids[2]);
        // A partial ID number finds nothing (no substring search on encrypted data).
        assert_eq!(
            app.total(
                &format!("/api/teachers?keyword={}", &clear[3][..10]),
                &admin
            )
            .await,
            0
        );

        // Masked everywhere: list, get, update, deactivate, audit.
        let mut responses = vec![
            app.get("/api/teachers?page_size=50", &admin)
                .await
                .expect(200),
            app.get(&format!("/api/teachers/{}", tids[0]), &admin)
                .await
                .expect(200),
        ];
        let mut up = teacher_body(s_jj, "张伟", &clear[0]);
        up["title"] = json!("一级教师");
        responses.push(
            app.put(&format!("/api/teachers/{}", tids[0]), &admin, &up)
                .await
                .expect(200),
        );
        responses.push(
            app.post(
                &format!("/api/teachers/{}/deactivate", tids[1]),
                &admin,
                &json!({}),
            )
            .await
            .expect(200),
        );
        responses.push(
            app.get("/api/audit?page_size=200", &admin)
                .await
                .expect(200),
        );
        for r in &responses {
            for c in &clear {
                assert!(
                    !r.text().contains(c.as_str()),
                    "clear ID {c} leaked: {}",
                    r.text()
                );
            }
        }
        for t in items(&responses[0]) {
            let id = t["id"].as_i64().unwrap();
            let i = tids.iter().position(|x| *x == id).unwrap();
            assert_masked(t["id_card_masked"].as_str().unwrap(), &clear[i]);
        }
        assert_eq!(responses[2].body["title"], "一级教师");
        assert_eq!(responses[3].body["active"], false);
        assert_eq!(app.total("/api/teachers?active=false", &admin).await, 1);

        // At rest: no column holds the clear number or phone.
        let rows = entity::teacher::Entity::find().all(&app.db).await.unwrap();
        assert_eq!(rows.len(), 5);
        for row in &rows {
            let i = tids.iter().position(|x| *x == row.id).unwrap();
            for col in [&row.id_card_enc, &row.id_card_hash, &row.id_card_masked] {
                assert!(!col.contains(&clear[i]), "clear ID stored: {col}");
                assert!(
                    !col.contains(&clear[i][6..14]),
                    "birth digits stored: {col}"
                );
            }
            assert!(
                !row.phone_enc
                    .clone()
                    .unwrap_or_default()
                    .contains("138123456")
            );
        }

        // Reveal: clear values for an admin, and an audit entry.
        let audit_reveals = app.total("/api/audit?action=teacher.reveal", &admin).await;
        assert_eq!(audit_reveals, 0);
        let rev = app
            .post(
                &format!("/api/teachers/{}/reveal", tids[3]),
                &admin,
                &json!({}),
            )
            .await
            .expect(200);
        assert_eq!(rev.body["id_card"], clear[3]);
        assert_eq!(rev.body["phone"], "13812345673");
        let audit = app
            .get("/api/audit?action=teacher.reveal", &admin)
            .await
            .expect(200);
        assert_eq!(audit.body["total"], 1);
        let entry = &items(&audit)[0];
        assert_eq!(entry["target_type"], "teacher");
        assert_eq!(entry["target_id"], tids[3].to_string());
        assert_eq!(entry["actor"], "admin");
        let logged = entity::audit_log::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            logged
                .iter()
                .filter(|a| a.action == "teacher.reveal")
                .count(),
            1
        );

        // A county admin cannot reveal (or even see) a sibling county's teacher.
        let (_, county) = app.region_admin("jj.admin", "county_admin", "510104").await;
        assert_eq!(app.total("/api/teachers", &county).await, 3);
        app.post(
            &format!("/api/teachers/{}/reveal", tids[3]),
            &county,
            &json!({}),
        )
        .await
        .expect_problem(404, "not_found");
        app.get(&format!("/api/teachers/{}", tids[3]), &county)
            .await
            .expect_problem(404, "not_found");
        assert_eq!(
            app.total("/api/audit?action=teacher.reveal", &admin).await,
            1
        );

        // A teacher account sees only its own record, cannot reveal or edit it.
        let school_code_jj = school_code(1);
        app.create_account(
            &admin,
            "zhang.wei",
            "teacher",
            &school_code_jj,
            Some(tids[0]),
        )
        .await;
        let me = app.login("zhang.wei", PASSWORD).await;
        let mine = app.get("/api/teachers", &me).await.expect(200);
        assert_eq!(mine.body["total"], 1);
        assert_eq!(items(&mine)[0]["id"], tids[0]);
        assert_eq!(app.total("/api/teachers?region=510104", &me).await, 1);
        app.get(&format!("/api/teachers/{}", tids[0]), &me)
            .await
            .expect(200);
        app.get(&format!("/api/teachers/{}", tids[2]), &me)
            .await
            .expect_problem(404, "not_found");
        app.post(
            &format!("/api/teachers/{}/reveal", tids[0]),
            &me,
            &json!({}),
        )
        .await
        .expect_problem(403, "forbidden");
        app.put(&format!("/api/teachers/{}", tids[0]), &me, &up)
            .await
            .expect_problem(403, "forbidden");
        assert_eq!(app.total("/api/schools", &me).await, 0);
    }
);

both_engines!(
    teacher_validation_and_duplicates_change_nothing,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let s = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await["id"]
            .as_i64()
            .unwrap();
        let good = id_card("510104", 7);
        app.create_teacher(&admin, s, "张伟", &good).await;
        let before = app.count_rows("teachers").await;

        let mut bad_check = good.clone();
        let last = if good.ends_with('1') { "2" } else { "1" };
        bad_check.replace_range(17..18, last);
        let future = yanxiu::directory::validate::make_id_card(
            "510104",
            chrono::NaiveDate::from_ymd_opt(2090, 1, 1).unwrap(),
            1,
        );
        let not_a_date = "51010419850230123X".to_string();
        let cases: Vec<(Value, &str)> = vec![
            (teacher_body(s, "李娜", &bad_check), "id_card"),
            (teacher_body(s, "李娜", &future), "id_card"),
            (teacher_body(s, "李娜", &not_a_date), "id_card"),
            (teacher_body(s, "李娜", "51010419850615"), "id_card"),
            (teacher_body(s, "", &id_card("510104", 8)), "name"),
            (
                {
                    let mut b = teacher_body(s, "李娜", &id_card("510104", 8));
                    b["phone"] = json!("23812345678");
                    b
                },
                "phone",
            ),
            (
                {
                    let mut b = teacher_body(s, "李娜", &id_card("510104", 8));
                    b["email"] = json!("not-an-email");
                    b
                },
                "email",
            ),
            (
                {
                    let mut b = teacher_body(s, "李娜", &id_card("510104", 8));
                    b["stage"] = json!("研究生");
                    b
                },
                "stage",
            ),
            (
                teacher_body(999_999, "李娜", &id_card("510104", 8)),
                "school_id",
            ),
        ];
        for (body, field) in cases {
            app.post("/api/teachers", &admin, &body)
                .await
                .expect_field_error(field);
        }
        // Out-of-range 教龄 is rejected by the schema (422 on the field).
        let mut b = teacher_body(s, "李娜", &id_card("510104", 8));
        b["teaching_years"] = json!(99);
        let r = app.post("/api/teachers", &admin, &b).await;
        assert_eq!(r.status, 422, "{}", r.text());
        // Duplicate 身份证号 (also written in lower case): 409 on id_card.
        let dup = app
            .post(
                "/api/teachers",
                &admin,
                &teacher_body(s, "张伟二", &good.to_lowercase()),
            )
            .await
            .expect_problem(409, "conflict");
        assert_eq!(dup.error_fields(), vec!["id_card".to_string()]);
        assert_eq!(app.count_rows("teachers").await, before);
    }
);

both_engines!(accounts_crud_paging_and_rules, |app: TestApp| async move {
    let admin = app.as_admin().await;
    let s = app
        .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
        .await["id"]
        .as_i64()
        .unwrap();
    let t = app
        .create_teacher(&admin, s, "张伟", &id_card("510104", 1))
        .await["id"]
        .as_i64()
        .unwrap();
    let (city_id, city) = app.region_admin("cd.city", "city_admin", "510100").await;
    let county = app
        .create_account(&city, "jj.county", "county_admin", "510104", None)
        .await;
    app.create_account(&city, "qy.county", "county_admin", "510105", None)
        .await;
    let teacher = app
        .create_account(&city, "zhang.wei", "teacher", &school_code(1), Some(t))
        .await;
    assert_eq!(teacher["teacher_id"], t);
    assert_eq!(county["roles"][0]["scope_name"], "锦江区");

    // admin + 4 = 5 accounts for the province; the city admin sees the four in 成都市.
    assert_eq!(app.total("/api/accounts", &admin).await, 5);
    assert_eq!(app.total("/api/accounts", &city).await, 4);
    let page = app
        .get("/api/accounts?page=2&page_size=3&order=asc", &admin)
        .await
        .expect(200);
    assert_eq!(page.body["total"], 5);
    assert_eq!(strings(&page, "username"), vec!["qy.county", "zhang.wei"]);
    let desc = app
        .get("/api/accounts?order=desc", &admin)
        .await
        .expect(200);
    assert_eq!(strings(&desc, "username")[0], "zhang.wei");
    // (The role filter has its own test below: it currently breaks out of the caller's scope.)
    assert_eq!(app.total("/api/accounts?region=510104", &admin).await, 2);
    assert_eq!(app.total("/api/accounts?keyword=COUNTY", &admin).await, 2);
    assert_eq!(app.total("/api/accounts?region=510105", &city).await, 1);

    // Rules: duplicate username 409, bad username / weak password / role above own / outside area 422.
    let new = |username: &str, role: &str, scope: &str, password: &str| json!({ "username": username, "password": password, "display_name": "x", "role": role, "scope_code": scope });
    let before = app.count_rows("accounts").await;
    let dup = app
        .post(
            "/api/accounts",
            &city,
            &new("JJ.County", "county_admin", "510104", PASSWORD),
        )
        .await
        .expect_problem(409, "conflict");
    assert_eq!(dup.error_fields(), vec!["username".to_string()]);
    app.post(
        "/api/accounts",
        &city,
        &new("bad name!", "county_admin", "510104", PASSWORD),
    )
    .await
    .expect_field_error("username");
    app.post(
        "/api/accounts",
        &city,
        &new("weak.pw", "county_admin", "510104", "password"),
    )
    .await
    .expect_field_error("password");
    app.post(
        "/api/accounts",
        &city,
        &new("too.high", "province_admin", "510000", PASSWORD),
    )
    .await
    .expect_field_error("scope_code");
    app.post(
        "/api/accounts",
        &city,
        &new("other.city", "city_admin", "510700", PASSWORD),
    )
    .await
    .expect_field_error("scope_code");
    app.post(
        "/api/accounts",
        &city,
        &new("wrong.level", "county_admin", "510100", PASSWORD),
    )
    .await
    .expect_field_error("scope_code");
    app.post(
        "/api/accounts",
        &city,
        &new("no.teacher", "teacher", &school_code(1), PASSWORD),
    )
    .await
    .expect_field_error("teacher_id");
    let jj = app.login("jj.county", PASSWORD).await;
    app.post(
        "/api/accounts",
        &jj,
        &new("peer.city", "city_admin", "510100", PASSWORD),
    )
    .await
    .expect_problem(422, "validation_failed");
    assert_eq!(app.count_rows("accounts").await, before);

    // Get, update, set password (sessions end, lockout lifted).
    let county_id = county["id"].as_i64().unwrap();
    let got = app
        .get(&format!("/api/accounts/{county_id}"), &city)
        .await
        .expect(200);
    assert_eq!(got.body["username"], "jj.county");
    let up = app
        .put(
            &format!("/api/accounts/{county_id}"),
            &city,
            &json!({ "display_name": "锦江区教育局", "email": "jj@example.cn" }),
        )
        .await
        .expect(200);
    assert_eq!(up.body["display_name"], "锦江区教育局");
    app.put(
        &format!("/api/accounts/{county_id}"),
        &city,
        &json!({ "display_name": "x", "email": "broken" }),
    )
    .await
    .expect_field_error("email");
    app.post(
        &format!("/api/accounts/{county_id}/password"),
        &city,
        &json!({ "new_password": "Set#ByCity2025" }),
    )
    .await
    .expect(204);
    app.get("/api/me", &jj)
        .await
        .expect_problem(401, "unauthorized");
    app.login_resp("jj.county", "Set#ByCity2025")
        .await
        .expect(200);
    // The city admin cannot manage the province admin, nor see accounts outside 成都市.
    let me = app.get("/api/me", &admin).await.expect(200).body;
    app.get(&format!("/api/accounts/{}", me["id"]), &city)
        .await
        .expect_problem(404, "not_found");
    // … but can read themself; cannot deactivate themself.
    app.get(&format!("/api/accounts/{city_id}"), &city)
        .await
        .expect(200);
    app.post(
        &format!("/api/accounts/{city_id}/deactivate"),
        &city,
        &json!({}),
    )
    .await
    .expect_field_error("id");
});

both_engines!(
    problem_json_for_routing_and_parsing_errors,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        app.get("/api/nope", &admin)
            .await
            .expect_problem(404, "not_found");
        app.call(Method::GET, "/api/definitely/not/here", None, None)
            .await
            .expect_problem(404, "not_found");
        // Outside /api every path is a page of the web app the binary carries.
        let page = app
            .call(Method::GET, "/definitely/not/here", None, None)
            .await
            .expect(200);
        assert!(page.content_type().starts_with("text/html"));
        app.call(Method::DELETE, "/api/schools", Some(&admin), None)
            .await
            .expect_problem(405, "method_not_allowed");
        // A path parameter that does not parse: a 4xx problem (poem-openapi answers 400).
        let r = app.get("/api/schools/not-a-number", &admin).await;
        assert!(matches!(r.status, 400 | 404), "{}", r.text());
        assert!(r.content_type().starts_with("application/problem+json"));
        // Malformed JSON: a 4xx problem with a code.
        for raw in [&b"{\"code\":"[..], b"not json", b"[]"] {
            let r = app
                .call_raw(
                    Method::POST,
                    "/api/schools",
                    Some(&admin),
                    "application/json",
                    raw.to_vec(),
                )
                .await;
            assert!((400..500).contains(&r.status), "{} {}", r.status, r.text());
            assert!(
                r.content_type().starts_with("application/problem+json"),
                "{}",
                r.content_type()
            );
            assert!(!r.code().is_empty(), "{}", r.text());
        }
        // A missing field names it.
        let r = app
            .post(
                "/api/schools",
                &admin,
                &json!({ "code": school_code(1), "name": "x" }),
            )
            .await;
        assert!((400..500).contains(&r.status), "{}", r.text());
        assert!(r.content_type().starts_with("application/problem+json"));
        // Wrong content type.
        let r = app
            .call_raw(
                Method::POST,
                "/api/auth/login",
                None,
                "text/plain",
                b"hello".to_vec(),
            )
            .await;
        assert!((400..500).contains(&r.status), "{}", r.text());
        assert!(
            r.content_type().starts_with("application/problem+json"),
            "{}",
            r.content_type()
        );
        // Security headers on every answer.
        let r = app.get("/api/me", &admin).await.expect(200);
        assert_eq!(r.headers.get("x-content-type-options").unwrap(), "nosniff");
    }
);

// BUG (BUGS.md #1): `?role=` is OR-ed into the caller's scope condition instead of AND-ed, so the filter is
// ignored for in-scope rows and, worse, returns accounts with that role OUTSIDE the caller's subtree.
both_engines!(
    account_role_filter_stays_inside_scope,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, city) = app.region_admin("cd.city", "city_admin", "510100").await;
        app.create_account(&city, "jj.county", "county_admin", "510104", None)
            .await;
        app.create_account(&admin, "my.county", "county_admin", "510703", None)
            .await;
        let jj = app.login("jj.county", PASSWORD).await;
        // Without the filter the county admin sees only themself.
        assert_eq!(app.total("/api/accounts", &jj).await, 1);
        let r = app
            .get("/api/accounts?role=county_admin", &jj)
            .await
            .expect(200);
        let names = strings(&r, "username");
        assert!(
            !names.iter().any(|n| n == "my.county"),
            "a county admin of 锦江区 sees 绵阳市's county admin through ?role=: {names:?}"
        );
        assert_eq!(r.body["total"], 1, "{names:?}");
        // The province admin: 3 non-province accounts + admin; only two are county admins.
        assert_eq!(
            app.total("/api/accounts?role=county_admin", &admin).await,
            2
        );
        assert_eq!(app.total("/api/accounts?role=city_admin", &admin).await, 1);
    }
);

both_engines!(
    teacher_edit_keeps_sensitive_fields_unless_given,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(901), "510104", "锦江编辑小学")
            .await;
        let clear = id_card("510104", 901);
        let t = app
            .create_teacher(&admin, school["id"].as_i64().unwrap(), "编辑老师", &clear)
            .await;
        let id = t["id"].as_i64().unwrap();
        let reveal_path = format!("/api/teachers/{id}/reveal");

        // Omitting id_card and phone keeps both; the other fields change.
        let mut edit = teacher_body(school["id"].as_i64().unwrap(), "编辑老师（改）", &clear);
        edit.as_object_mut().unwrap().remove("id_card");
        edit.as_object_mut().unwrap().remove("phone");
        let updated = app
            .put(&format!("/api/teachers/{id}"), &admin, &edit)
            .await
            .expect(200)
            .body;
        assert_eq!(updated["name"], "编辑老师（改）");
        let revealed = app
            .post(&reveal_path, &admin, &json!({}))
            .await
            .expect(200)
            .body;
        assert_eq!(revealed["id_card"], clear.as_str());
        assert_eq!(revealed["phone"], "13812345678");

        // An empty phone removes it; a bad new id_card is refused and changes nothing.
        edit["phone"] = json!("");
        app.put(&format!("/api/teachers/{id}"), &admin, &edit)
            .await
            .expect(200);
        assert_eq!(
            app.post(&reveal_path, &admin, &json!({}))
                .await
                .expect(200)
                .body["phone"],
            Value::Null
        );
        edit["id_card"] = json!("510104198506150000");
        app.put(&format!("/api/teachers/{id}"), &admin, &edit)
            .await
            .expect_field_error("id_card");
        assert_eq!(
            app.post(&reveal_path, &admin, &json!({}))
                .await
                .expect(200)
                .body["id_card"],
            clear.as_str()
        );
    }
);

both_engines!(
    accounts_say_whether_i_manage_them,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (county_id, county) = app
            .region_admin("jj.manage", "county_admin", "510104")
            .await;
        let school = app
            .create_school(&admin, &school_code(777), "510104", "锦江管理小学")
            .await;
        let sa = app
            .create_account(
                &admin,
                "sa.manage",
                "school_admin",
                school["code"].as_str().unwrap(),
                None,
            )
            .await;
        let me = app.get("/api/me", &admin).await.expect(200).id();
        let flag = |body: &Value| body["manageable"].as_bool().unwrap();
        assert!(!flag(
            &app.get(&format!("/api/accounts/{me}"), &admin)
                .await
                .expect(200)
                .body
        ));
        assert!(flag(
            &app.get(&format!("/api/accounts/{county_id}"), &admin)
                .await
                .expect(200)
                .body
        ));
        // The county admin manages the school admin below, but not themself.
        assert!(flag(
            &app.get(&format!("/api/accounts/{}", sa["id"]), &county)
                .await
                .expect(200)
                .body
        ));
        assert!(!flag(
            &app.get(&format!("/api/accounts/{county_id}"), &county)
                .await
                .expect(200)
                .body
        ));
    }
);

both_engines!(
    moving_a_school_moves_every_row_under_it_and_its_counters,
    |app: TestApp| async move {
        use sea_orm::{ConnectionTrait, Statement};
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(81), "510104", "锦江迁出小学")
            .await;
        let (sid, code) = (school["id"].as_i64().unwrap(), school_code(81));
        let old = format!("/510000/510100/510104/{code}/");
        let new = format!("/510000/510100/510105/{code}/");
        let teacher = app
            .create_teacher(&admin, sid, "迁校教师", &id_card("510104", 81))
            .await;
        let tid = teacher["id"].as_i64().unwrap();
        app.create_account(&admin, "moved.head", "school_admin", &code, None)
            .await;
        let program = app.province_program(&admin, &code, 10.0).await;
        let eid = app
            .post(
                &format!("/api/programs/{program}/enrollments"),
                &admin,
                &json!({ "teacher_id": tid }),
            )
            .await
            .expect(200)
            .id();
        app.post(
            "/api/hours",
            &admin,
            &json!({ "teacher_id": tid, "enrollment_id": eid, "category": "online", "hours": 4.0,
                     "occurred_on": "2026-05-01", "source": "course" }),
        )
        .await
        .expect(200);

        let mut moved = school_body(&code, "510105", "锦江迁出小学");
        moved["stage"] = school["stage"].clone();
        app.put(&format!("/api/schools/{sid}"), &admin, &moved)
            .await
            .expect(200);

        // No row but the audit trail still sits under the old path; the rows that did now sit under the new one.
        let backend = app.db.get_database_backend();
        let count = |table: &str, column: &str, path: &str| {
            let sql = format!("SELECT COUNT(*) AS n FROM {table} WHERE {column} LIKE '{path}%'");
            let db = app.db.clone();
            async move {
                db.query_one_raw(Statement::from_string(backend, sql))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get::<i64>("", "n")
                    .unwrap()
            }
        };
        use yanxiu::directory::school_move::{OnMove, PATH_COLUMNS};
        for (table, column, on_move) in PATH_COLUMNS {
            if *on_move != OnMove::Repath && *on_move != OnMove::Counter {
                continue;
            }
            assert_eq!(count(table, column, &old).await, 0, "{table}.{column}");
        }
        for (table, column) in [
            ("teachers", "path"),
            ("account_roles", "scope_path"),
            ("enrollments", "path"),
            ("hour_entries", "path"),
            ("program_quotas", "node_path"),
            ("node_stats", "node_path"),
            ("program_node_stats", "node_path"),
        ] {
            assert!(count(table, column, &new).await > 0, "{table}.{column}");
        }
        // The counters moved with the school: the maintained numbers agree with a recount from the ledger.
        let txn = yanxiu::platform::db::begin_write(&app.db).await.unwrap();
        let summary = yanxiu::training::stats::rebuild(&txn, app.state.config.cycle_anchor_year)
            .await
            .unwrap();
        txn.rollback().await.unwrap();
        assert_eq!(summary.differing_rows, 0, "{summary:?}");
        let teachers_under = |county: &'static str| {
            let db = app.db.clone();
            async move {
                use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
                entity::node_stat::Entity::find()
                    .filter(entity::node_stat::Column::NodePath.eq(county))
                    .one(&db)
                    .await
                    .unwrap()
                    .map(|s| s.teachers)
                    .unwrap_or(0)
            }
        };
        assert_eq!(teachers_under("/510000/510100/510104/").await, 0);
        assert_eq!(teachers_under("/510000/510100/510105/").await, 1);
        assert_eq!(teachers_under("/510000/510100/").await, 1);
        // The moved school's admin now administers it under the new county.
        let head = app.login("moved.head", PASSWORD).await;
        app.get(&format!("/api/teachers/{tid}"), &head)
            .await
            .expect(200);
    }
);
