//! 三员分立: the system, security and audit administrators' roles are held alone, only the security administrator
//! grants them (and the province administrator's), it manages administrators' accounts but never its own, and
//! business administrators never see or touch a system administrator's account.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use yanxiu_tests::*;

trait IdOf {
    fn id_of(&self) -> i64;
}

impl IdOf for Value {
    fn id_of(&self) -> i64 {
        self["id"].as_i64().unwrap()
    }
}

fn new_account(username: &str, role: &str, scope: &str) -> Value {
    json!({ "username": username, "password": PASSWORD, "display_name": username, "role": role,
            "scope_code": scope })
}

fn roles(list: &[(&str, &str)]) -> Value {
    json!({ "display_name": "改名", "roles": list.iter()
        .map(|(role, scope)| json!({ "role": role, "scope_code": scope })).collect::<Vec<_>>() })
}

both_engines!(
    only_the_security_administrator_grants_the_three_roles,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let security = app.as_security().await;
        let before = app.count_rows("accounts").await;
        // The province's business administrator grants none of the three, nor another province administrator.
        for role in [
            "system_admin",
            "security_admin",
            "audit_admin",
            "province_admin",
        ] {
            app.post(
                "/api/accounts",
                &admin,
                &new_account(&format!("p.{role}"), role, "510000"),
            )
            .await
            .expect_field_error("role");
        }
        assert_eq!(app.count_rows("accounts").await, before);
        // The three roles bind to the province only.
        app.post(
            "/api/accounts",
            &security,
            &new_account("s.city.audit", "audit_admin", "510100"),
        )
        .await
        .expect_field_error("scope_code");
        // The security administrator grants administrators' roles, never a teacher's or a reviewer's.
        app.post(
            "/api/accounts",
            &security,
            &new_account("s.reviewer", "reviewer", "510104"),
        )
        .await
        .expect_field_error("role");
        let system = app
            .create_account(&security, "s.system", "system_admin", "510000", None)
            .await;
        let audit = app
            .create_account(&security, "s.audit", "audit_admin", "510000", None)
            .await;
        let province = app
            .create_account(&security, "s.province", "province_admin", "510000", None)
            .await;
        assert_eq!(system["manageable"], true);
        assert_eq!(province["manageable"], true);
        let system_token = app.login("s.system", PASSWORD).await;
        let me = app.get("/api/me", &system_token).await.expect(200);
        assert_eq!(me.body["roles"][0]["role"], "system_admin");
        let audit_id = audit["id"].as_i64().unwrap();
        // No account holds two of them, nor one with a business role: 422 on roles, nothing changes.
        for combination in [
            vec![("audit_admin", "510000"), ("system_admin", "510000")],
            vec![("audit_admin", "510000"), ("province_admin", "510000")],
            vec![("audit_admin", "510000"), ("audit_admin", "510000")],
        ] {
            app.put(
                &format!("/api/accounts/{audit_id}"),
                &security,
                &roles(&combination),
            )
            .await
            .expect_field_error("roles");
        }
        let county = app
            .create_account(&admin, "p.county", "county_admin", "510104", None)
            .await;
        let county_id = county["id"].as_i64().unwrap();
        app.put(
            &format!("/api/accounts/{county_id}"),
            &security,
            &roles(&[("county_admin", "510104"), ("security_admin", "510000")]),
        )
        .await
        .expect_field_error("roles");
        let after = app
            .get(&format!("/api/accounts/{audit_id}"), &security)
            .await
            .expect(200);
        assert_eq!(after.body["roles"].as_array().unwrap().len(), 1);
        assert_eq!(after.body["display_name"], "s.audit");
    }
);

