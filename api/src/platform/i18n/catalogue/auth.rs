//! Messages of auth/: sign-in, sessions, passwords, the second factor and the password mail.
crate::messages! {
    InvalidCredentials = "invalid_credentials" { remaining_attempts: i64 }
        zh: "用户名或密码错误", en: "Wrong username or password";
    InvalidRefreshToken = "invalid_refresh_token" {}
        zh: "登录已过期，请重新登录", en: "Session expired; sign in again";
    InvalidResetToken = "invalid_reset_token" {}
        zh: "重设链接无效或已过期", en: "The reset link is invalid or has expired";
    SessionEnded = "session_ended" {}
        zh: "会话已结束，请重新登录", en: "Your session has ended; sign in again";
    PasswordChangeRequired = "password_change_required" {}
        zh: "请先修改密码", en: "Change your password first";
    SecondFactorEnrolmentRequired = "second_factor_enrolment_required" {}
        zh: "请先启用双因素认证", en: "Set up two-factor sign-in first";
    StepUpRequired = "step_up_required" {}
        zh: "请输入双因素验证码确认本次操作", en: "Confirm this with a code from your authenticator";
    InvalidSecondFactorCode = "invalid_second_factor_code" {}
        zh: "验证码不正确", en: "The code is wrong";
    CodeWrongOrUsed = "code_wrong_or_used" {}
        zh: "验证码不正确或已使用", en: "The code is wrong or was already used";
    InvalidChallenge = "invalid_challenge" {}
        zh: "验证已过期，请重新输入密码", en: "The sign-in has expired; enter your password again";
    CurrentCodeRequired = "current_code_required" {}
        zh: "更换认证器需要当前验证码", en: "Enter a current code to replace your authenticator";
    EnrolmentNotStarted = "enrolment_not_started" {}
        zh: "请先开始绑定认证器", en: "Start the enrolment first";
    SecondFactorOff = "second_factor_off" {}
        zh: "尚未启用双因素认证", en: "Two-factor sign-in is not on";
    SecondFactorMandatory = "second_factor_mandatory" {}
        zh: "您的角色必须使用双因素认证，可更换认证器但不能停用",
        en: "Your role requires two-factor sign-in: replace the authenticator instead";
    CannotResetOwnSecondFactor = "cannot_reset_own_second_factor" {}
        zh: "不能重置自己的双因素认证", en: "You cannot reset your own second factor";
    CurrentPasswordWrong = "current_password_wrong" {}
        zh: "当前密码不正确", en: "Current password is wrong";
    PasswordTooShort = "password_too_short" { min: f64 }
        zh: "密码至少 {min} 个字符", en: "At least {min} characters";
    PasswordTooFewClasses = "password_too_few_classes" { min: f64 }
        zh: "密码需包含小写、大写、数字、符号中的至少 {min} 类",
        en: "Use at least {min} of: lower case, upper case, digits, symbols";
    PasswordTooLong = "password_too_long" {}
        zh: "密码过长", en: "At most 128 characters";
    PasswordCommon = "password_common" {}
        zh: "这是常见密码，容易被猜中", en: "This is a common password that is easy to guess";
    PasswordIsUsername = "password_is_username" {}
        zh: "密码不能只是用户名加数字或符号", en: "The password cannot be the username with only digits or symbols added";
    PasswordReused = "password_reused" { count: i64 }
        zh: "不能使用最近 {count} 次用过的密码", en: "The password cannot be one of your last {count}";
    UnknownDevice = "unknown_device" {}
        zh: "未知设备", en: "Unknown device";
    /// The WeChat in-app browser, as its users call it.
    BrowserWeChat = "browser_wechat" {}
        zh: "微信", en: "WeChat";
    ResetMailSubject = "reset_mail_subject" {}
        zh: "研修平台密码重设", en: "Yanxiu password reset";
    ResetMailBody = "reset_mail_body" { name: String, count: i64, value: String }
        zh: "{name}，您好：\n\n请在 {count} 分钟内打开以下链接重设研修平台密码（链接只能使用一次）：\n{value}\n\n如果不是您本人操作，请忽略本邮件。\n",
        en: "Hello {name},\n\nOpen this link within {count} minutes to reset your Yanxiu password (it works once):\n{value}\n\nIf you did not ask for this, ignore this mail.\n";
}
