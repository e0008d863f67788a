//! Sessions: listing and ending my own, a security administrator's view of anyone's, the idle timeout and the
//! absolute lifetime (time moved by rewriting the session row in the database), cheap activity recording, the
//! last-sign-in notice, and the forced password change (first sign-in, expiry).
#![allow(clippy::unwrap_used)]

use chrono::Utc;
use poem::http::Method;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use yanxiu_tests::*;

const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                      Chrome/126.0.0.0 Safari/537.36";
const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

/// Signs in from a browser: the whole token pair.
async fn login_from(app: &TestApp, username: &str, password: &str, agent: &str) -> Value {
    let body = json!({ "username": username, "password": password });
    let r = app
        .call_headers(
            Method::POST,
            "/api/auth/login",
            None,
            &[
                ("user-agent", agent.to_string()),
                ("content-type", "application/json".to_string()),
            ],
            Some(serde_json::to_vec(&body).unwrap()),
        )
        .await
        .expect(200);
    r.body
}

fn access(pair: &Value) -> String {
    pair["access_token"].as_str().unwrap().to_string()
}

async fn refresh(app: &TestApp, pair: &Value) -> Resp {
    app.post_public(
        "/api/auth/refresh",
        &json!({ "refresh_token": pair["refresh_token"] }),
    )
    .await
}

/// Moves a session column into the past (instead of waiting for the clock).
async fn backdate(app: &TestApp, column: entity::session::Column, by: chrono::Duration) {
    entity::session::Entity::update_many()
        .col_expr(column, Expr::val(Utc::now() - by))
        .exec(&app.db)
        .await
        .unwrap();
}

both_engines!(list_and_end_my_sessions, |app: TestApp| async move {
    let desk = login_from(&app, "admin", ADMIN_PASSWORD, CHROME).await;
    let phone = login_from(&app, "admin", ADMIN_PASSWORD, IPHONE).await;
    let list = app
        .get("/api/auth/sessions", &access(&desk))
        .await
        .expect(200);
    let items = list.body.as_array().unwrap().clone();
    assert_eq!(items.len(), 2, "{}", list.text());
    let current: Vec<&Value> = items.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Chrome · Windows");
    let other = items.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(other["device"], "Safari · iOS");
    // Ending the phone's session ends its access and refresh tokens.
    let end = format!("/api/auth/sessions/{}/end", other["id"]);
    app.post(&end, &access(&desk), &json!({})).await.expect(204);
    app.get("/api/me", &access(&phone))
        .await
        .expect_problem(401, "session_ended");
    refresh(&app, &phone)
        .await
        .expect_problem(401, "invalid_refresh_token");
    // "End all my others" leaves this one.
    let third = login_from(&app, "admin", ADMIN_PASSWORD, IPHONE).await;
    let r = app
        .post("/api/auth/sessions/end-others", &access(&desk), &json!({}))
        .await
        .expect(200);
    assert_eq!(r.body["ended"], 1);
    app.get("/api/me", &access(&third)).await.expect(401);
    app.get("/api/me", &access(&desk)).await.expect(200);
    // Signing out ends the session of the refresh token.
    app.post_public(
        "/api/auth/logout",
        &json!({ "refresh_token": desk["refresh_token"] }),
    )
    .await
    .expect(204);
    app.get("/api/me", &access(&desk))
        .await
        .expect_problem(401, "session_ended");
    let actions: Vec<String> = entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq("auth.session_ended"))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.detail)
        .collect();
    assert_eq!(actions.len(), 3, "{actions:?}");
});

