//! Accounts, sign-in and trust of the client: references resolved through the access module, who manages whom,
//! the per-address sign-in throttle, the client address behind proxies, reset links, the refresh grace window and
//! names free of invisible formatting.
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use poem::http::Method;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::{Value, json};
use yanxiu::platform::config::Config;
use yanxiu_tests::*;

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

/// A login as seen through one proxy that appended `client` to what the caller claimed.
async fn login_from(app: &TestApp, username: &str, password: &str, forwarded: &str) -> Resp {
    app.call_headers(
        Method::POST,
        "/api/auth/login",
        None,
        &[
            ("x-forwarded-for", forwarded.to_string()),
            ("content-type", "application/json".to_string()),
        ],
        Some(serde_json::to_vec(&json!({ "username": username, "password": password })).unwrap()),
    )
    .await
}

async fn teacher_id_of(app: &TestApp, account_id: i64) -> Option<i64> {
    entity::account::Entity::find_by_id(account_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .teacher_id
}

both_engines!(
    teacher_links_resolve_through_the_callers_scope,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let sa_school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let other_county = app
            .create_school(&admin, &school_code(2), "510105", "青羊区实验小学")
            .await;
        let other_city = app
            .create_school(&admin, &school_code(3), "510703", "涪城区实验小学")
            .await;
        let own_teacher = app
            .create_teacher(
                &admin,
                sa_school["id"].as_i64().unwrap(),
                "张伟",
                &id_card("510104", 1),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let foreign_teacher = app
            .create_teacher(
                &admin,
                other_county["id"].as_i64().unwrap(),
                "李娜",
                &id_card("510105", 2),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let far_teacher = app
            .create_teacher(
                &admin,
                other_city["id"].as_i64().unwrap(),
                "王芳",
                &id_card("510703", 3),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let (county_id, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        let sa = app
            .create_account(&county, "jj.school", "school_admin", &school_code(1), None)
            .await;
        let sa_id = sa["id"].as_i64().unwrap();
        let sa_token = app.login("jj.school", PASSWORD).await;

        // A school admin cannot point its own account at anyone, not even a teacher of its own school.
        for target in [foreign_teacher, own_teacher] {
            app.put(
                &format!("/api/accounts/{sa_id}"),
                &sa_token,
                &json!({ "display_name": "x", "teacher_id": target }),
            )
            .await
            .expect_field_error("id");
        }
        // Nor a county admin its own.
        app.put(
            &format!("/api/accounts/{county_id}"),
            &county,
            &json!({ "display_name": "x", "teacher_id": far_teacher }),
        )
        .await
        .expect_field_error("id");
        assert_eq!(teacher_id_of(&app, sa_id).await, None);
        assert_eq!(teacher_id_of(&app, county_id).await, None);

        // A county admin re-linking an account it manages: another county, another city, unknown, negative → 422.
        for target in [foreign_teacher, far_teacher, 999_999, -1] {
            app.put(
                &format!("/api/accounts/{sa_id}"),
                &county,
                &json!({ "display_name": "jj.school", "teacher_id": target }),
            )
            .await
            .expect_field_error("teacher_id");
        }
        assert_eq!(teacher_id_of(&app, sa_id).await, None, "nothing changed");
        // Creating a teacher account for a foreign teacher is refused the same way.
        let before = app.count_rows("accounts").await;
        for target in [foreign_teacher, -5] {
            app.post(
                "/api/accounts",
                &county,
                &json!({ "username": format!("linked.t{target}"), "password": PASSWORD, "display_name": "t",
                         "role": "teacher", "scope_code": school_code(1), "teacher_id": target }),
            )
            .await
            .expect_field_error("teacher_id");
        }
        assert_eq!(app.count_rows("accounts").await, before);
        // Within the caller's area and the account's own school the link is made.
        let linked = app
            .put(
                &format!("/api/accounts/{sa_id}"),
                &county,
                &json!({ "display_name": "jj.school", "teacher_id": own_teacher }),
            )
            .await
            .expect(200);
        assert_eq!(linked.body["teacher_id"], own_teacher);
    }
);

both_engines!(
    reviewer_pool_references_stay_in_the_callers_area,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let own_school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let foreign_school = app
            .create_school(&admin, &school_code(2), "510105", "青羊区实验小学")
            .await;
        let (_, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        let foreign = app
            .create_account(&admin, "qy.rev", "reviewer", "510105", None)
            .await;
        let far = app
            .create_account(&admin, "my.rev", "reviewer", "510703", None)
            .await;
        let mine = app
            .create_account(&admin, "jj.rev", "reviewer", "510104", None)
            .await;
        let before = app.count_rows("lesson_reviewers").await;
        for account in [&foreign, &far] {
            app.post(
                "/api/lesson-reviewers",
                &county,
                &json!({ "account_id": account["id"] }),
            )
            .await
            .expect_field_error("account_id");
        }
        app.post(
            "/api/lesson-reviewers",
            &county,
            &json!({ "account_id": 123_456 }),
        )
        .await
        .expect_field_error("account_id");
        for school in [foreign_school["id"].as_i64().unwrap(), 987_654] {
            app.post(
                "/api/lesson-reviewers",
                &county,
                &json!({ "account_id": mine["id"], "home_school_id": school }),
            )
            .await
            .expect_field_error("home_school_id");
        }
        assert_eq!(app.count_rows("lesson_reviewers").await, before);
        let ok = app
            .post(
                "/api/lesson-reviewers",
                &county,
                &json!({ "account_id": mine["id"], "home_school_id": own_school["id"] }),
            )
            .await
            .expect(200);
        assert_eq!(ok.body["home_school_id"], own_school["id"]);
    }
);

both_engines!(
    own_password_is_never_set_with_a_bare_token,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let me = app.get("/api/me", &admin).await.expect(200).id();
        let (county_id, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        for (id, token) in [(me, &admin), (county_id, &county)] {
            app.post(
                &format!("/api/accounts/{id}/password"),
                token,
                &json!({ "new_password": "Stolen#Token2025" }),
            )
            .await
            .expect_field_error("id");
            let own = app
                .get(&format!("/api/accounts/{id}"), token)
                .await
                .expect(200);
            assert_eq!(own.body["manageable"], false);
        }
        // Both still sign in with their old passwords; the stolen-token password does nothing.
        app.login_resp("admin", ADMIN_PASSWORD).await.expect(200);
        app.login_resp("jj.county", PASSWORD).await.expect(200);
        app.login_resp("jj.county", "Stolen#Token2025")
            .await
            .expect_problem(401, "invalid_credentials");
    }
);

both_engines!(
    peers_do_not_manage_each_other_and_nobody_creates_their_own_rank,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let (_, city) = app.region_admin("cd.city", "city_admin", "510100").await;
        let a = app
            .create_account(&city, "jj.one", "county_admin", "510104", None)
            .await;
        let b = app
            .create_account(&city, "jj.two", "county_admin", "510104", None)
            .await;
        let one = app.login("jj.one", PASSWORD).await;
        let b_id = b["id"].as_i64().unwrap();
        let _ = a;
        // The peer is visible but not manageable: password and deactivation refused, nothing changes.
        let peer = app
            .get(&format!("/api/accounts/{b_id}"), &one)
            .await
            .expect(200);
        assert_eq!(peer.body["manageable"], false);
        app.post(
            &format!("/api/accounts/{b_id}/password"),
            &one,
            &json!({ "new_password": "Peer#Reset2025" }),
        )
        .await
        .expect_problem(403, "forbidden");
        app.post(
            &format!("/api/accounts/{b_id}/deactivate"),
            &one,
            &json!({}),
        )
        .await
        .expect_problem(403, "forbidden");
        app.put(
            &format!("/api/accounts/{b_id}"),
            &one,
            &json!({ "display_name": "taken over" }),
        )
        .await
        .expect_problem(403, "forbidden");
        app.login_resp("jj.two", PASSWORD).await.expect(200);

        // A county admin creates no county admin (nor raises anyone to one).
        let before = app.count_rows("accounts").await;
        app.post(
            "/api/accounts",
            &one,
            &json!({ "username": "jj.three", "password": PASSWORD, "display_name": "x",
                     "role": "county_admin", "scope_code": "510104" }),
        )
        .await
        .expect_field_error("role");
        assert_eq!(app.count_rows("accounts").await, before);
        // The city admin, one rank up, manages both.
        let managed = app
            .get(&format!("/api/accounts/{b_id}"), &city)
            .await
            .expect(200);
        assert_eq!(managed.body["manageable"], true);

        // Province admins: only the security administrator creates one (三员分立), and province admins cannot
        // manage each other.
        app.post(
            "/api/accounts",
            &admin,
            &json!({ "username": "sc.second", "password": PASSWORD, "display_name": "x",
                     "role": "province_admin", "scope_code": "510000" }),
        )
        .await
        .expect_field_error("role");
        let security = app.as_security().await;
        let p2 = app
            .create_account(&security, "sc.second", "province_admin", "510000", None)
            .await;
        let p2_token = app.login("sc.second", PASSWORD).await;
        let me = app.get("/api/me", &admin).await.expect(200).id();
        app.post(
            &format!("/api/accounts/{me}/password"),
            &p2_token,
            &json!({ "new_password": "Peer#Reset2025" }),
        )
        .await
        .expect_problem(403, "forbidden");
        app.post(
            &format!("/api/accounts/{me}/deactivate"),
            &p2_token,
            &json!({}),
        )
        .await
        .expect_problem(403, "forbidden");
        let p2_id = p2["id"].as_i64().unwrap();
        app.post(
            &format!("/api/accounts/{p2_id}/deactivate"),
            &admin,
            &json!({}),
        )
        .await
        .expect_problem(403, "forbidden");
        app.post(
            "/api/accounts",
            &city,
            &json!({ "username": "cd.city2", "password": PASSWORD, "display_name": "x",
                     "role": "city_admin", "scope_code": "510100" }),
        )
        .await
        .expect_field_error("role");
    }
);

both_engines!(
    parallel_wrong_logins_lock_after_exactly_the_threshold,
    |app: TestApp| async move {
        let threshold = app.config.lockout_threshold as usize;
        let attempts = (0..20).map(|_| app.login_resp("admin", "Wrong#Pass2024"));
        let answers = futures_join(attempts).await;
        let wrong = answers.iter().filter(|r| r.status == 401).count();
        let locked = answers.iter().filter(|r| r.status == 423).count();
        assert_eq!(wrong, threshold, "exactly the threshold of password checks");
        assert_eq!(locked, 20 - threshold);
        app.login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(423, "account_locked");

        // The lock grows: once it has run out, the next threshold of failures locks the pair twice as long.
        let first_lock = app.config.lockout_minutes;
        entity::login_throttle::Entity::update_many()
            .col_expr(
                entity::login_throttle::Column::LockedUntil,
                Expr::value(Utc::now() - chrono::Duration::seconds(1)),
            )
            .exec(&app.db)
            .await
            .unwrap();
        for _ in 0..threshold {
            app.login_resp("admin", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        let row = entity::login_throttle::Entity::find()
            .filter(entity::login_throttle::Column::Username.eq("admin"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let left = (row.locked_until.unwrap() - Utc::now()).num_minutes();
        assert!(
            left > first_lock,
            "second lock {left} min, first {first_lock} min"
        );
        assert_eq!(row.strikes, 2);
    }
);

/// Runs the futures concurrently on this task and returns their outputs in order.
async fn futures_join<F: std::future::Future<Output = Resp>>(
    futures: impl Iterator<Item = F>,
) -> Vec<Resp> {
    let set: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs: Vec<Option<Resp>> = set.iter().map(|_| None).collect();
    let mut pending: Vec<_> = set.into_iter().enumerate().collect();
    std::future::poll_fn(move |cx| {
        pending.retain_mut(|(i, f)| match f.as_mut().poll(cx) {
            std::task::Poll::Ready(r) => {
                outputs[*i] = Some(r);
                false
            }
            std::task::Poll::Pending => true,
        });
        if pending.is_empty() {
            std::task::Poll::Ready(
                std::mem::take(&mut outputs)
                    .into_iter()
                    .map(Option::unwrap)
                    .collect(),
            )
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

fn behind_one_proxy(c: &mut Config) {
    c.trust_proxy = true;
    c.lockout_account_threshold = 8;
}

both_engines!(
    a_stranger_locks_only_itself_and_the_owner_keeps_a_known_address,
    config = behind_one_proxy,
    |app: TestApp| async move {
        // The owner has signed in from the office before.
        login_from(&app, "admin", ADMIN_PASSWORD, "198.51.100.7")
            .await
            .expect(200);
        // A stranger at one address: locked after the threshold, the owner elsewhere is not.
        for _ in 0..app.config.lockout_threshold {
            login_from(&app, "admin", "Wrong#Pass2024", "203.0.113.1")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        login_from(&app, "admin", ADMIN_PASSWORD, "203.0.113.1")
            .await
            .expect_problem(423, "account_locked");
        login_from(&app, "admin", ADMIN_PASSWORD, "192.0.2.44")
            .await
            .expect(200);
        // A sustained attack from many addresses locks the account for every unknown address …
        for n in 2..=4 {
            for _ in 0..3 {
                let _ =
                    login_from(&app, "admin", "Wrong#Pass2024", &format!("203.0.113.{n}")).await;
            }
        }
        login_from(&app, "admin", ADMIN_PASSWORD, "203.0.113.99")
            .await
            .expect_problem(423, "account_locked");
        // … but not for the addresses the owner has signed in from, and that success does not unlock the rest.
        login_from(&app, "admin", ADMIN_PASSWORD, "198.51.100.7")
            .await
            .expect(200);
        login_from(&app, "admin", ADMIN_PASSWORD, "203.0.113.98")
            .await
            .expect_problem(423, "account_locked");
        // Known addresses are stored only as keyed hashes.
        let stored = entity::known_address::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert!(!stored.is_empty());
        assert!(stored.iter().all(|k| !k.address_hash.contains("198.51")));
    }
);

fn small_rate_behind_proxy(c: &mut Config) {
    c.trust_proxy = true;
    c.login_rate_per_minute = 3;
}

both_engines!(
    a_spoofed_forwarded_header_changes_neither_the_audit_address_nor_the_rate_limit,
    config = small_rate_behind_proxy,
    |app: TestApp| async move {
        let ok = login_from(&app, "admin", ADMIN_PASSWORD, "6.6.6.6, 203.0.113.50")
            .await
            .expect(200);
        let token = s(&ok.body, "access_token");
        let login = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("auth.login"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert!(login.detail.contains("203.0.113.50"), "{}", login.detail);
        assert!(!login.detail.contains("6.6.6.6"), "{}", login.detail);
        // An audited action records the proxy-appended address too.
        app.call_headers(
            Method::POST,
            "/api/schools",
            Some(&token),
            &[
                ("x-forwarded-for", "7.7.7.7, 203.0.113.50".to_string()),
                ("content-type", "application/json".to_string()),
            ],
            Some(serde_json::to_vec(&school_body(&school_code(9), "510104", "审计小学")).unwrap()),
        )
        .await
        .expect(200);
        let created = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("school.create"))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(created.ip.as_deref(), Some("203.0.113.50"));
        // Varying the client-set part does not give a fresh per-address budget.
        for n in 1..=2 {
            login_from(
                &app,
                "nobody",
                "Wrong#Pass2024",
                &format!("10.9.9.{n}, 203.0.113.50"),
            )
            .await
            .expect_problem(401, "invalid_credentials");
        }
        login_from(&app, "nobody", "Wrong#Pass2024", "10.9.9.3, 203.0.113.50")
            .await
            .expect_problem(429, "rate_limited");
        // Another real client still has its own budget.
        login_from(&app, "nobody", "Wrong#Pass2024", "10.9.9.3, 203.0.113.51")
            .await
            .expect_problem(401, "invalid_credentials");
    }
);

/// Stores a reset link for the account as `forgotPassword` would and returns its token.
async fn reset_link(app: &TestApp, account_id: i64) -> String {
    let (token, hash) = yanxiu::platform::crypto::new_token();
    entity::password_reset::ActiveModel {
        account_id: Set(account_id),
        token_hash: Set(hash),
        created_at: Set(Utc::now()),
        expires_at: Set(Utc::now() + chrono::Duration::minutes(30)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    token
}

both_engines!(
    every_reset_link_dies_with_a_reset_or_a_password_change,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let me = app.get("/api/me", &admin).await.expect(200).id();
        let (_, city) = app.region_admin("cd.city", "city_admin", "510100").await;
        let older = reset_link(&app, me).await;
        let newer = reset_link(&app, me).await;
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": newer, "new_password": "Reset#Pass2025" }),
        )
        .await
        .expect(204);
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": older, "new_password": "Older#Link2025" }),
        )
        .await
        .expect_problem(401, "invalid_reset_token");
        // A password change ends outstanding links too.
        let pending = reset_link(&app, me).await;
        let token = app.login("admin", "Reset#Pass2025").await;
        app.post(
            "/api/auth/password",
            &token,
            &json!({ "current_password": "Reset#Pass2025", "new_password": "Changed#Pass2025" }),
        )
        .await
        .expect(200);
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": pending, "new_password": "Pending#Link2025" }),
        )
        .await
        .expect_problem(401, "invalid_reset_token");
        // And so does an administrator setting the password.
        let county = app
            .create_account(&city, "jj.county", "county_admin", "510104", None)
            .await
            .get("id")
            .and_then(Value::as_i64)
            .unwrap();
        let link = reset_link(&app, county).await;
        app.post(
            &format!("/api/accounts/{county}/password"),
            &city,
            &json!({ "new_password": "ByCity#Pass2025" }),
        )
        .await
        .expect(204);
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": link, "new_password": "Link#After2025" }),
        )
        .await
        .expect_problem(401, "invalid_reset_token");
        app.login_resp("jj.county", "ByCity#Pass2025")
            .await
            .expect(200);
    }
);

async fn refresh(app: &TestApp, token: &str) -> Resp {
    app.post_public("/api/auth/refresh", &json!({ "refresh_token": token }))
        .await
}

both_engines!(
    two_tabs_refreshing_at_once_stay_signed_in,
    |app: TestApp| async move {
        let p1 = app.login_pair("admin", ADMIN_PASSWORD).await;
        let token = s(&p1, "refresh_token");
        // Both tabs at once, and once more right after: all get a working pair.
        let both = futures_join([refresh(&app, &token), refresh(&app, &token)].into_iter()).await;
        let again = refresh(&app, &token).await.expect(200);
        for pair in both.iter().map(|r| &r.body).chain([&again.body]) {
            assert!(pair["access_token"].is_string(), "{pair}");
            app.get("/api/me", &s(pair, "access_token"))
                .await
                .expect(200);
            refresh(&app, &s(pair, "refresh_token")).await.expect(200);
        }
        // After the grace window, reuse is taken for theft as before: the whole chain ends.
        let p = app.login_pair("admin", ADMIN_PASSWORD).await;
        let next = refresh(&app, &s(&p, "refresh_token"))
            .await
            .expect(200)
            .body;
        entity::refresh_token::Entity::update_many()
            .col_expr(
                entity::refresh_token::Column::UsedAt,
                Expr::value(
                    Utc::now() - chrono::Duration::seconds(app.config.refresh_grace_seconds + 1),
                ),
            )
            .filter(entity::refresh_token::Column::UsedAt.is_not_null())
            .exec(&app.db)
            .await
            .unwrap();
        refresh(&app, &s(&p, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
        refresh(&app, &s(&next, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
    }
);

both_engines!(
    names_refuse_direction_overrides_and_zero_width_characters,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let school_id = school["id"].as_i64().unwrap();
        let (teachers, schools, accounts) = (
            app.count_rows("teachers").await,
            app.count_rows("schools").await,
            app.count_rows("accounts").await,
        );
        for bad in [
            "张\u{202E}伟",
            "李\u{200B}娜",
            "\u{2066}王芳\u{2069}",
            "刘\u{FEFF}洋",
        ] {
            app.post(
                "/api/teachers",
                &admin,
                &teacher_body(school_id, bad, &id_card("510104", 7)),
            )
            .await
            .expect_field_error("name");
            app.post(
                "/api/schools",
                &admin,
                &school_body(&school_code(2), "510104", bad),
            )
            .await
            .expect_field_error("name");
            app.post(
                "/api/accounts",
                &admin,
                &json!({ "username": "named", "password": PASSWORD, "display_name": bad,
                         "role": "county_admin", "scope_code": "510104" }),
            )
            .await
            .expect_field_error("display_name");
        }
        let (_, county) = app
            .region_admin("jj.county", "county_admin", "510104")
            .await;
        let sa = app
            .create_account(&county, "jj.school", "school_admin", &school_code(1), None)
            .await;
        app.put(
            &format!("/api/accounts/{}", sa["id"]),
            &county,
            &json!({ "display_name": "校\u{202D}长" }),
        )
        .await
        .expect_field_error("display_name");
        assert_eq!(app.count_rows("teachers").await, teachers);
        assert_eq!(app.count_rows("schools").await, schools);
        assert_eq!(app.count_rows("accounts").await, accounts + 2);
        // The import path uses the same check and names the column.
        let csv = format!(
            "name,id_card,school_code,stage,subject\n张\u{202E}伟,{},{},小学,数学\n",
            id_card("510104", 8),
            school_code(1)
        );
        let dry = app
            .upload(
                "/api/import/teachers",
                Some(&admin),
                "t.csv",
                "text/csv",
                csv.into_bytes(),
            )
            .await
            .expect(200);
        let errors = dry.body["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{}", dry.text());
        assert_eq!(errors[0]["column"], "name");
        assert_eq!(app.count_rows("teachers").await, teachers);
    }
);

/// A pending result batch for 锦江区 submitted by `submitter`, as an upload would leave it.
async fn pending_batch(app: &TestApp, program: i64, submitter: i64) -> i64 {
    entity::result_batch::ActiveModel {
        program_id: Set(program),
        node_code: Set("510104".into()),
        node_path: Set("/510000/510100/510104/".into()),
        status: Set(entity::result_batch::ResultBatchStatus::Pending),
        rows: Set("[]".into()),
        row_count: Set(0),
        file_name: Set("results.csv".into()),
        submitted_by: Set(submitter),
        submitted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
    .id
}

both_engines!(
    results_are_confirmed_by_a_different_entitled_person,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let school = app
            .create_school(&admin, &school_code(1), "510104", "锦江区实验小学")
            .await;
        let teacher = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                "张伟",
                &id_card("510104", 1),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        let program = app.province_program(&admin, &school_code(1), 10.0).await;
        let (_, city) = app.region_admin("cd.city", "city_admin", "510100").await;
        let mut ids = Vec::new();
        for name in ["jj.first", "jj.second", "jj.third"] {
            ids.push(
                app.create_account(&city, name, "county_admin", "510104", None)
                    .await["id"]
                    .as_i64()
                    .unwrap(),
            );
        }
        // The first two accounts are one person: both sign in as the same teacher record.
        for id in &ids[..2] {
            app.put(
                &format!("/api/accounts/{id}"),
                &city,
                &json!({ "display_name": "张伟", "teacher_id": teacher }),
            )
            .await
            .expect(200);
        }
        let (first, second, third) = (
            app.login("jj.first", PASSWORD).await,
            app.login("jj.second", PASSWORD).await,
            app.login("jj.third", PASSWORD).await,
        );
        let batch = pending_batch(&app, program, ids[0]).await;
        let decide = format!("/api/result-batches/{batch}/decision");
        for same_person in [&first, &second] {
            app.post(&decide, same_person, &json!({ "decision": "approve" }))
                .await
                .expect(409);
        }
        let school_admin = app
            .create_account(&admin, "jj.sa", "school_admin", &school_code(1), None)
            .await;
        let _ = school_admin;
        let sa = app.login("jj.sa", PASSWORD).await;
        // A school admin holds program rights only over its school, not over the county's batch.
        let refused = app
            .post(&decide, &sa, &json!({ "decision": "approve" }))
            .await;
        assert!(
            refused.status == 403 || refused.status == 404,
            "{}",
            refused.text()
        );
        let done = app
            .post(&decide, &third, &json!({ "decision": "approve" }))
            .await
            .expect(200);
        assert_eq!(done.body["status"], "confirmed");
    }
);
