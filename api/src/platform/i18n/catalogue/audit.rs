//! Messages of audit/.
crate::messages! {
    StartAfterEnd = "start_after_end" {}
        zh: "开始时间不能晚于结束时间", en: "The start must not be after the end";
}
