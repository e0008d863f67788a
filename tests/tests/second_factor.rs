//! The second factor (TOTP): enrolment, the two-step sign-in, wrong codes, replay, recovery codes, challenge
//! expiry and attempt limits, the role policy's enrolment-only session, step-up, and the reset by a security
//! administrator.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::Utc;
use sea_orm::{EntityTrait, sea_query::Expr};
use serde_json::json;
use yanxiu::auth::totp;
use yanxiu_tests::*;

/// The production policy: administrators must use a second factor.
fn required(c: &mut yanxiu::platform::config::Config) {
    c.mfa_required_roles = yanxiu::platform::config::Config::default().mfa_required_roles;
}

/// A code of the current time step shifted by `offset` (−1, 0, +1 are accepted).
fn code(secret: &[u8], offset: i64) -> String {
    totp::code_at_step(secret, totp::step_at(Utc::now().timestamp()) + offset)
}

/// Waits for a fresh time step when the current one is nearly over, so a test's codes (computed now, checked a
/// moment later) stay within the accepted window.
async fn settle() {
    let into_step = Utc::now().timestamp().rem_euclid(totp::STEP_SECONDS);
    if into_step > 15 {
        tokio::time::sleep(Duration::from_secs(
            (totp::STEP_SECONDS - into_step + 1) as u64,
        ))
        .await;
    }
}

