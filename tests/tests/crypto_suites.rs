//! The cryptographic suites and key rotation: data written under the standard suite and key version 1 stays
//! readable and findable after switching to the SM suite with key version 2, `rekey` moves every row to the new
//! suite and key (batched, idempotent), and the same works back from SM to standard with key version 3 once
//! version 1 is dropped.
#![allow(clippy::unwrap_used)]

use poem::EndpointExt;
use sea_orm::{ConnectionTrait, Statement};
use yanxiu::{
    AppState,
    platform::{config::CryptoSuite, crypto::Keys},
};
use yanxiu_tests::*;

const TEACHERS: u32 = 12;

fn new_key(byte: u8) -> String {
    hex::encode([byte; 32])
}

/// Serves `app` with another suite and key from now on, on the same database.
async fn switch_keys(
    app: &mut TestApp,
    suite: CryptoSuite,
    key: &str,
    version: u32,
    previous: &str,
) {
    app.config.crypto = suite;
    app.config.secret_key = Some(key.to_string());
    app.config.secret_key_version = version;
    app.config.previous_secret_keys = Some(previous.to_string());
    let state = AppState::with_db(app.config.clone(), app.db.clone())
        .await
        .expect("state with the new keys");
    app.client = poem::test::TestClient::new(yanxiu::app(state.clone()).map_to_response().boxed());
    app.state = state;
}

/// Every sealed value of every teacher, for checking prefixes.
async fn sealed_values(app: &TestApp) -> Vec<(String, Option<String>)> {
    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT id_card_enc, phone_enc FROM teachers ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String>("", "id_card_enc").unwrap(),
                r.try_get::<Option<String>>("", "phone_enc").unwrap(),
            )
        })
        .collect()
}

/// Each teacher is found by an exact search for their ID number and reveals the right number and phone.
async fn assert_every_teacher_reads(app: &TestApp, token: &str, ids: &[(i64, String)]) {
    for (id, card) in ids {
        let found = app
            .get(&format!("/api/teachers?keyword={card}"), token)
            .await
            .expect(200);
        let items = found.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 1, "search for {card}: {}", found.text());
        assert_eq!(items[0]["id"].as_i64(), Some(*id));
        let revealed = app
            .post(
                &format!("/api/teachers/{id}/reveal"),
                token,
                &serde_json::json!({}),
            )
            .await
            .expect(200);
        assert_eq!(revealed.body["id_card"].as_str(), Some(card.as_str()));
        assert_eq!(revealed.body["phone"].as_str(), Some("13812345678"));
    }
}

async fn rekey(app: &TestApp, batch: usize) -> yanxiu::platform::rekey::RekeySummary {
    yanxiu::cli::rekey_printing(&app.state, batch)
        .await
        .expect("rekey")
}

