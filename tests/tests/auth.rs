//! Sign-in, lockout, token rotation and revocation, password change / policy, rate limit, forgot / reset by mail.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::Utc;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use yanxiu_tests::{smtp::SmtpServer, *};

fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {v}"))
        .to_string()
}

async fn refresh(app: &TestApp, token: &str) -> Resp {
    app.post_public("/api/auth/refresh", &json!({ "refresh_token": token }))
        .await
}

both_engines!(login_ok_and_me, |app: TestApp| async move {
    let pair = app.login_pair("admin", ADMIN_PASSWORD).await;
    assert_eq!(pair["token_type"], "Bearer");
    assert_eq!(pair["expires_in"], 15 * 60);
    assert!(!s(&pair, "refresh_token").is_empty());
    let me = app
        .get("/api/me", &s(&pair, "access_token"))
        .await
        .expect(200);
    assert_eq!(me.body["username"], "admin");
    assert_eq!(me.body["roles"][0]["role"], "province_admin");
    assert_eq!(me.body["roles"][0]["scope_code"], "510000");
    // Usernames are case-insensitive.
    app.login_resp("  ADMIN ", ADMIN_PASSWORD).await.expect(200);
    // No token, a garbage token: 401 problem+json.
    app.call(poem::http::Method::GET, "/api/me", None, None)
        .await
        .expect_problem(401, "unauthorized");
    app.get("/api/me", "not-a-jwt")
        .await
        .expect_problem(401, "unauthorized");
});

both_engines!(
    wrong_password_is_401_invalid_credentials,
    |app: TestApp| async move {
        let r = app.login_resp("admin", "Wrong#Pass2024").await;
        let r = r.expect_problem(401, "invalid_credentials");
        // An unknown user gets exactly the same answer.
        let ghost = app.login_resp("nobody-here", "Wrong#Pass2024").await;
        let ghost = ghost.expect_problem(401, "invalid_credentials");
        assert_eq!(r.body["detail"], ghost.body["detail"]);
    }
);

