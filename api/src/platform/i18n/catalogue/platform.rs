//! The generic problems and the messages of platform/ (request limits, paging, mail).
crate::messages! {
    ValidationFailed = "validation_failed" {}
        zh: "请求中有不合规的字段", en: "Some fields are invalid";
    BadRequest = "bad_request" {}
        zh: "请求无效", en: "The request is malformed";
    Unauthorized = "unauthorized" {}
        zh: "需要登录", en: "Authentication required";
    Forbidden = "forbidden" {}
        zh: "没有权限", en: "Not allowed";
    NotFound = "not_found" {}
        zh: "未找到", en: "Not found";
    Conflict = "conflict" {}
        zh: "与现有数据冲突", en: "Conflicts with existing data";
    AccountLocked = "account_locked" { retry_after_seconds: i64 }
        zh: "登录失败次数过多，账号已暂时锁定，请稍后再试", en: "Too many failed attempts; try again later";
    RateLimited = "rate_limited" {}
        zh: "请求过于频繁，请稍后再试", en: "Too many requests; slow down";
    PayloadTooLarge = "payload_too_large" {}
        zh: "请求内容过大", en: "The request is too large";
    InternalError = "internal_error" {}
        zh: "服务器内部错误", en: "Internal server error";
    InvalidParameter = "invalid_parameter" { reason: String }
        zh: "参数无效", en: "Invalid parameter: {reason}";
    InvalidBody = "invalid_body" { reason: String }
        zh: "请求内容无效", en: "Invalid request body: {reason}";
    MethodNotAllowed = "method_not_allowed" {}
        zh: "不支持此请求方法", en: "Method not allowed";
    UnsupportedMediaType = "unsupported_media_type" {}
        zh: "不支持此内容类型", en: "Unsupported media type";
    InvalidValue = "invalid_value" {}
        zh: "取值无效", en: "Invalid value";
    NulCharacter = "nul_character" {}
        zh: "不能包含空字符（NUL）", en: "Must not contain a NUL character";
    BodyTooLarge = "body_too_large" { size: String }
        zh: "请求体超过 {size} 上限", en: "The request body exceeds the {size} limit";
    BodyUnreadable = "body_unreadable" { reason: String }
        zh: "请求体读取失败", en: "The request body could not be read ({reason})";
    PageTooLarge = "page_too_large" { max: f64 }
        zh: "页码不能超过 {max}，请用筛选条件缩小范围", en: "The page must be at most {max}; narrow the list with a filter instead";
}