both_engines!(
    a_security_administrator_sees_and_ends_anyones_sessions,
    |app: TestApp| async move {
        let (county_id, county) = app.region_admin("county-s", "county_admin", "510104").await;
        let (_, city) = app.region_admin("city-s", "city_admin", "510100").await;
        yanxiu::cli::bootstrap::create_account(
            &app.state,
            "security-officer",
            PASSWORD,
            yanxiu::access::Role::SecurityAdmin,
            "510000",
            None,
            None,
            None,
        )
        .await
        .unwrap();
        let officer = app.login("security-officer", PASSWORD).await;
        let path = format!("/api/accounts/{county_id}/sessions");
        let list = app.get(&path, &officer).await.expect(200);
        let sessions = list.body.as_array().unwrap().clone();
        assert_eq!(sessions.len(), 1);
        assert_eq!(sessions[0]["current"], false);
        // Nobody else may look, not even the province administrator or the account's own managers.
        app.get(&path, &app.as_admin().await).await.expect(403);
        app.get(&path, &city).await.expect(403);
        let end = format!("/api/auth/sessions/{}/end", sessions[0]["id"]);
        app.post(&end, &city, &json!({})).await.expect(404);
        app.get("/api/me", &county).await.expect(200);
        app.post(&end, &officer, &json!({})).await.expect(204);
        app.get("/api/me", &county).await.expect(401);
        let ended = entity::session::Entity::find()
            .filter(entity::session::Column::AccountId.eq(county_id))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            ended.end_reason,
            Some(entity::session::SessionEndReason::EndedByAdministrator)
        );
    }
);

both_engines!(
    an_idle_session_ends,
    config = |c: &mut yanxiu::platform::config::Config| c.session_idle_minutes = 1,
    |app: TestApp| async move {
        let pair = app.login_pair("admin", ADMIN_PASSWORD).await;
        let me = app.get("/api/me", &access(&pair)).await.expect(200);
        assert_eq!(me.body["session"]["idle_timeout_minutes"], 1);
        // Half a minute idle is fine …
        backdate(
            &app,
            entity::session::Column::LastActiveAt,
            chrono::Duration::seconds(30),
        )
        .await;
        app.get("/api/me", &access(&pair)).await.expect(200);
        // … three minutes is not (one minute plus the minute of recording granularity have passed).
        backdate(
            &app,
            entity::session::Column::LastActiveAt,
            chrono::Duration::minutes(3),
        )
        .await;
        app.get("/api/me", &access(&pair))
            .await
            .expect_problem(401, "session_ended");
        refresh(&app, &pair)
            .await
            .expect_problem(401, "invalid_refresh_token");
        let session = entity::session::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            session.end_reason,
            Some(entity::session::SessionEndReason::IdleTimeout)
        );
    }
);

both_engines!(
    a_session_ends_after_its_lifetime,
    |app: TestApp| async move {
        let pair = app.login_pair("admin", ADMIN_PASSWORD).await;
        // Active all along, but signed in 13 hours ago (the default lifetime is 12).
        backdate(
            &app,
            entity::session::Column::CreatedAt,
            chrono::Duration::hours(13),
        )
        .await;
        refresh(&app, &pair)
            .await
            .expect_problem(401, "invalid_refresh_token");
        app.get("/api/me", &access(&pair))
            .await
            .expect_problem(401, "session_ended");
    }
);

both_engines!(
    activity_is_recorded_at_most_once_a_minute,
    |app: TestApp| async move {
        let token = app.login("admin", ADMIN_PASSWORD).await;
        let last = || async {
            entity::session::Entity::find()
                .one(&app.db)
                .await
                .unwrap()
                .unwrap()
                .last_active_at
        };
        backdate(
            &app,
            entity::session::Column::LastActiveAt,
            chrono::Duration::seconds(20),
        )
        .await;
        let before = last().await;
        app.get("/api/me", &token).await.expect(200);
        assert_eq!(last().await, before, "no write within the minute");
        backdate(
            &app,
            entity::session::Column::LastActiveAt,
            chrono::Duration::seconds(90),
        )
        .await;
        let before = last().await;
        app.get("/api/me", &token).await.expect(200);
        assert!(last().await > before + chrono::Duration::seconds(60));
        // 继续登录 counts at once.
        backdate(
            &app,
            entity::session::Column::LastActiveAt,
            chrono::Duration::seconds(20),
        )
        .await;
        let before = last().await;
        app.post("/api/auth/keep-alive", &token, &json!({}))
            .await
            .expect(204);
        assert!(last().await > before);
    }
);