/// Enrols the caller's authenticator: the secret (from the manual key) and the recovery codes. Uses the previous
/// step's code, leaving the current and next ones for the test.
async fn enrol(app: &TestApp, token: &str) -> (Vec<u8>, Vec<String>) {
    let started = app
        .post("/api/auth/second-factor/enrolment", token, &json!({}))
        .await
        .expect(200);
    let uri = started.body["otpauth_uri"].as_str().unwrap();
    let key = started.body["manual_key"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Yanxiu:"), "{uri}");
    assert!(uri.contains(&format!("secret={key}")), "{uri}");
    assert!(started.body["qr_svg"].as_str().unwrap().starts_with("<svg"));
    let secret = totp::from_base32(key).unwrap();
    let confirmed = app
        .post(
            "/api/auth/second-factor/enrolment/confirm",
            token,
            &json!({ "code": code(&secret, -1) }),
        )
        .await
        .expect(200);
    let codes: Vec<String> = confirmed.body["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn challenge(app: &TestApp, username: &str, password: &str) -> String {
    let r = app.login_resp(username, password).await.expect(200);
    assert_eq!(r.body["mfa_required"], true, "{}", r.text());
    assert!(r.body.get("access_token").is_none(), "{}", r.text());
    r.body["challenge"].as_str().unwrap().to_string()
}

async fn second_step(app: &TestApp, challenge: &str, code: &str) -> Resp {
    app.post_public(
        "/api/auth/login/second-factor",
        &json!({ "challenge": challenge, "code": code }),
    )
    .await
}

fn access(r: &Resp) -> String {
    r.body["access_token"].as_str().unwrap().to_string()
}

both_engines!(
    optional_factor_two_step_sign_in_replay_and_recovery_codes,
    |app: TestApp| async move {
        settle().await;
        // Nobody is required to: a password alone gives tokens, as before.
        let token = app.as_admin().await;
        let me = app.get("/api/me", &token).await.expect(200);
        assert_eq!(me.body["session"]["second_factor_active"], false);
        assert_eq!(me.body["session"]["second_factor_required"], false);
        let (secret, recovery) = enrol(&app, &token).await;
        let status = app.get("/api/auth/second-factor", &token).await.expect(200);
        assert_eq!(status.body["active"], true);
        assert_eq!(status.body["recovery_codes_left"], 10);

        // Now the password step answers with a challenge; a wrong code is refused, the right one signs in.
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        second_step(&app, &ch, "000000")
            .await
            .expect_problem(401, "invalid_second_factor_code");
        let now_code = code(&secret, 0);
        let signed = second_step(&app, &ch, &now_code).await.expect(200);
        let me = app.get("/api/me", &access(&signed)).await.expect(200);
        assert_eq!(me.body["session"]["second_factor_active"], true);
        // The challenge is used up, and the code cannot be replayed in its window, nor an older one.
        second_step(&app, &ch, &code(&secret, 1))
            .await
            .expect_problem(401, "invalid_challenge");
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        second_step(&app, &ch, &now_code)
            .await
            .expect_problem(401, "invalid_second_factor_code");
        second_step(&app, &ch, &code(&secret, -1))
            .await
            .expect_problem(401, "invalid_second_factor_code");

        // A recovery code works once (typed in upper case without dashes too).
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        let typed = recovery[0].replace('-', "").to_uppercase();
        second_step(&app, &ch, &typed).await.expect(200);
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        second_step(&app, &ch, &recovery[0])
            .await
            .expect_problem(401, "invalid_second_factor_code");
        let status = app
            .get("/api/auth/second-factor", &access(&signed))
            .await
            .expect(200);
        assert_eq!(status.body["recovery_codes_left"], 9);

        // Disabling needs a current code; afterwards the password alone signs in again.
        let token = access(&signed);
        app.post(
            "/api/auth/second-factor/disable",
            &token,
            &json!({ "code": "123456" }),
        )
        .await
        .expect_field_error("code");
        app.post(
            "/api/auth/second-factor/disable",
            &token,
            &json!({ "code": code(&secret, 1) }),
        )
        .await
        .expect(204);
        let plain = app.login_resp("admin", ADMIN_PASSWORD).await.expect(200);
        assert!(plain.body["access_token"].is_string(), "{}", plain.text());
        let actions = audit_actions(&app).await;
        for action in [
            "auth.second_factor_enrolled",
            "auth.second_factor_failed",
            "auth.recovery_code_used",
            "auth.second_factor_disabled",
        ] {
            assert!(
                actions.iter().any(|a| a == action),
                "{action} in {actions:?}"
            );
        }
    }
);

async fn audit_actions(app: &TestApp) -> Vec<String> {
    entity::audit_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

both_engines!(
    required_factor_restricts_the_session_to_enrolment,
    config = required,
    |app: TestApp| async move {
        settle().await;
        let token = app.login("admin", ADMIN_PASSWORD).await;
        app.get("/api/schools", &token)
            .await
            .expect_problem(403, "second_factor_enrolment_required");
        app.get("/api/auth/sessions", &token)
            .await
            .expect_problem(403, "second_factor_enrolment_required");
        let me = app.get("/api/me", &token).await.expect(200);
        assert_eq!(me.body["session"]["restriction"], "second_factor_enrolment");
        assert_eq!(me.body["session"]["second_factor_required"], true);
        let (secret, _) = enrol(&app, &token).await;
        // Enrolling lifts the restriction of this very session.
        app.get("/api/schools", &token).await.expect(200);
        // Where the policy requires it, it cannot be turned off.
        app.post(
            "/api/auth/second-factor/disable",
            &token,
            &json!({ "code": code(&secret, 0) }),
        )
        .await
        .expect_field_error("code");
        // A reviewer (not in the policy) signs in with a password alone and is not restricted.
        app.create_account(&token, "plain-reviewer", "reviewer", "510104", None)
            .await;
        let reviewer = app.login("plain-reviewer", PASSWORD).await;
        app.get("/api/auth/sessions", &reviewer).await.expect(200);
    }
);

both_engines!(
    challenges_expire_and_wrong_codes_are_limited,
    |app: TestApp| async move {
        settle().await;
        let token = app.as_admin().await;
        let (secret, _) = enrol(&app, &token).await;
        // An expired challenge (moved 6 minutes into the past in the database) is refused.
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        entity::sign_in_challenge::Entity::update_many()
            .col_expr(
                entity::sign_in_challenge::Column::ExpiresAt,
                Expr::val(Utc::now() - chrono::Duration::minutes(1)),
            )
            .exec(&app.db)
            .await
            .unwrap();
        second_step(&app, &ch, &code(&secret, 0))
            .await
            .expect_problem(401, "invalid_challenge");
        // Three wrong codes end a challenge, even before the right one arrives.
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        for _ in 0..3 {
            second_step(&app, &ch, "111111")
                .await
                .expect_problem(401, "invalid_second_factor_code");
        }
        second_step(&app, &ch, &code(&secret, 0))
            .await
            .expect_problem(401, "invalid_challenge");
        // Across challenges the account counts too: the fifth wrong code locks the second factor.
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        for _ in 0..2 {
            second_step(&app, &ch, "222222")
                .await
                .expect_problem(401, "invalid_second_factor_code");
        }
        let ch = challenge(&app, "admin", ADMIN_PASSWORD).await;
        second_step(&app, &ch, &code(&secret, 0))
            .await
            .expect_problem(423, "account_locked");
    }
);

// Revealing an ID number needs a recent second-factor verification from an account that has one.
both_engines!(step_up_required_and_refreshed, |app: TestApp| async move {
    settle().await;
    let admin = app.as_admin().await;
    let school = app
        .create_school(&admin, "2151000001", "510104", "锦江实验小学")
        .await;
    let teacher = app
        .post(
            "/api/teachers",
            &admin,
            &teacher_body(
                school["id"].as_i64().unwrap(),
                "张老师",
                &id_card("510104", 1),
            ),
        )
        .await
        .expect(200)
        .id();
    let reveal = format!("/api/teachers/{teacher}/reveal");
    let (secret, _) = enrol(&app, &admin).await;
    // Enrolling counted as a verification in this session.
    app.post(&reveal, &admin, &json!({})).await.expect(200);
    // Five minutes later (the verification moved into the past in the database) it is due again.
    let stale = Utc::now() - chrono::Duration::minutes(6);
    entity::session::Entity::update_many()
        .col_expr(entity::session::Column::SecondFactorAt, Expr::val(stale))
        .exec(&app.db)
        .await
        .unwrap();
    app.post(&reveal, &admin, &json!({}))
        .await
        .expect_problem(403, "step_up_required");
    let export = "/api/export/teachers?format=csv";
    let r = app.get(export, &admin).await;
    assert_eq!(
        (r.status, r.code()),
        (403, "step_up_required"),
        "{}",
        r.text()
    );
    let (county_id, _) = app.region_admin("county-x", "county_admin", "510104").await;
    let roles = json!({ "display_name": "county-x", "roles": [{ "role": "county_admin", "scope_code": "510105" }] });
    app.put(&format!("/api/accounts/{county_id}"), &admin, &roles)
        .await
        .expect_problem(403, "step_up_required");
    app.post("/api/auth/step-up", &admin, &json!({ "code": "999999" }))
        .await
        .expect_field_error("code");
    app.post(
        "/api/auth/step-up",
        &admin,
        &json!({ "code": code(&secret, 0) }),
    )
    .await
    .expect(204);
    app.post(&reveal, &admin, &json!({})).await.expect(200);
    app.put(&format!("/api/accounts/{county_id}"), &admin, &roles)
        .await
        .expect(200);
    assert!(
        audit_actions(&app)
            .await
            .iter()
            .any(|a| a == "auth.step_up")
    );
});

both_engines!(
    only_a_security_administrator_resets_a_lost_factor,
    |app: TestApp| async move {
        settle().await;
        let (county_id, county) = app.region_admin("county-y", "county_admin", "510104").await;
        enrol(&app, &county).await;
        let security = yanxiu::cli::bootstrap::create_account(
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
        assert!(security > 0);
        let reset = format!("/api/accounts/{county_id}/second-factor/reset");
        let admin = app.as_admin().await;
        app.post(&reset, &admin, &json!({})).await.expect(403);
        app.post(&reset, &county, &json!({})).await.expect(403);
        let officer = app.login("security-officer", PASSWORD).await;
        app.post(
            "/api/accounts/987654321/second-factor/reset",
            &officer,
            &json!({}),
        )
        .await
        .expect(404);
        app.post(&reset, &officer, &json!({})).await.expect(204);
        // The owner's sessions ended; the next sign-in needs the password only (and enrolment where required).
        app.get("/api/me", &county).await.expect(401);
        let again = app.login_resp("county-y", PASSWORD).await.expect(200);
        assert!(again.body["access_token"].is_string(), "{}", again.text());
        let actions = audit_actions(&app).await;
        assert!(actions.iter().any(|a| a == "auth.second_factor_reset"));
    }
);
