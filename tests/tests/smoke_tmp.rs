use yanxiu_tests::*;
both_engines!(admin_logs_in, |app: TestApp| async move {
    let t = app.as_admin().await;
    let me = app.get("/api/me", &t).await.expect(200);
    assert_eq!(me.body["username"], "admin");
});