both_engines!(
    the_last_sign_in_and_failures_since_are_shown,
    |app: TestApp| async move {
        let first = app.login("admin", ADMIN_PASSWORD).await;
        let me = app.get("/api/me", &first).await.expect(200);
        assert!(
            me.body["session"].get("previous_sign_in").is_none(),
            "{}",
            me.text()
        );
        assert_eq!(me.body["session"]["failed_sign_ins_since"], 0);
        for _ in 0..2 {
            app.login_resp("admin", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        let second = app.login("admin", ADMIN_PASSWORD).await;
        let me = app.get("/api/me", &second).await.expect(200);
        assert!(
            me.body["session"]["previous_sign_in"]["at"].is_string(),
            "{}",
            me.text()
        );
        assert!(me.body["session"]["previous_sign_in"]["ip"].is_string());
        assert_eq!(me.body["session"]["failed_sign_ins_since"], 2);
        let failures = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("auth.login_failed"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(failures.len(), 2);
        assert!(
            failures[0].detail.contains("\"ip\""),
            "{}",
            failures[0].detail
        );
    }
);

both_engines!(
    accounts_made_by_an_administrator_change_their_password_first,
    config = |c: &mut yanxiu::platform::config::Config| c.password_change_at_first_sign_in = true,
    |app: TestApp| async move {
        // The bootstrap administrator is not forced.
        let admin = app.as_admin().await;
        app.get("/api/schools", &admin).await.expect(200);
        app.create_account(&admin, "new-county", "county_admin", "510104", None)
            .await;
        let pair = app.login_pair("new-county", PASSWORD).await;
        let token = access(&pair);
        app.get("/api/schools", &token)
            .await
            .expect_problem(403, "password_change_required");
        let me = app.get("/api/me", &token).await.expect(200);
        assert_eq!(me.body["session"]["restriction"], "password_change");
        let changed = app
            .post(
                "/api/auth/password",
                &token,
                &json!({ "current_password": PASSWORD, "new_password": "Brand#New2025x" }),
            )
            .await
            .expect(200);
        app.get("/api/schools", &access(&changed.body))
            .await
            .expect(200);
        // The next sign-in is a normal one.
        let again = app.login("new-county", "Brand#New2025x").await;
        app.get("/api/schools", &again).await.expect(200);
        // A password an administrator sets is to be replaced at the next sign-in too.
        let id = me.body["id"].as_i64().unwrap();
        app.post(
            &format!("/api/accounts/{id}/password"),
            &admin,
            &json!({ "new_password": "Set#ByAdmin2025x" }),
        )
        .await
        .expect(204);
        let reset = app.login("new-county", "Set#ByAdmin2025x").await;
        app.get("/api/schools", &reset)
            .await
            .expect_problem(403, "password_change_required");
        let done = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Action.eq("auth.forced_password_change_done"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(done.len(), 1);
    }
);

both_engines!(
    an_expired_password_must_be_changed,
    config = |c: &mut yanxiu::platform::config::Config| c.password_max_age_days = 90,
    |app: TestApp| async move {
        let fresh = app.login("admin", ADMIN_PASSWORD).await;
        app.get("/api/schools", &fresh).await.expect(200);
        entity::account::Entity::update_many()
            .col_expr(
                entity::account::Column::PasswordChangedAt,
                Expr::val(Utc::now() - chrono::Duration::days(91)),
            )
            .filter(entity::account::Column::Username.eq("admin"))
            .exec(&app.db)
            .await
            .unwrap();
        let token = app.login("admin", ADMIN_PASSWORD).await;
        app.get("/api/schools", &token)
            .await
            .expect_problem(403, "password_change_required");
        let changed = app
            .post(
                "/api/auth/password",
                &token,
                &json!({ "current_password": ADMIN_PASSWORD, "new_password": "Renewed#Pass2025" }),
            )
            .await
            .expect(200);
        app.get("/api/schools", &access(&changed.body))
            .await
            .expect(200);
    }
);
