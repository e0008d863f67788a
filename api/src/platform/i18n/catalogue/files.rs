//! Messages of files/: uploads, resumable uploads, ranges, anonymised copies.
crate::messages! {
    BlindCopyPending = "blind_copy_pending" {}
        zh: "匿名副本正在生成，请稍后再试", en: "The anonymised copy is being prepared; try again shortly";
    BlindCopyFailed = "blind_copy_failed" {}
        zh: "无法生成去除作者信息的匿名副本，请联系管理员",
        en: "An anonymised copy of this file could not be made; ask the round's administrator";
    RangeNotSatisfiable = "range_not_satisfiable" { size: String }
        zh: "请求的范围超出文件大小 {size} 字节", en: "The range lies outside the file's {size} bytes";
    NoValue = "no_value" {}
        zh: "无", en: "none";
    VideoUnreadable = "video_unreadable" {}
        zh: "无法识别的视频文件", en: "The video cannot be read (is it a complete MP4 file?)";
    VideoToolMissing = "video_tool_missing" { name: String }
        zh: "服务器未安装 {name}，暂时无法检查视频，请联系系统管理员",
        en: "This server cannot check videos ({name} is not installed); ask its administrator";
    FileTooLarge = "file_too_large" { size: String }
        zh: "文件不能超过 {size}", en: "The file must not exceed {size}";
    VideoNeedsResumable = "video_needs_resumable" {}
        zh: "视频请用断点续传上传（/api/uploads）", en: "Upload videos through the resumable /api/uploads";
    FileNotYours = "file_not_yours" { value: String }
        zh: "文件 {value} 不存在或不是您上传的", en: "File {value} does not exist or was not uploaded by you";
    FileNameInvalid = "file_name_invalid" {}
        zh: "文件名为空或过长", en: "The file name is empty or too long";
    FileTypeUnsupported = "file_type_unsupported" { allowed: String }
        zh: "不支持的文件类型，可上传：{allowed}", en: "Unsupported file type; allowed: {allowed}";
    FileEmpty = "file_empty" {}
        zh: "文件为空", en: "The file is empty";
    FileContentMismatch = "file_content_mismatch" {}
        zh: "文件内容与扩展名不符", en: "The file's content does not match its extension";
    TusVersion = "tus_version" { value: String }
        zh: "需要 Tus-Resumable: {value}", en: "Tus-Resumable: {value} is required";
    UploadQuotaExceeded = "upload_quota_exceeded" { allowed: String, used: String, size: String }
        zh: "超出上传空间：每位教师最多 {allowed}，已用 {used}（含未完成的上传），本文件 {size}",
        en: "Upload quota exceeded: each teacher may hold {allowed}; {used} are in use (unfinished uploads included) and this file is {size}";
    DeferLengthUnsupported = "defer_length_unsupported" {}
        zh: "不支持延后声明长度", en: "Upload-Defer-Length is not supported";
    UploadLengthInvalid = "upload_length_invalid" {}
        zh: "缺少或无效的 Upload-Length", en: "Upload-Length is missing or invalid";
    ResumableOnlyLessons = "resumable_only_lessons" {}
        zh: "断点续传只用于一师一优课文件（purpose=lesson）", en: "Resumable uploads are for lesson files (purpose=lesson)";
    PatchContentType = "patch_content_type" { value: String }
        zh: "PATCH 需要 Content-Type: {value}", en: "PATCH needs Content-Type: {value}";
    UploadOffsetInvalid = "upload_offset_invalid" {}
        zh: "缺少或无效的 Upload-Offset", en: "Upload-Offset is missing or invalid";
    OffsetMismatch = "offset_mismatch" { count: i64 }
        zh: "上传位置不符：服务器已收到 {count} 字节", en: "Offset mismatch: the server has {count} bytes";
    PastAnnouncedLength = "past_announced_length" { count: i64 }
        zh: "超出声明的文件长度 {count} 字节", en: "The body goes past the announced length of {count} bytes";
    UploadMovedMeanwhile = "upload_moved_meanwhile" {}
        zh: "另一个请求已更新此上传", en: "Another request moved this upload";
    MetadataNotBase64 = "metadata_not_base64" { name: String }
        zh: "{name}：不是 UTF-8 文本的 Base64 编码", en: "{name}: not base64 of UTF-8 text";
    InvalidUpload = "invalid_upload" {}
        zh: "上传请求无效", en: "The upload request is invalid";
}
