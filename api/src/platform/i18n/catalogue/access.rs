//! Messages of access/: references outside the caller's area, role combinations.
crate::messages! {
    OutsideArea = "outside_area" {}
        zh: "不存在或不在您的管理范围内", en: "Does not exist or is outside your area";
    TeacherOutsideArea = "teacher_outside_area" {}
        zh: "教师不存在或不在您的管理范围", en: "No such teacher in your area";
    SchoolOutsideArea = "school_outside_area" {}
        zh: "学校不存在或不在您的管理范围", en: "No such school in your area";
    AccountOutsideArea = "account_outside_area" {}
        zh: "账号不存在或不在您的管理范围", en: "No such account in your area";
    SystemRolesAlone = "system_roles_alone" {}
        zh: "系统管理员、安全管理员、审计管理员只能单独担任，不能与其他角色兼任",
        en: "The system, security and audit administrator roles are held alone, never together with another role";
}
