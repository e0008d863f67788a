//! Messages of the micro-competency domain: catalogue, plans, evidence, grading, spot-checks and the report.
crate::messages! {
    CatalogueDraftExists = "competency_draft_exists" {}
        zh: "已有一个草稿版本，请先发布它", en: "A draft version exists already; publish it first";
    CriterionLength = "competency_criterion_length" {}
        zh: "每条标准须为 1–500 字", en: "Each criterion takes 1–500 characters";
    VersionPublishedImmutable = "competency_version_published_immutable" {}
        zh: "已发布的版本不能修改，请新建草稿", en: "A published version cannot change; create a draft";
    NameRequired = "competency_name_required" {}
        zh: "请填写名称", en: "Give a name";
    EvidenceItemKeys = "competency_item_keys" {}
        zh: "材料项的键须唯一且须有名称", en: "Item keys must be unique and items named";
    VersionAlreadyPublished = "competency_version_already_published" {}
        zh: "该版本已发布", en: "This version is already published";
    PointIncomplete = "competency_point_incomplete" { code: String }
        zh: "{code} 尚未填写完整（名称、维度、材料项、优秀与合格标准）", en: "{code} is incomplete (name, dimension, evidence items, criteria of both grades)";
    PointHasNoItem = "competency_point_has_no_item" { key: String }
        zh: "该能力点没有材料项 {key}", en: "The point has no item {key}";
    ItemRepeated = "competency_item_repeated" {}
        zh: "材料项重复", en: "The item is given twice";
    ItemRequired = "competency_item_required" { name: String }
        zh: "请提交「{name}」", en: "“{name}” is required";
    SubmitOneItem = "competency_submit_one_item" {}
        zh: "请至少提交一项材料", en: "Submit at least one item";
    NoPlanForYear = "competency_no_plan_for_year" {}
        zh: "学校尚未制定该年度的能力点计划", en: "The school has no plan for this year";
    PointNotInPlan = "competency_point_not_in_plan" { code: String }
        zh: "学校计划中没有 {code}", en: "{code} is not in the school's plan";
    PointAlreadyPassed = "competency_point_already_passed" {}
        zh: "该能力点已通过", en: "This point is already passed";
    TickExcellent = "competency_tick_excellent" { count: i64 }
        zh: "须逐条勾选 {count} 条优秀标准", en: "Tick each of the {count} excellence criteria";
    TickPass = "competency_tick_pass" { count: i64 }
        zh: "须逐条勾选 {count} 条合格标准", en: "Tick each of the {count} pass criteria";
    FailNeedsComment = "competency_fail_needs_comment" {}
        zh: "不合格须填写评语", en: "A fail needs a comment";
    OnlyLatestGraded = "competency_only_latest_graded" {}
        zh: "只能评审最新一次提交", en: "Only the latest submission can be graded";
    SpotCheckStands = "competency_spot_check_stands" {}
        zh: "区县已抽查该提交，成绩以抽查为准", en: "The county has spot-checked it; its grade stands";
    NoSuchPoint = "competency_no_such_point" { code: String }
        zh: "没有能力点 {code}", en: "There is no point {code}";
    PointListedTwice = "competency_point_listed_twice" { code: String }
        zh: "{code} 重复", en: "{code} is listed twice";
    RequiredAbovePoints = "competency_required_above_points" {}
        zh: "须通过的数量不能超过所选能力点数", en: "Cannot require more points than the plan offers";
    CompulsoryAboveRequired = "competency_compulsory_above_required" {}
        zh: "必修能力点不能多于须通过的数量", en: "More compulsory points than must be passed";
    DimensionsTooFew = "competency_dimensions_too_few" {}
        zh: "所选能力点覆盖的维度不足", en: "The chosen points do not cover enough dimensions";
    NotYourSchool = "competency_not_your_school" {}
        zh: "不在您管理的学校中", en: "Not a school you manage";
    CatalogueUnpublished = "competency_catalogue_unpublished" {}
        zh: "省级能力点目录尚未发布", en: "The province has not published the catalogue yet";
    PointHasEvidence = "competency_point_has_evidence" { code: String }
        zh: "已有教师提交了 {code} 的材料，不能移除", en: "Teachers have submitted evidence for {code}; it cannot be removed";
    NotYourCounty = "competency_not_your_county" {}
        zh: "须为您所在的区县", en: "Must be the county you are bound to";
    NotDrawn = "competency_not_drawn" {}
        zh: "该提交未被抽中", en: "This submission was not drawn in a spot-check";
    OverrideNeedsReason = "competency_override_needs_reason" {}
        zh: "改判须填写理由", en: "Overriding the school's grade needs a reason";
    GradeExcellent = "competency_grade_excellent" {}
        zh: "优秀", en: "excellent";
    GradePass = "competency_grade_pass" {}
        zh: "合格", en: "pass";
    GradeFail = "competency_grade_fail" {}
        zh: "不合格", en: "fail";
    /// "Your evidence was graded": the mail's subject.
    GradedSubject = "competency_graded_subject" { code: String }
        zh: "能力点评定结果：{code}", en: "Micro-competency graded: {code}";
    /// "Your evidence was graded": the mail's body.
    GradedBody = "competency_graded_body" { name: String, code: String, year: i64, grade: String, comment: String }
        zh: "{name}，您好：\n\n您提交的能力点 {code}（{year} 年）材料评定为：{grade}。\n{comment}\n",
        en: "Hello {name},\n\nYour evidence for micro-competency {code} ({year}) was graded: {grade}.\n{comment}\n";
    ReportSheet = "competency_report_sheet" {}
        zh: "能力点", en: "Micro-competencies";
    ReportKind = "competency_report_kind" {}
        zh: "类别", en: "Kind";
    ReportCode = "competency_report_code" {}
        zh: "代码", en: "Code";
    ReportName = "competency_report_name" {}
        zh: "名称", en: "Name";
    ReportSubmitted = "competency_report_submitted" {}
        zh: "提交人数", en: "Submitted";
    ReportPassed = "competency_report_passed" {}
        zh: "通过人数", en: "Passed";
    ReportExcellent = "competency_report_excellent" {}
        zh: "优秀人数", en: "Excellent";
    ReportRate = "competency_report_rate" {}
        zh: "通过率", en: "Rate";
    ReportRegion = "competency_report_region" {}
        zh: "地区", en: "Region";
    ReportTotal = "competency_report_total" {}
        zh: "合计", en: "Total";
    ReportPoint = "competency_report_point" {}
        zh: "能力点", en: "Point";
}