both_engines!(
    failed_sign_ins_tell_the_attempts_left_alike_for_real_and_unknown_usernames,
    |app: TestApp| async move {
        // A success starts the count afresh: the countdown below begins at four again.
        let first = app
            .login_resp("admin", "Wrong#Pass2024")
            .await
            .expect_problem(401, "invalid_credentials");
        assert_eq!(first.body["params"]["remaining_attempts"], 4);
        app.login_resp("admin", ADMIN_PASSWORD).await.expect(200);
        for left in (0..5).rev() {
            let real = app
                .login_resp("admin", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
            let ghost = app
                .login_resp("ghost.user", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
            assert_eq!(
                real.body["params"]["remaining_attempts"], left,
                "{}",
                real.body
            );
            assert_eq!(real.body["params"], ghost.body["params"]);
            assert_eq!(real.body["detail"], ghost.body["detail"]);
        }
        // Locked: both say how long, the first lock lasting the configured 15 minutes.
        let real = app
            .login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(423, "account_locked");
        let ghost = app
            .login_resp("ghost.user", "Whatever#1")
            .await
            .expect_problem(423, "account_locked");
        for locked in [&real, &ghost] {
            let seconds = locked.body["params"]["retry_after_seconds"]
                .as_i64()
                .unwrap_or_else(|| panic!("no retry_after_seconds in {}", locked.body));
            assert!((15 * 60 - 60..=15 * 60).contains(&seconds), "{seconds}");
        }
    }
);

both_engines!(
    five_failures_lock_real_and_unknown_usernames_alike,
    |app: TestApp| async move {
        for i in 1..=5 {
            app.login_resp("admin", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
            app.login_resp("ghost.user", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
            let _ = i;
        }
        // Even the right password is refused while locked.
        let real = app
            .login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(423, "account_locked");
        let ghost = app
            .login_resp("ghost.user", "Whatever#1")
            .await
            .expect_problem(423, "account_locked");
        // No existence leak: same status, code, detail and title.
        for key in ["code", "detail", "title", "type"] {
            assert_eq!(real.body[key], ghost.body[key], "{key} differs");
        }
    }
);

both_engines!(
    refresh_rotates_and_reuse_revokes_the_chain,
    // Without the grace window for two tabs refreshing at once, so the reuse below is taken for theft.
    config = |c: &mut yanxiu::platform::config::Config| c.refresh_grace_seconds = 0,
    |app: TestApp| async move {
        let p1 = app.login_pair("admin", ADMIN_PASSWORD).await;
        let p2 = refresh(&app, &s(&p1, "refresh_token"))
            .await
            .expect(200)
            .body;
        assert_ne!(p1["refresh_token"], p2["refresh_token"]);
        app.get("/api/me", &s(&p2, "access_token"))
            .await
            .expect(200);
        let p3 = refresh(&app, &s(&p2, "refresh_token"))
            .await
            .expect(200)
            .body;
        // Reusing an already used refresh token: 401 …
        refresh(&app, &s(&p1, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
        // … and the whole chain is gone, including the newest token.
        refresh(&app, &s(&p3, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
        // Another session (another chain) is unaffected.
        let other = app.login_pair("admin", ADMIN_PASSWORD).await;
        refresh(&app, &s(&other, "refresh_token")).await.expect(200);
        // Garbage refresh token.
        refresh(&app, "nope")
            .await
            .expect_problem(401, "invalid_refresh_token");
    }
);

both_engines!(
    logout_revokes_the_refresh_chain,
    |app: TestApp| async move {
        let p1 = app.login_pair("admin", ADMIN_PASSWORD).await;
        let p2 = refresh(&app, &s(&p1, "refresh_token"))
            .await
            .expect(200)
            .body;
        app.post_public(
            "/api/auth/logout",
            &json!({ "refresh_token": s(&p2, "refresh_token") }),
        )
        .await
        .expect(204);
        refresh(&app, &s(&p2, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
        // Logging out with an unknown token is harmless.
        app.post_public("/api/auth/logout", &json!({ "refresh_token": "unknown" }))
            .await
            .expect(204);
    }
);

both_engines!(
    password_change_revokes_older_tokens_and_checks_policy,
    |app: TestApp| async move {
        let a = app.login_pair("admin", ADMIN_PASSWORD).await;
        let b = app.login_pair("admin", ADMIN_PASSWORD).await;
        let a_access = s(&a, "access_token");
        // Policy errors: 422 naming new_password; wrong current password names current_password.
        for weak in ["short1A", "alllowercaseletters", "12345678901"] {
            app.post(
                "/api/auth/password",
                &a_access,
                &json!({ "current_password": ADMIN_PASSWORD, "new_password": weak }),
            )
            .await
            .expect_field_error("new_password");
        }
        app.post(
            "/api/auth/password",
            &a_access,
            &json!({ "current_password": "Wrong#Pass2024", "new_password": "Brand#New2025" }),
        )
        .await
        .expect_field_error("current_password");
        // Nothing was revoked by failed attempts.
        app.get("/api/me", &a_access).await.expect(200);

        let c = app
            .post(
                "/api/auth/password",
                &a_access,
                &json!({ "current_password": ADMIN_PASSWORD, "new_password": "Brand#New2025" }),
            )
            .await
            .expect(200)
            .body;
        // Every older access token is dead, this session's too; the returned pair works.
        app.get("/api/me", &a_access)
            .await
            .expect_problem(401, "unauthorized");
        app.get("/api/me", &s(&b, "access_token"))
            .await
            .expect_problem(401, "unauthorized");
        for old in [&a, &b] {
            refresh(&app, &s(old, "refresh_token"))
                .await
                .expect_problem(401, "invalid_refresh_token");
        }
        app.get("/api/me", &s(&c, "access_token")).await.expect(200);
        refresh(&app, &s(&c, "refresh_token")).await.expect(200);
        app.login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(401, "invalid_credentials");
        app.login_resp("admin", "Brand#New2025").await.expect(200);
    }
);

both_engines!(
    deactivation_and_role_change_revoke_tokens,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let acc = app
            .create_account(&admin, "county.jj", "county_admin", "510104", None)
            .await;
        let id = acc["id"].as_i64().unwrap();
        let pair = app.login_pair("county.jj", PASSWORD).await;
        app.get("/api/me", &s(&pair, "access_token"))
            .await
            .expect(200);

        // Role change: 锦江区 → 青羊区 ends every session.
        let updated = app
            .put(
                &format!("/api/accounts/{id}"),
                &admin,
                &json!({
                    "display_name": "county.jj",
                    "roles": [{ "role": "county_admin", "scope_code": "510105" }],
                }),
            )
            .await
            .expect(200);
        assert_eq!(updated.body["roles"][0]["scope_code"], "510105");
        app.get("/api/me", &s(&pair, "access_token"))
            .await
            .expect_problem(401, "unauthorized");
        refresh(&app, &s(&pair, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");

        // A name-only update does not end sessions.
        let pair = app.login_pair("county.jj", PASSWORD).await;
        app.put(
            &format!("/api/accounts/{id}"),
            &admin,
            &json!({ "display_name": "青羊区管理员" }),
        )
        .await
        .expect(200);
        app.get("/api/me", &s(&pair, "access_token"))
            .await
            .expect(200);

        // Deactivation ends every session and blocks sign-in.
        app.post(
            &format!("/api/accounts/{id}/deactivate"),
            &admin,
            &json!({}),
        )
        .await
        .expect(200);
        app.get("/api/me", &s(&pair, "access_token"))
            .await
            .expect_problem(401, "unauthorized");
        refresh(&app, &s(&pair, "refresh_token"))
            .await
            .expect_problem(401, "invalid_refresh_token");
        app.login_resp("county.jj", PASSWORD)
            .await
            .expect_problem(401, "invalid_credentials");
        // Reactivated: can sign in again.
        app.post(&format!("/api/accounts/{id}/activate"), &admin, &json!({}))
            .await
            .expect(200);
        app.login_resp("county.jj", PASSWORD).await.expect(200);
    }
);

both_engines!(
    per_ip_login_rate_limit,
    config = |c: &mut yanxiu::platform::config::Config| c.login_rate_per_minute = 3,
    |app: TestApp| async move {
        for _ in 0..3 {
            app.login_resp("admin", "Wrong#Pass2024")
                .await
                .expect_problem(401, "invalid_credentials");
        }
        app.login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(429, "rate_limited");
    }
);

/// The reset tokens a forgot-password run mails, read back from the SMTP receiver.
async fn mailed_token(smtp: &SmtpServer, n: usize, to: &str) -> String {
    let msgs = smtp.wait_for(n, Duration::from_secs(20)).await;
    let m = &msgs[n - 1];
    assert_eq!(m.to, vec![to.to_string()]);
    let body = decode_mail_body(&m.data);
    reset_token_from(&body).unwrap_or_else(|| panic!("no reset link in mail: {body}"))
}

mod forgot_and_reset {
    use super::*;

    async fn run(engine: Engine) {
        let smtp = SmtpServer::start().await;
        let url = smtp.url();
        let app = TestApp::start(engine, move |c| c.smtp_url = Some(url)).await;
        let admin = app.as_admin().await;
        let me = app.get("/api/me", &admin).await.expect(200).body;
        let admin_id = me["id"].as_i64().unwrap();
        // Nobody manages the first province admin's own account through the API: its e-mail is set in the data.
        entity::account::Entity::update_many()
            .col_expr(
                entity::account::Column::Email,
                Expr::value("admin@sc.example.cn"),
            )
            .filter(entity::account::Column::Id.eq(admin_id))
            .exec(&app.db)
            .await
            .expect("set the admin's e-mail");

        let mailer = yanxiu::platform::mail::Mailer::from_config(
            app.config.smtp_url.as_deref(),
            &app.config.mail_from,
            &app.config.data_dir,
        )
        .expect("mailer");
        let worker = tokio::spawn(yanxiu::platform::jobs::run_worker(
            app.db.clone(),
            yanxiu::assemble::job_registry(&app.state, mailer),
            "test".into(),
            app.state.shutdown.clone(),
        ));

        // Same answer for an unknown login; only the real one gets mail.
        app.post_public("/api/auth/forgot", &json!({ "login": "nobody" }))
            .await
            .expect(202);
        app.post_public(
            "/api/auth/forgot",
            &json!({ "login": "admin@sc.example.cn" }),
        )
        .await
        .expect(202);
        let token = mailed_token(&smtp, 1, "admin@sc.example.cn").await;

        // Policy still applies on reset.
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": "weak" }),
        )
        .await
        .expect_field_error("new_password");
        let session = app.login_pair("admin", ADMIN_PASSWORD).await;
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": "Reset#Pass2025" }),
        )
        .await
        .expect(204);
        app.login_resp("admin", ADMIN_PASSWORD)
            .await
            .expect_problem(401, "invalid_credentials");
        let fresh = app.login("admin", "Reset#Pass2025").await;
        app.get("/api/me", &fresh).await.expect(200);
        // Sessions from before the reset ended.
        app.get("/api/me", &s(&session, "access_token"))
            .await
            .expect_problem(401, "unauthorized");
        // Single use.
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": "Again#Pass2025" }),
        )
        .await
        .expect_problem(401, "invalid_reset_token");

        // An expired token fails.
        app.post_public("/api/auth/forgot", &json!({ "login": "admin" }))
            .await
            .expect(202);
        let token2 = mailed_token(&smtp, 2, "admin@sc.example.cn").await;
        entity::password_reset::Entity::update_many()
            .col_expr(
                entity::password_reset::Column::ExpiresAt,
                Expr::value(Utc::now() - chrono::Duration::minutes(1)),
            )
            .filter(entity::password_reset::Column::UsedAt.is_null())
            .exec(&app.db)
            .await
            .expect("expire reset tokens");
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token2, "new_password": "Later#Pass2025" }),
        )
        .await
        .expect_problem(401, "invalid_reset_token");
        app.login_resp("admin", "Reset#Pass2025").await.expect(200);
        // Only two mails were sent (none for the unknown login).
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(smtp.messages().await.len(), 2);
        worker.abort();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        run(Engine::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        run(Engine::Postgres).await;
    }
}
