//! Messages of the inbox and announcements.
crate::messages! {
    /// Security notices cannot be turned off by mail.
    SecurityMailRequired = "security_mail_required" {}
        zh: "安全通知（密码等）始终同时发送邮件，不能关闭", en: "Security notices (passwords and the like) always go by mail too; this cannot be turned off";
    /// The inbox's copy of a password-reset mail: the link itself goes only to the mailbox.
    ResetInboxBody = "reset_inbox_body" { count: i64 }
        zh: "已向您的邮箱发送密码重设链接，{count} 分钟内有效。如果不是您本人操作，请忽略并联系管理员。",
        en: "A password reset link was sent to your mailbox; it works for {count} minutes. If you did not ask for it, ignore it and tell your administrator.";
    TitleRequired = "announcement_title_required" {}
        zh: "请填写标题", en: "A title is required";
    ValidityOrder = "announcement_validity_order" {}
        zh: "结束时间必须晚于开始时间", en: "The end of the validity period must come after its start";
    AnnouncementWithdrawn = "announcement_withdrawn" {}
        zh: "该公告已撤回", en: "This announcement has been withdrawn";
}