both_engines!(
    rekey_moves_every_teacher_to_sm_and_back,
    |app: TestApp| async move {
        let mut app = app;
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let school_id = school["id"].as_i64().unwrap();
        let mut ids = Vec::new();
        for seq in 1..=TEACHERS {
            let card = id_card("510104", seq);
            let t = app
                .create_teacher(&admin, school_id, &format!("教师{seq}"), &card)
                .await;
            ids.push((t["id"].as_i64().unwrap(), card));
        }
        // One row in the format from before sealed values named their suite: the same bytes without the prefix.
        app.db
            .execute_unprepared(
                "UPDATE teachers SET id_card_enc = SUBSTR(id_card_enc, 15) WHERE id = \
                 (SELECT MIN(id) FROM teachers)",
            )
            .await
            .unwrap();
        let before = sealed_values(&app).await;
        assert!(!before[0].0.starts_with("v2."));
        assert!(
            before[1..]
                .iter()
                .all(|(c, _)| c.starts_with("v2.standard.1."))
        );
        assert_every_teacher_reads(&app, &admin, &ids).await;

        // Standard/v1 → SM/v2, keeping v1 readable.
        let v1 = std::fs::read_to_string(app.dir.path().join("secret.key")).unwrap();
        let v2 = new_key(0x42);
        switch_keys(
            &mut app,
            CryptoSuite::Sm,
            &v2,
            2,
            &format!("1:{}", v1.trim()),
        )
        .await;
        let admin = app.login("admin", ADMIN_PASSWORD).await;
        // Before the rekey: everything reads and is found under the old hashes …
        assert_every_teacher_reads(&app, &admin, &ids).await;
        // … and an ID number registered under the old key is still a duplicate, by hand and by import.
        app.post(
            "/api/teachers",
            &admin,
            &teacher_body(school_id, "重复", &ids[3].1),
        )
        .await
        .expect_problem(409, "conflict");
        let csv = format!(
            "name,id_card,school_code,stage,subject,phone\n改名,{},{},小学,数学,13812345678\n",
            ids[4].1,
            school_code(1)
        );
        let report = app
            .upload(
                "/api/import/teachers?dry_run=false",
                Some(&admin),
                "t.csv",
                "text/csv",
                csv.into_bytes(),
            )
            .await
            .expect(200);
        assert_eq!(report.body["created"], 0, "{}", report.text());
        assert_eq!(report.body["committed"], true, "{}", report.text());
        assert_eq!(app.count_rows("teachers").await, i64::from(TEACHERS));

        let summary = rekey(&app, 5).await;
        // The imported row was already brought up to date by the import itself.
        assert_eq!(summary.rows, u64::from(TEACHERS) - 1);
        assert!(summary.batches >= 3, "batched: {summary:?}");
        let after = sealed_values(&app).await;
        for (card, phone) in &after {
            assert!(card.starts_with("v2.sm.2."), "{card}");
            assert!(phone.as_deref().unwrap().starts_with("v2.sm.2."));
        }
        assert_every_teacher_reads(&app, &admin, &ids).await;
        assert_eq!(rekey(&app, 5).await.rows, 0, "nothing left to do");

        // The hashes now are the SM ones: a standard-only key set no longer finds anyone.
        let standard_v1 = Keys::from_master(&hex::decode(v1.trim()).unwrap());
        let found = app
            .db
            .query_all_raw(Statement::from_string(
                app.db.get_database_backend(),
                format!(
                    "SELECT id FROM teachers WHERE id_card_hash = '{}'",
                    standard_v1.lookup_hash(&ids[0].1)
                ),
            ))
            .await
            .unwrap();
        assert!(found.is_empty());

        // SM/v2 → standard/v3, dropping v1 (nothing is sealed under it any more).
        let v3 = new_key(0x17);
        switch_keys(&mut app, CryptoSuite::Standard, &v3, 3, &format!("2:{v2}")).await;
        let admin = app.login("admin", ADMIN_PASSWORD).await;
        assert_every_teacher_reads(&app, &admin, &ids).await;
        assert_eq!(rekey(&app, 1000).await.rows, u64::from(TEACHERS));
        assert!(
            sealed_values(&app)
                .await
                .iter()
                .all(|(c, p)| c.starts_with("v2.standard.3.")
                    && p.as_deref().unwrap().starts_with("v2.standard.3."))
        );
        assert_every_teacher_reads(&app, &admin, &ids).await;

        // Without the key a value was sealed under, reading fails loudly instead of returning garbage.
        switch_keys(&mut app, CryptoSuite::Sm, &new_key(0x99), 4, "").await;
        let admin = app.login("admin", ADMIN_PASSWORD).await;
        app.post(
            &format!("/api/teachers/{}/reveal", ids[0].0),
            &admin,
            &serde_json::json!({}),
        )
        .await
        .expect(500);
        let refused = yanxiu::platform::rekey::rekey(&app.db, &app.state.keys, 100, |_| {}).await;
        assert!(
            refused.unwrap_err().to_string().contains("version 3"),
            "the rekey names the missing key version"
        );
    }
);