both_engines!(
    the_security_administrator_manages_administrators_but_not_itself,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let security = app.as_security().await;
        let me = app.get("/api/me", &security).await.expect(200).id();
        // Its own account: neither roles nor password nor deactivation through account management.
        app.put(
            &format!("/api/accounts/{me}"),
            &security,
            &roles(&[("security_admin", "510000")]),
        )
        .await
        .expect_field_error("id");
        app.post(
            &format!("/api/accounts/{me}/password"),
            &security,
            &json!({ "new_password": "Other#Pass2025" }),
        )
        .await
        .expect_field_error("id");
        // A county administrator's account: roles, deactivation, password (which also lifts a lockout).
        let county = app
            .create_account(&admin, "m.county", "county_admin", "510104", None)
            .await
            .id_of();
        let listed = app
            .get("/api/accounts?page_size=100", &security)
            .await
            .expect(200);
        let usernames: Vec<&str> = listed.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["username"].as_str().unwrap())
            .collect();
        assert!(usernames.contains(&"m.county") && usernames.contains(&"admin"));
        assert!(usernames.contains(&"security"));
        app.put(
            &format!("/api/accounts/{county}"),
            &security,
            &roles(&[("city_admin", "510100")]),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/accounts/{county}/deactivate"),
            &security,
            &json!({}),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/accounts/{county}/activate"),
            &security,
            &json!({}),
        )
        .await
        .expect(200);
        app.post(
            &format!("/api/accounts/{county}/password"),
            &security,
            &json!({ "new_password": "Set#BySecurity2025" }),
        )
        .await
        .expect(204);
        app.login("m.county", "Set#BySecurity2025").await;
        // A teacher's account is not an administrator's: the security administrator does not see it.
        let school = app
            .create_school(&admin, &school_code(1), "510104", "分立小学")
            .await;
        let teacher = app
            .create_teacher(
                &admin,
                school["id"].as_i64().unwrap(),
                "分立教师",
                &id_card("510104", 1),
            )
            .await;
        let teacher_account = app
            .create_account(
                &admin,
                "m.teacher",
                "teacher",
                &school_code(1),
                Some(teacher["id"].as_i64().unwrap()),
            )
            .await
            .id_of();
        app.get(&format!("/api/accounts/{teacher_account}"), &security)
            .await
            .expect(404);
        let teachers = app.get("/api/teachers", &security).await.expect(200);
        assert_eq!(teachers.body["total"], 0);
    }
);

both_engines!(
    business_administrators_never_see_a_system_administrator,
    |app: TestApp| async move {
        let admin = app.as_admin().await;
        let security = app.as_security().await;
        let audit = app
            .create_account(&security, "s.audit", "audit_admin", "510000", None)
            .await
            .id_of();
        let security_id = app.get("/api/me", &security).await.expect(200).id();
        for id in [audit, security_id] {
            app.get(&format!("/api/accounts/{id}"), &admin)
                .await
                .expect(404);
            app.post(
                &format!("/api/accounts/{id}/deactivate"),
                &admin,
                &json!({}),
            )
            .await
            .expect(404);
            app.post(
                &format!("/api/accounts/{id}/password"),
                &admin,
                &json!({ "new_password": "Taken#Over2025" }),
            )
            .await
            .expect(404);
        }
        let listed = app
            .get("/api/accounts?role=audit_admin", &admin)
            .await
            .expect(200);
        assert_eq!(listed.body["total"], 0);
        // A business administrator cannot turn an account of its area into a system administrator's either.
        let county = app
            .create_account(&admin, "m.county", "county_admin", "510104", None)
            .await
            .id_of();
        app.put(
            &format!("/api/accounts/{county}"),
            &admin,
            &roles(&[("audit_admin", "510000")]),
        )
        .await
        .expect_field_error("role");
        // The system and audit administrators see no teacher or account and manage nothing.
        let audit_token = app.login("s.audit", PASSWORD).await;
        for list in ["/api/teachers", "/api/accounts", "/api/schools"] {
            let page = app.get(list, &audit_token).await.expect(200);
            assert_eq!(page.body["total"], 0, "{list}");
        }
        app.post(
            "/api/accounts",
            &audit_token,
            &new_account("a.county", "county_admin", "510104"),
        )
        .await
        .expect_problem(403, "forbidden");
    }
);
