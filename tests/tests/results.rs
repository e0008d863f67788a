//! Institution results: class sheet export, whole-file validation with a row-by-row report, pending batch,
//! confirmation by another administrator (hours, grades, 未结业, completion and certificates), rejection.
#![allow(clippy::unwrap_used)]
use serde_json::{Value, json};
use yanxiu_tests::*;

async fn program(app: &TestApp, admin: &str, school: &str) -> i64 {
    let body = json!({
        "name": "2026年市级信息技术培训（机构承训）", "level": "provincial", "kind": "信息技术应用能力提升",
        "year": 2026, "enrolment_mode": "assigned",
        "hour_rule": { "kind": "cumulative" }, "completion": { "required_hours": 10 },
        "owner_code": "510000", "seats": 100,
    });
    let id = app
        .post("/api/programs", admin, &body)
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/programs/{id}/publish"), admin, &json!({}))
        .await
        .expect(200);
    for (node, seats) in [("510100", 20), ("510104", 10), (school, 5)] {
        app.put(
            &format!("/api/programs/{id}/quotas/{node}"),
            admin,
            &json!({ "seats": seats }),
        )
        .await
        .expect(200);
    }
    id
}

fn csv(lines: &[String]) -> Vec<u8> {
    let mut text = "报名编号 Enrolment ID,姓名 Name,结业状态 Status,证书编号/不合格原因,成绩,获得学时,学时类别\n".to_string();
    for l in lines {
        text.push_str(l);
        text.push('\n');
    }
    text.into_bytes()
}

async fn upload(app: &TestApp, token: &str, program: i64, dry_run: bool, body: Vec<u8>) -> Resp {
    app.upload(
        &format!("/api/programs/{program}/results?dry_run={dry_run}&node=510104"),
        Some(token),
        "results.csv",
        "text/csv",
        body,
    )
    .await
}

