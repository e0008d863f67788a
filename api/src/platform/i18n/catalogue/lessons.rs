//! Messages of the lessons domain: activities and catalogues, lessons, checks, rounds, reviews, results,
//! publicity and the reviewers' mails.
crate::messages! {
    WindowClosesBeforeOpens = "lesson_window_closes_before_opens" {}
        zh: "截止时间须晚于开始时间", en: "The window must close after it opens";
    WindowPerStage = "lesson_window_per_stage" {}
        zh: "每个学段只能有一个上传时段", en: "One window per school stage";
    ActivityYearTaken = "lesson_activity_year_taken" {}
        zh: "该年度的活动已存在", en: "An activity exists for this year";
    CatalogueColumnMissing = "lesson_catalogue_column_missing" {}
        zh: "缺少必填列", en: "Required column missing";
    CatalogueRequiredAtMost = "lesson_catalogue_required_at_most" { limit: i64 }
        zh: "必填，最多 {limit} 字", en: "Required, at most {limit} characters";
    CatalogueStageNoWindow = "lesson_catalogue_stage_no_window" {}
        zh: "该学段不在活动的上传时段中", en: "This school stage has no upload window in the activity";
    CatalogueVolume = "lesson_catalogue_volume" {}
        zh: "册次须为 上册/下册/全一册", en: "The volume must be 上册, 下册 or 全一册";
    CatalogueDuplicateNode = "lesson_catalogue_duplicate_node" { line: i64 }
        zh: "与第 {line} 行重复", en: "Same node as line {line}";
    CatalogueNoRows = "lesson_catalogue_no_rows" {}
        zh: "文件中没有数据行", en: "The file has no rows";
    PoolShortForLesson = "lesson_pool_short_for_lesson" { title: String, needed: i64, count: i64 }
        zh: "《{title}》还需 {needed} 位评审，评审库中可回避合规的只有 {count} 位", en: "\"{title}\" needs {needed} more reviewer(s) but only {count} in the pool are free of conflicts";
    PoolInsufficient = "pool_insufficient" {}
        zh: "评审库不足以覆盖所有课例，未做任何分配", en: "The reviewer pool cannot cover every lesson; nothing was assigned";
    NoSuchEntry = "lesson_no_such_entry" {}
        zh: "本轮没有该课例", en: "No such lesson in this round";
    ReviewerNotInPool = "lesson_reviewer_not_in_pool" {}
        zh: "该评审不在本轮所在地区的评审库中", en: "The reviewer is not in this round's pool";
    ReviewerConflict = "lesson_reviewer_conflict" {}
        zh: "该评审与此课例须回避（同校、同县或已申报的回避）", en: "The reviewer must stay away from this lesson (same school, same county or a declared conflict)";
    ReviewerAlreadyAssigned = "lesson_reviewer_already_assigned" {}
        zh: "该评审已分配到此课例", en: "The reviewer already reviews this lesson";
    ReviewSubmittedStays = "lesson_review_submitted_stays" {}
        zh: "评审已提交，不能撤销分配", en: "The review was submitted; the assignment stays";
    OnlySubmittedChecked = "lesson_only_submitted_checked" {}
        zh: "只能审查已提交的课例", en: "Only a submitted lesson can be checked";
    ReturnNeedsReason = "lesson_return_needs_reason" {}
        zh: "退回时须说明原因", en: "Give the reason for sending the lesson back";
    ReqTeacherVerified = "lesson_req_teacher_verified" {}
        zh: "学校尚未核验本人参加晒课", en: "Your school has not verified you for this activity yet";
    ReqUploadWindow = "lesson_req_upload_window" {}
        zh: "本学段的上传时段未开放", en: "The upload window of your school stage is not open";
    ReqDesignSections = "lesson_req_design_sections" {}
        zh: "请填写教学设计的教学目标、学情分析、重点难点和教学活动", en: "Fill in the four sections of the lesson design: objectives, learner analysis, key points and activities";
    ReqItem = "lesson_req_item" { name: String }
        zh: "请上传{name}", en: "Upload the {name}";
    ReqVideoProbe = "lesson_req_video_probe" {}
        zh: "无法读取课堂实录的视频信息，请重新上传 MP4 (H.264/AAC)", en: "The classroom video could not be probed: upload an MP4 (H.264/AAC) again";
    ReqVideoCheck = "lesson_req_video_check" { actual: String, required: String }
        zh: "课堂实录：实际 {actual}，要求 {required}", en: "Classroom video: {actual} where {required} is required";
    AdvisorNameLength = "lesson_advisor_name_length" {}
        zh: "指导教师姓名最多 32 字", en: "An advisor's name has at most 32 characters";
    NodeNotInCatalogue = "lesson_node_not_in_catalogue" {}
        zh: "该知识节点不在本活动的目录中", en: "The node is not in this activity's catalogue";
    StageWindowClosed = "lesson_stage_window_closed" { stage: String }
        zh: "{stage}的上传时段未开放", en: "The upload window of {stage} is not open";
    NoSuchActivity = "lesson_no_such_activity" {}
        zh: "活动不存在", en: "No such activity";
    LessonSubmittedImmutable = "lesson_submitted_immutable" {}
        zh: "课例已提交，不能修改", en: "The lesson has been submitted and cannot be changed";
    LessonActivityFixed = "lesson_activity_fixed" {}
        zh: "课例不能换到其他活动", en: "A lesson cannot move to another activity";
    OnlyDraftDeleted = "lesson_only_draft_deleted" {}
        zh: "只能删除草稿", en: "Only a draft can be deleted";
    VideoMustBeMp4 = "lesson_video_must_be_mp4" {}
        zh: "课堂实录须为 MP4 视频", en: "The classroom video must be an MP4 video";
    CoursewareTooLarge = "lesson_courseware_too_large" {}
        zh: "课件及资源不能超过 500 MB", en: "The courseware must not exceed 500 MB";
    ChooseMaterialType = "lesson_choose_material_type" {}
        zh: "请选择素材类型", en: "Choose the material's type";
    NoSuchRubric = "lesson_no_such_rubric" {}
        zh: "评价量规不存在", en: "No such rubric";
    CriterionKeys = "lesson_criterion_keys" {}
        zh: "键须唯一，只含小写字母、数字和下划线", en: "Keys are unique: lowercase letters, digits and _";
    ReviewerInPool = "lesson_reviewer_in_pool" {}
        zh: "该专家已在本地区评审库中", en: "The reviewer is already in this region's pool";
    TeacherOrSchool = "lesson_teacher_or_school" {}
        zh: "请指定一位教师或一所学校", en: "Name one teacher or one school";
    ObjectionOutsidePublicity = "lesson_objection_outside_publicity" {}
        zh: "只能在公示期内提出异议", en: "Objections are taken only during the public notice";
    ObjectionTextRequired = "lesson_objection_text_required" {}
        zh: "请填写异议内容", en: "Say what the objection is";
    ObjectionResolved = "lesson_objection_resolved" {}
        zh: "该异议已处理", en: "The objection was already resolved";
    ObjectionResponseRequired = "lesson_objection_response_required" {}
        zh: "请填写处理意见", en: "A response is required";
    ObjectionsOpen = "lesson_objections_open" { count: i64 }
        zh: "还有 {count} 条异议未处理", en: "{count} objection(s) are still open";
    ScoreAboveRubric = "lesson_score_above_rubric" { max: f64 }
        zh: "分数不能超过满分 {max}", en: "The score cannot exceed the rubric's {max}";
    ReasonRequired = "lesson_reason_required" {}
        zh: "须填写理由", en: "A reason is required";
    SpreadTooWide = "lesson_spread_too_wide" { spread: f64, max: f64 }
        zh: "评审分差 {spread} 超过阈值 {max}，须改判或增派评审", en: "Reviewers disagree by {spread} (over {max}): override the score or add a reviewer";
    FlaggedUnresolved = "flagged_unresolved" {}
        zh: "有分歧过大的课例尚未处理", en: "Some lessons' reviewers disagree and are not settled";
    NoSuchCriterion = "lesson_no_such_criterion" {}
        zh: "没有这个评分项", en: "No such criterion in the rubric";
    CriterionRepeated = "lesson_criterion_repeated" {}
        zh: "评分项重复", en: "The criterion is given twice";
    PointsRange = "lesson_points_range" { name: String, max: f64 }
        zh: "{name}的得分须在 0–{max} 之间", en: "Points for {name} must be between 0 and {max}";
    RemarkLength = "lesson_remark_length" {}
        zh: "评语不能超过 1000 字", en: "A remark is at most 1000 characters";
    CriterionUnscored = "lesson_criterion_unscored" { name: String }
        zh: "提交前须为“{name}”评分", en: "“{name}” must be scored before submitting";
    ReviewPeriodOver = "lesson_review_period_over" {}
        zh: "评审已结束，不能再修改", en: "The review period is over; scores can no longer change";
    ReviewFinal = "lesson_review_final" {}
        zh: "评分已提交，不能再修改", en: "The review was submitted and is final";
    RoundCounty = "lesson_round_county" {}
        zh: "县级评审", en: "County round";
    RoundCity = "lesson_round_city" {}
        zh: "市级评审", en: "City round";
    RoundProvince = "lesson_round_province" {}
        zh: "省级评审", en: "Province round";
    RoundWrongStatus = "lesson_round_wrong_status" { status: String, allowed: String }
        zh: "评审轮次当前为 {status}，此操作须在 {allowed} 时进行", en: "The round is {status}; this needs it to be {allowed}";
    RoundRegion = "lesson_round_region" {}
        zh: "不存在或不在您的管理范围内，或不是本评审层级的地区", en: "Does not exist, is outside your area, or is not a region of the round's level";
    RoundLevel = "lesson_round_level" {}
        zh: "评审层级须与您的管理节点层级一致（县级管理员办县级评审，依此类推）", en: "The level must be that of the node your lesson.round grant is bound to (a county administrator runs the county round, and so on)";
    RubricNoCriteria = "lesson_rubric_no_criteria" {}
        zh: "评分标准没有评分项", en: "The rubric has no criteria";
    RoundNameRequired = "lesson_round_name_required" {}
        zh: "名称不能为空", en: "The name is required";
    PercentAbove100 = "lesson_percent_above_100" {}
        zh: "比例不能超过 100", en: "A percentage cannot exceed 100";
    ReminderDays = "lesson_reminder_days" {}
        zh: "提醒天数须在 1–60 之间", en: "Reminder days must be between 1 and 60";
    CountyRoundSameCounty = "lesson_county_round_same_county" {}
        zh: "县级评审的评审库都是本县评审，开启同区县回避将无人可评；本校回避始终生效", en: "A county round's pool holds only this county's reviewers, so same-county 回避 would leave nobody to review; the reviewer's own school is always avoided";
    RoundExists = "lesson_round_exists" {}
        zh: "该活动在此地区已有同级评审轮次", en: "This region already has a round of this level for the activity";
    RoundFixed = "lesson_round_fixed" {}
        zh: "活动、层级与地区创建后不能更改", en: "The activity, level and region of a round cannot change";
    RoundNoLessons = "lesson_round_no_lessons" {}
        zh: "本轮没有参评课例", en: "The round has no lessons";
    ReviewersShort = "lesson_reviewers_short" { needed: i64, count: i64 }
        zh: "需要 {needed} 位评审，已分配 {count} 位", en: "needs {needed} reviewers, has {count}";
    ReviewersMissing = "reviewers_missing" {}
        zh: "还有课例未分配足够的评审", en: "Some lessons lack reviewers";
    ReminderSubject = "lesson_reminder_subject" {}
        zh: "一师一优课评审提醒", en: "Lesson review reminder";
    TaskSubject = "lesson_task_subject" {}
        zh: "一师一优课评审任务", en: "Lessons to review";
    ReminderBody = "lesson_reminder_body" { name: String, count: i64, title: String, deadline: String }
        zh: "{name}，您好：\n\n您还有 {count} 节课待评审（{title}），截止时间 {deadline}（北京时间）。\n请登录平台进入 /lesson-reviews 评审。\n", en: "Hello {name},\n\nYou still have {count} lesson(s) to review in \"{title}\", due {deadline} (UTC+8).\nOpen /lesson-reviews to review them.\n";
    TaskBody = "lesson_task_body" { name: String, count: i64, title: String, deadline: String }
        zh: "{name}，您好：\n\n您有 {count} 节课待评审（{title}），截止时间 {deadline}（北京时间）。\n请登录平台进入 /lesson-reviews 评审。\n", en: "Hello {name},\n\nYou have {count} lesson(s) to review in \"{title}\", due {deadline} (UTC+8).\nOpen /lesson-reviews to review them.\n";
    RoundDraft = "lesson_round_draft" {}
        zh: "草稿", en: "draft";
    RoundReviewing = "lesson_round_reviewing" {}
        zh: "评审中", en: "reviewing";
    RoundClosed = "lesson_round_closed" {}
        zh: "评审已结束", en: "closed";
    RoundPublicity = "lesson_round_publicity" {}
        zh: "公示中", en: "in publicity";
    RoundPublished = "lesson_round_published" {}
        zh: "已公布", en: "published";
    ItemDesign = "lesson_item_design" {}
        zh: "教学设计", en: "lesson design";
    ItemCourseware = "lesson_item_courseware" {}
        zh: "课件及资源", en: "courseware";
    ItemVideo = "lesson_item_video" {}
        zh: "课堂实录", en: "classroom video";
    ItemExercise = "lesson_item_exercise" {}
        zh: "评测练习", en: "exercises";
    ItemReflection = "lesson_item_reflection" {}
        zh: "教学反思", en: "reflection";
    ItemLearnerAnalysis = "lesson_item_learner_analysis" {}
        zh: "学情分析", en: "learner analysis";
    ItemExpertComment = "lesson_item_expert_comment" {}
        zh: "专家点评", en: "expert comment";
    ItemMaterial = "lesson_item_material" {}
        zh: "素材", en: "material";
    ItemHomework = "lesson_item_homework" {}
        zh: "课后作业", en: "homework";
    ItemOther = "lesson_item_other" {}
        zh: "材料", en: "item";
}
