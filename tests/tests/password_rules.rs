//! Password rules beyond length and character classes: no well-known password, not the username with digits or
//! symbols added, and none of the account's last `password_history` passwords — wherever a password is set.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use yanxiu_tests::*;

/// Stores a reset link for the account as `forgotPassword` would and returns its token.
async fn reset_link(app: &TestApp, account_id: i64) -> String {
    use sea_orm::ActiveModelTrait;
    let (token, hash) = yanxiu::platform::crypto::new_token();
    let now = chrono::Utc::now();
    entity::password_reset::ActiveModel {
        account_id: sea_orm::Set(account_id),
        token_hash: sea_orm::Set(hash),
        created_at: sea_orm::Set(now),
        expires_at: sea_orm::Set(now + chrono::Duration::minutes(30)),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    token
}

/// The reason given on `field`, for the assertion messages.
fn reason(r: &Resp) -> String {
    r.text()
}

both_engines!(
    a_common_password_or_the_username_is_refused_everywhere,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let before = app.count_rows("accounts").await;
        for (username, password) in [
            ("m.common", "Password123!"),
            ("m.common", "P@SSW0RD2024"),
            ("m.common", "Qwerty@2023"),
            ("m.walker", "M.Walker2025!"),
        ] {
            let r = app
                .post(
                    "/api/accounts",
                    &admin,
                    &json!({ "username": username, "password": password, "display_name": "x",
                             "role": "county_admin", "scope_code": "510104" }),
                )
                .await
                .expect_field_error("password");
            // The reason is in the request's language (Chinese by default) and carries its catalogue code.
            assert!(
                !reason(&r).is_empty() && !reason(&r).contains(" / "),
                "one-language reason: {}",
                reason(&r)
            );
            assert!(
                r.body["errors"][0]["code"]
                    .as_str()
                    .is_some_and(|c| c.starts_with("password_")),
                "{}",
                r.text()
            );
        }
        assert_eq!(app.count_rows("accounts").await, before);
        let county = app
            .create_account(&admin, "m.county", "county_admin", "510104", None)
            .await["id"]
            .as_i64()
            .unwrap();
        app.post(
            &format!("/api/accounts/{county}/password"),
            &admin,
            &json!({ "new_password": "Iloveyou2024!" }),
        )
        .await
        .expect_field_error("new_password");
        let token = app.login("m.county", PASSWORD).await;
        app.post(
            "/api/auth/password",
            &token,
            &json!({ "current_password": PASSWORD, "new_password": "M.County#2025" }),
        )
        .await
        .expect_field_error("new_password");
        // Nothing changed: the old password still signs in.
        app.login("m.county", PASSWORD).await;
    }
);

both_engines!(
    the_last_passwords_cannot_be_used_again,
    config = |c: &mut yanxiu::platform::config::Config| c.password_history = 3,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let county = app
            .create_account(&admin, "m.county", "county_admin", "510104", None)
            .await["id"]
            .as_i64()
            .unwrap();
        let change = |current: &'static str, new: &'static str| {
            let app = &app;
            async move {
                let token = app.login("m.county", current).await;
                app.post(
                    "/api/auth/password",
                    &token,
                    &json!({ "current_password": current, "new_password": new }),
                )
                .await
            }
        };
        // The current password is the first of the history.
        change(PASSWORD, PASSWORD)
            .await
            .expect_field_error("new_password");
        change(PASSWORD, "Second#Pass2025").await.expect(200);
        change("Second#Pass2025", "Third#Pass2025")
            .await
            .expect(200);
        // The first one is still among the last three; an administrator's reset obeys the history too.
        change("Third#Pass2025", PASSWORD)
            .await
            .expect_field_error("new_password");
        app.post(
            &format!("/api/accounts/{county}/password"),
            &admin,
            &json!({ "new_password": "Second#Pass2025" }),
        )
        .await
        .expect_field_error("new_password");
        app.post(
            &format!("/api/accounts/{county}/password"),
            &admin,
            &json!({ "new_password": "Fourth#Pass2025" }),
        )
        .await
        .expect(204);
        // A reset link obeys it too, and a refused password leaves the link usable.
        let token = reset_link(&app, county).await;
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": "Third#Pass2025" }),
        )
        .await
        .expect_field_error("new_password");
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": "Fourth#Pass2025" }),
        )
        .await
        .expect_field_error("new_password");
        // PASSWORD, Second, Third, Fourth: the first has left the last three.
        app.post_public(
            "/api/auth/reset",
            &json!({ "token": token, "new_password": PASSWORD }),
        )
        .await
        .expect(204);
        change(PASSWORD, "Fifth#Pass2025").await.expect(200);
        assert!(app.count_rows("password_history").await >= 5);
    }
);

both_engines!(
    the_first_start_keeps_the_history_of_its_accounts,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        // The bootstrap password of `admin` is its history's first entry.
        app.post(
            "/api/auth/password",
            &admin,
            &json!({ "current_password": ADMIN_PASSWORD, "new_password": ADMIN_PASSWORD }),
        )
        .await
        .expect_field_error("new_password");
        // The security administrator exists from the first start too, with the configured password.
        let security = app.as_security().await;
        let me = app.get("/api/me", &security).await.expect(200);
        assert_eq!(me.body["roles"][0]["role"], "security_admin");
        assert_eq!(me.body["roles"][0]["scope_code"], "510000");
    }
);
