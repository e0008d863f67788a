//! Messages of the export center and scheduled reports.
crate::messages! {
    ParamRequired = "export_param_required" {}
        zh: "该导出需要此参数", en: "This export needs this parameter";
    ParamUnknown = "export_param_unknown" {}
        zh: "不存在或不在您的管理范围内", en: "Does not exist or is outside your area";
    ParamTooLong = "export_param_too_long" { limit: i64 }
        zh: "参数过长（最多 {limit} 个字符）", en: "Too long (at most {limit} characters)";
    TooManyRunning = "exports_too_many_running" { limit: i64 }
        zh: "您已有 {limit} 个导出正在生成，请等待其完成后再试",
        en: "You already have {limit} exports being made; wait for one to finish";
    TooManySubscriptions = "report_subscriptions_too_many" { limit: i64 }
        zh: "每个账号最多订阅 {limit} 个定期报表", en: "An account may hold at most {limit} report subscriptions";
    NotReady = "export_not_ready" {}
        zh: "该导出尚未完成", en: "This export is not ready yet";
    GaveUp = "export_gave_up" {}
        zh: "导出超过 24 小时仍未完成，已放弃，请重新发起",
        en: "The export was not made within 24 hours and was given up; ask for it again";
    AccountInactive = "export_account_inactive" {}
        zh: "发起导出的账号已停用", en: "The account that asked for this export is no longer active";
    ReadySubject = "export_ready_subject" { name: String }
        zh: "导出已完成：{name}", en: "Your export is ready: {name}";
    ReadyBody = "export_ready_body" { name: String, link: String, days: i64 }
        zh: "您在研修平台发起的导出“{name}”已生成。\n请在 {days} 天内登录后到“我的导出”下载：{link}\n",
        en: "The export \"{name}\" you asked for in Yanxiu is ready.\nSign in and download it from \"My exports\" within {days} days: {link}\n";
    FailedSubject = "export_failed_subject" { name: String }
        zh: "导出未能完成：{name}", en: "Your export could not be made: {name}";
    FailedBody = "export_failed_body" { name: String, reason: String, link: String }
        zh: "您在研修平台发起的导出“{name}”未能生成：{reason}\n详情见“我的导出”：{link}\n",
        en: "The export \"{name}\" you asked for in Yanxiu could not be made: {reason}\nSee \"My exports\": {link}\n";
    KindSchools = "export_kind_schools" {} zh: "学校名录", en: "Schools";
    KindTeachers = "export_kind_teachers" {} zh: "教师名录", en: "Teachers";
    KindProgramReport = "export_kind_program_report" {} zh: "项目完成情况报表", en: "Program completion report";
    KindProgramTeachers = "export_kind_program_teachers" {} zh: "项目教师明细", en: "Program teachers";
    KindCompetencyReport = "export_kind_competency_report" {} zh: "能力点报表", en: "能力点 report";
    KindAnnualReport = "export_kind_annual_report" {} zh: "全员培训年度报表", en: "Annual training report";
    KindQuestionBank = "export_kind_question_bank" {} zh: "题库", en: "Question bank";
    KindAuditEntries = "export_kind_audit_entries" {} zh: "审计日志", en: "Audit log";
    KindMinistryList = "export_kind_ministry_list" {} zh: "部级推荐名单", en: "Ministry list";
}