fn errors(r: &Resp) -> Vec<(u64, String)> {
    r.body["report"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

both_engines!(
    institution_results_are_validated_then_confirmed,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(81), "510104", "锦江机构小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let id = program(&app, &admin, &code).await;
        let mut enrolments = Vec::new();
        for seq in 810..813 {
            let body = teacher_body(sid, &format!("机构学员{seq}"), &id_card("510104", seq));
            let tid = app
                .post("/api/teachers", &admin, &body)
                .await
                .expect(200)
                .id();
            let e = app
                .post(
                    &format!("/api/programs/{id}/enrollments"),
                    &admin,
                    &json!({ "teacher_id": tid }),
                )
                .await
                .expect(200);
            enrolments.push(e.id());
        }
        let other = program(&app, &admin, &code).await;
        let stranger = app
            .post(
                &format!("/api/programs/{other}/enrollments"),
                &admin,
                &json!({ "teacher_id": app.post("/api/teachers", &admin, &teacher_body(sid, "别的项目", &id_card("510104", 819))).await.expect(200).id() }),
            )
            .await
            .expect(200)
            .id();
        app.create_account(&admin, "inst.cd", "institution_admin", "510100", None)
            .await;
        let institution = app.login("inst.cd", PASSWORD).await;
        let (_, county) = app
            .region_admin("jj.results", "county_admin", "510104")
            .await;
        let (_, sibling) = app
            .region_admin("qy.results", "county_admin", "510105")
            .await;

        // The class sheet lists the enrolments with masked ID numbers and blank result columns.
        let sheet = app
            .get(
                &format!("/api/programs/{id}/results/sheet?format=csv"),
                &institution,
            )
            .await
            .expect(200);
        let text = String::from_utf8(sheet.bytes.clone()).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
        assert!(
            text.contains("机构学员810") && text.contains("********"),
            "{text}"
        );
        assert!(text.lines().next().unwrap().contains("结业状态"));

        // A file with bad rows stores nothing and reports each problem with its line and column.
        let [a, b, c] = [enrolments[0], enrolments[1], enrolments[2]];
        let bad = csv(&[
            format!("{a},甲,结业,JG-001,优秀,12,集中"),
            format!("{b},乙,未结业,,,2,网络"),
            format!("{c},丙,合格,,,1.3,实践应用"),
            format!("{stranger},丁,结业,JG-9,,1,集中"),
            format!("{a},甲,结业,JG-001,优秀,12,集中"),
        ]);
        let r = upload(&app, &institution, id, false, bad).await.expect(200);
        assert_eq!(r.body["report"]["committed"], false);
        let found = errors(&r);
        assert!(
            found.contains(&(3, "证书编号/不合格原因".into())),
            "{found:?}"
        );
        assert!(found.contains(&(4, "结业状态 Status".into())), "{found:?}");
        assert!(found.contains(&(4, "获得学时".into())), "{found:?}");
        assert!(
            found.contains(&(5, "报名编号 Enrolment ID".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(6, "报名编号 Enrolment ID".into())),
            "{found:?}"
        );
        assert_eq!(app.count_rows("result_batches").await, 0);

        // A clean file: the dry run stores nothing; the real upload a pending batch.
        let good = csv(&[
            format!("{a},甲,结业,JG-001,优秀,12,集中"),
            format!("{b},乙,未结业,缺勤过多,,2,网络"),
            format!("{c},丙,结业,JG-003,良好,10,实践应用"),
        ]);
        let r = upload(&app, &institution, id, true, good.clone())
            .await
            .expect(200);
        assert_eq!(
            (
                r.body["report"]["valid_rows"].as_u64(),
                r.body["batch"].clone()
            ),
            (Some(3), Value::Null)
        );
        assert_eq!(app.count_rows("result_batches").await, 0);
        let r = upload(&app, &institution, id, false, good)
            .await
            .expect(200);
        let batch = r.body["batch"]["id"].as_i64().unwrap();
        assert_eq!(r.body["batch"]["status"], "pending");
        assert_eq!(
            app.count_rows("hour_entries").await,
            0,
            "nothing credited before confirmation"
        );

        // Who sees and decides it: the batch is for 锦江区 (node=510104), so its county decides.
        assert_eq!(
            app.total(&format!("/api/programs/{id}/result-batches"), &sibling)
                .await,
            0
        );
        app.get(&format!("/api/result-batches/{batch}"), &sibling)
            .await
            .expect(404);
        let detail = app
            .get(&format!("/api/result-batches/{batch}"), &county)
            .await
            .expect(200);
        assert_eq!(detail.body["rows"].as_array().unwrap().len(), 3);
        let decide = format!("/api/result-batches/{batch}/decision");
        app.post(&decide, &institution, &json!({ "decision": "approve" }))
            .await
            .expect(403);
        app.post(&decide, &county, &json!({ "decision": "reject" }))
            .await
            .expect_field_error("reason");

        // Confirmation: hours into the ledger, grade, 未结业, completion and certificates, in one go.
        let jobs_before = app.count_rows("jobs").await;
        let done = app
            .post(&decide, &county, &json!({ "decision": "approve" }))
            .await
            .expect(200);
        assert_eq!(done.body["status"], "confirmed");
        app.post(&decide, &admin, &json!({ "decision": "approve" }))
            .await
            .expect(409);
        let get = |eid: i64| {
            let app = &app;
            let admin = admin.clone();
            async move {
                app.get(&format!("/api/enrollments/{eid}"), &admin)
                    .await
                    .expect(200)
                    .body
            }
        };
        let (ea, eb, ec) = (get(a).await, get(b).await, get(c).await);
        assert_eq!(
            (ea["training_status"].as_str(), ea["grade"].as_str()),
            (Some("completed"), Some("优秀"))
        );
        assert_eq!(eb["training_status"], "not_completed");
        assert_eq!(eb["counted_hours"], 2.0);
        assert_eq!(ec["training_status"], "completed");
        assert_eq!(app.count_rows("certificates").await, 2);
        assert!(
            app.count_rows("jobs").await >= jobs_before,
            "certificate mails queued"
        );
        let report = app
            .get(&format!("/api/programs/{id}/report?node=510104"), &admin)
            .await
            .expect(200);
        assert_eq!(report.body["total"]["completed"], 2);
        assert_eq!(
            yanxiu::training::stats::rebuild(&app.db, 2021)
                .await
                .unwrap()
                .differing_rows,
            0
        );

        // The submitter cannot decide their own batch; a rejection needs a reason and credits nothing.
        let again = csv(&[format!("{b},乙,结业,JG-002,,8,网络")]);
        let r = upload(&app, &county, id, false, again).await.expect(200);
        let second = r.body["batch"]["id"].as_i64().unwrap();
        let decide = format!("/api/result-batches/{second}/decision");
        app.post(&decide, &county, &json!({ "decision": "approve" }))
            .await
            .expect(409);
        let entries = app.count_rows("hour_entries").await;
        let rejected = app
            .post(
                &decide,
                &admin,
                &json!({ "decision": "reject", "reason": "成绩未盖章" }),
            )
            .await
            .expect(200);
        assert_eq!(rejected.body["status"], "rejected");
        assert_eq!(app.count_rows("hour_entries").await, entries);
    }
);

both_engines!(
    an_english_class_sheet_reads_back,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(91), "510104", "英文名单小学")
            .await;
        let code = school["code"].as_str().unwrap().to_string();
        let sid = school["id"].as_i64().unwrap();
        let id = program(&app, &admin, &code).await;
        for seq in 910..912 {
            let body = teacher_body(sid, &format!("英文学员{seq}"), &id_card("510104", seq));
            let tid = app
                .post("/api/teachers", &admin, &body)
                .await
                .expect(200)
                .id();
            app.post(
                &format!("/api/programs/{id}/enrollments"),
                &admin,
                &json!({ "teacher_id": tid }),
            )
            .await
            .expect(200);
        }
        app.create_account(&admin, "inst.en", "institution_admin", "510100", None)
            .await;
        let institution = app.login("inst.en", PASSWORD).await;
        let english = [("accept-language", "en".to_string())];
        let sheet = app
            .call_headers(
                poem::http::Method::GET,
                &format!("/api/programs/{id}/results/sheet?format=csv"),
                Some(&institution),
                &english,
                None,
            )
            .await
            .expect(200);
        let text = sheet.text();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        assert!(
            header.contains("Enrolment ID") && header.contains("Status"),
            "{header}"
        );
        assert!(!header.contains("报名编号"), "{header}");
        // The institution fills in the result columns, in English words.
        let mut filled = format!("{header}\n");
        for line in lines {
            let mut cells: Vec<&str> = line.split(',').take(4).collect();
            cells.extend(["completed", "JG-EN", "", "2", "centralized"]);
            filled.push_str(&cells.join(","));
            filled.push('\n');
        }
        let r = app
            .upload_headers(
                &format!("/api/programs/{id}/results?dry_run=true&node=510104"),
                Some(&institution),
                &english,
                "results.csv",
                "text/csv",
                filled.into_bytes(),
            )
            .await
            .expect(200);
        assert_eq!(r.body["report"]["errors"], json!([]), "{}", r.text());
        assert_eq!(r.body["report"]["valid_rows"], 2, "{}", r.text());
    }
);
