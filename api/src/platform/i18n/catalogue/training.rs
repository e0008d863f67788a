//! Messages of training/: programs, quotas, enrolment, classes, coursework, attendance, hours, results and mails.
crate::messages! {
    TitleRequired = "title_required" {}
        zh: "请填写标题", en: "Give a title";
    EnrolmentListedTwice = "enrolment_listed_twice" { value: String }
        zh: "报名 {value} 重复出现", en: "Enrolment {value} is listed twice";
    EnrolmentNotInClass = "enrolment_not_in_class" { value: String }
        zh: "报名 {value} 不在本班", en: "Enrolment {value} is not in this class";
    SessionNotHeld = "session_not_held" {}
        zh: "活动尚未举行，不能考勤", en: "The session has not taken place yet";
    CertificateMailSubject = "certificate_mail_subject" {}
        zh: "培训证书", en: "Training certificate";
    CertificateMailBody = "certificate_mail_body" { name: String, value: String, code: String }
        zh: "{name}，您好：\n\n您已完成「{value}」，证书编号 {code}。\n",
        en: "Hello {name},\n\nYou completed “{value}”; certificate number {code}.\n";
    CertificateRevoked = "certificate_revoked" {}
        zh: "证书已撤销", en: "Already revoked";
    ClassNameRequired = "class_name_required" {}
        zh: "请填写班级名称", en: "Name the class";
    NoSuchAccount = "no_such_account" { value: String }
        zh: "没有账号 {value}", en: "No account {value}";
    AccountInactive = "account_inactive" { value: String }
        zh: "账号 {value} 已停用", en: "Account {value} is inactive";
    AccountNotTutor = "account_not_tutor" { value: String }
        zh: "账号 {value} 没有辅导教师角色", en: "Account {value} does not hold the tutor role";
    EnrolmentNotApprovedHere = "enrolment_not_approved_here" { value: String }
        zh: "报名 {value} 不是本项目已通过的报名", en: "Enrolment {value} is not an approved enrolment of this program";
    EnrolmentInOtherClass = "enrolment_in_other_class" { value: String }
        zh: "报名 {value} 已在其他班级", en: "Enrolment {value} is already in another class";
    TheEnrolmentInOtherClass = "the_enrolment_in_other_class" {}
        zh: "该报名已在其他班级", en: "The enrolment is already in another class";
    ClassNotOfProgram = "class_not_of_program" {}
        zh: "该班级不属于本项目", en: "The class is not of this program";
    DeadlineInPast = "deadline_in_past" {}
        zh: "截止时间须晚于现在", en: "The deadline must be in the future";
    EnrolmentNoLongerActive = "enrolment_no_longer_active" {}
        zh: "报名已不再有效", en: "The enrolment is no longer active";
    DeadlinePassed = "deadline_passed" { value: String }
        zh: "已过截止时间 {value}", en: "The deadline {value} has passed";
    SubmissionEmpty = "submission_empty" {}
        zh: "请填写内容或附上文件", en: "Write something or attach a file";
    FailNeedsComment = "fail_needs_comment" {}
        zh: "未通过时须填写评语", en: "A fail needs a comment";
    OnlyLatestSubmission = "only_latest_submission" {}
        zh: "只能批改最新一次提交", en: "Only the latest submission can be graded";
    Passed = "passed" {}
        zh: "通过", en: "passed";
    NotPassed = "not_passed" {}
        zh: "未通过", en: "not passed";
    CourseworkMailSubject = "coursework_mail_subject" { value: String }
        zh: "作业批改结果：{value}", en: "Coursework graded: {value}";
    CourseworkMailBody = "coursework_mail_body" { name: String, value: String, max: f64, status: String, reason: String }
        zh: "{name}，您好：\n\n您的作业「{value}」已批改：{max} 分，{status}。\n{reason}\n",
        en: "Hello {name},\n\nYour coursework “{value}” was graded: {max} points, {status}.\n{reason}\n";
    ProgramForStages = "program_for_stages" { allowed: String }
        zh: "本项目面向 {allowed} 学段", en: "This program is for other school stages";
    ProgramForSubjects = "program_for_subjects" { allowed: String }
        zh: "本项目面向 {allowed} 学科", en: "This program is for other subjects";
    ProgramForTitles = "program_for_titles" { allowed: String }
        zh: "本项目面向 {allowed} 职称", en: "This program is for other professional titles";
    TeachingYearsShort = "teaching_years_short" { min: f64 }
        zh: "教龄需满 {min} 年", en: "At least {min} years of teaching";
    NoSeatsLeft = "no_seats_left" {}
        zh: "本校名额已满", en: "No seats left at this school";
    EnrolmentMailSubject = "enrolment_mail_subject" { value: String }
        zh: "报名审核结果：{value}", en: "Enrolment decision: {value}";
    EnrolmentMailBody = "enrolment_mail_body" { name: String, value: String, status: String }
        zh: "{name}，您好：\n\n您在「{value}」的报名{status}。\n",
        en: "Hello {name},\n\nYour enrolment in “{value}” {status}.\n";
    EnrolmentAssignedSubstitution = "enrolment_assigned_substitution" {}
        zh: "已由管理员指派（替换）", en: "was assigned by an administrator (substitution)";
    EnrolmentAssigned = "enrolment_assigned" {}
        zh: "已由管理员指派", en: "was assigned by an administrator";
    EnrolmentRejected = "enrolment_rejected" { reason: String }
        zh: "未通过审核：{reason}", en: "was not approved: {reason}";
    EnrolmentApproved = "enrolment_approved" {}
        zh: "已通过审核", en: "was approved";
    AlreadyEnrolled = "already_enrolled" {}
        zh: "该教师已报名本项目", en: "This teacher is already enrolled";
    SubstituteOnlyApproved = "substitute_only_approved" {}
        zh: "只能替换已通过且未结业的报名", en: "Only an approved, unfinished enrolment can be substituted";
    SubstituteSameSchool = "substitute_same_school" {}
        zh: "替换教师须为同校在职教师", en: "The substitute must be an active teacher of the same school";
    EnrolmentChangedMeanwhile = "enrolment_changed_meanwhile" {}
        zh: "该报名已被处理", en: "This enrolment changed meanwhile";
    TeacherInactive = "teacher_inactive" {}
        zh: "该教师已停用", en: "This teacher is inactive";
    SchoolHoldsNoSeats = "school_holds_no_seats" {}
        zh: "本校没有该项目的名额", en: "This school holds no seats of the program";
    ChooseTeachersOrFilter = "choose_teachers_or_filter" {}
        zh: "请选择教师或给出筛选条件", en: "Choose teachers or give a filter";
    TooManyAtOnceFilter = "too_many_at_once_filter" { limit: i64 }
        zh: "一次最多指派 {limit} 人，请缩小范围", en: "At most {limit} teachers at once; narrow the filter";
    SomeTeachersOutside = "some_teachers_outside" {}
        zh: "部分教师不存在或不在您的管理范围", en: "Some teachers do not exist or are outside your area";
    ProgramNotOpen = "program_not_open" {}
        zh: "项目未开放报名", en: "The program is not open for enrolment";
    IdCardColumnMissing = "id_card_column_missing" {}
        zh: "缺少“身份证号”列", en: "The ID number column (id_card) is missing";
    TooManyAtOnce = "too_many_at_once" { limit: i64 }
        zh: "一次最多指派 {limit} 人", en: "At most {limit} teachers at once";
    NoTeacherWithIdCard = "no_teacher_with_id_card" {}
        zh: "您的范围内没有该身份证号的教师", en: "No teacher with this ID number in your area";
    IdCardRepeated = "id_card_repeated" {}
        zh: "身份证号重复", en: "ID number repeated in the file";
    ChooseTeacher = "choose_teacher" {}
        zh: "请选择教师", en: "Choose a teacher";
    AssignedProgram = "assigned_program" {}
        zh: "本项目由管理员指派", en: "Teachers are assigned to this program";
    EnrolmentClosed = "enrolment_closed" {}
        zh: "不在报名时间内", en: "Enrolment is closed";
    EnrolmentNotPending = "enrolment_not_pending" {}
        zh: "该报名不在待审核状态", en: "This enrolment is not awaiting a decision";
    RejectionNeedsReason = "rejection_needs_reason" {}
        zh: "不通过时须填写原因", en: "A rejection needs a reason";
    EnrolmentNotWithdrawable = "enrolment_not_withdrawable" {}
        zh: "该报名不能撤销", en: "This enrolment cannot be withdrawn";
    HoursVoidedCompletionLost = "hours_voided_completion_lost" {}
        zh: "学时或考核作废，未达结业要求", en: "Hours or assessment voided; completion no longer met";
    DateInFuture = "date_in_future" {}
        zh: "日期不能晚于今天", en: "The date cannot be in the future";
    EvidenceRequired = "evidence_required" {}
        zh: "补录需附证明材料", en: "A late record needs evidence";
    NoSuchApprovedEnrolment = "no_such_approved_enrolment" {}
        zh: "该教师没有这个有效报名", en: "No such approved enrolment of this teacher";
    EntryNotPending = "entry_not_pending" {}
        zh: "该记录不在待审核状态", en: "This entry is not awaiting a decision";
    EntryDecidedMeanwhile = "entry_decided_meanwhile" {}
        zh: "该记录已被处理", en: "This entry was decided meanwhile";
    HoursApproved = "hours_approved" {}
        zh: "已通过", en: "was approved";
    HoursNotApproved = "hours_not_approved" {}
        zh: "未通过", en: "was not approved";
    HoursMailSubject = "hours_mail_subject" {}
        zh: "学时审核结果", en: "Hours decision";
    HoursMailBody = "hours_mail_body" { max: f64, status: String, reason: String }
        zh: "您提交的补录学时（{max} 学时）{status}{reason}。\n",
        en: "Your hours record ({max} h) {status}{reason}.\n";
    OnlyApprovedVoidable = "only_approved_voidable" {}
        zh: "只能作废已生效的记录", en: "Only approved entries can be voided";
    AlreadyVoided = "already_voided" {}
        zh: "该记录已作废", en: "Already voided";
    NoSuchRegionOrSchool = "no_such_region_or_school" {}
        zh: "没有这个地区或学校", en: "No such region or school";
    HoursSortField = "hours_sort_field" {}
        zh: "排序字段须为 created 或 occurred_on", en: "Sort by created or occurred_on";
    CategoryOnce = "category_once" {}
        zh: "同一类别只能出现一次", en: "Each category may appear once";
    EnrolmentEndsBeforeStart = "enrolment_ends_before_start" {}
        zh: "报名截止早于开始", en: "Enrolment ends before it starts";
    TrainingEndsBeforeStart = "training_ends_before_start" {}
        zh: "培训结束早于开始", en: "Training ends before it starts";
    DesignatedNeedsTargets = "designated_needs_targets" {}
        zh: "指定学时需设置各类别目标", en: "A designated rule needs targets";
    TargetsBelowRequired = "targets_below_required" {}
        zh: "各类别目标之和小于结业要求", en: "The targets add up to less than the required hours";
    NoSuchRegionOrSchoolCode = "no_such_region_or_school_code" {}
        zh: "没有这个区域或学校代码", en: "No such region or school code";
    LevelOwnerMismatch = "level_owner_mismatch" {}
        zh: "项目级别与所属节点不符", en: "The level does not match the owner node";
    ProgramOutsideArea = "program_outside_area" {}
        zh: "不在您的管理范围", en: "Outside your area";
    AlreadyPublished = "already_published" {}
        zh: "项目已发布", en: "Already published";
    SeatsNegative = "seats_negative" {}
        zh: "名额不能为负", en: "Seats cannot be negative";
    SeatsExceedAvailable = "seats_exceed_available" { count: i64 }
        zh: "超出可分配名额（剩余 {count}）", en: "More than the {count} seats left to give";
    SeatsBelowCommitted = "seats_below_committed" { count: i64 }
        zh: "下级已分配或使用 {count} 个名额", en: "{count} seats are already passed on or used below";
    ProgramClosed = "program_closed" {}
        zh: "项目已结束", en: "The program is closed";
    QuotaOnlyBelowOwner = "quota_only_below_owner" {}
        zh: "只能向项目所属区域的下级分配", en: "Only nodes below the program's owner";
    QuotaAboveEmpty = "quota_above_empty" {}
        zh: "上级尚未获得名额", en: "The level above holds no seats of this program yet";
    QuotaNodeHoldsNone = "quota_node_holds_none" {}
        zh: "该节点尚未获得名额", en: "This node holds no seats of this program yet";
    QuotaNothingBelow = "quota_nothing_below" {}
        zh: "该节点下没有可分配的单位", en: "There is nothing below this node to hand seats to";
    RequiredColumnMissing = "required_column_missing" {}
        zh: "缺少必填列", en: "Required column missing";
    MustBeEnrolmentId = "must_be_enrolment_id" {}
        zh: "须为报名编号（数字）", en: "Must be the enrolment ID (a number)";
    MustBeCompletionStatus = "must_be_completion_status" {}
        zh: "须为“结业”或“未结业”", en: "Must be completed or failed";
    FailNeedsReason = "fail_needs_reason" {}
        zh: "未结业须填写原因", en: "A reason is required for a fail";
    GradeTooLong = "grade_too_long" {}
        zh: "成绩过长", en: "Grade too long";
    HoursHalfMultiple = "hours_half_multiple" {}
        zh: "学时须为 0.5 的倍数", en: "Hours must be a multiple of 0.5";
    HoursAtMost200 = "hours_at_most_200" {}
        zh: "学时不能超过 200", en: "At most 200 hours";
    CategoryRequired = "category_required" {}
        zh: "有学时时须填写学时类别", en: "Choose the hour category";
    CategoryUnknown = "category_unknown" {}
        zh: "未知的学时类别", en: "Unknown hour category";
    EnrolmentIdRepeated = "enrolment_id_repeated" {}
        zh: "报名编号重复", en: "Enrolment ID repeated in the file";
    NotApprovedEnrolmentInArea = "not_approved_enrolment_in_area" {}
        zh: "不是本项目在您范围内的有效报名", en: "Not an approved enrolment of this program in your area";
    BatchDecided = "batch_decided" {}
        zh: "该批次已处理", en: "This batch was already decided";
    BatchNeedsOtherAdmin = "batch_needs_other_admin" {}
        zh: "须由提交人以外的管理员确认", en: "Another administrator than the submitter must decide";
    BatchRejectNeedsReason = "batch_reject_needs_reason" {}
        zh: "退回须填写原因", en: "A rejection needs a reason";
    EnrolmentNoLongerApproved = "enrolment_no_longer_approved" { value: String }
        zh: "报名 {value} 已不再有效，请退回该批次", en: "Enrolment {value} is no longer approved; reject the batch";
    HoursNotPositiveHalf = "hours_not_positive_half" { value: String }
        zh: "学时应为0.5的正整数倍", en: "Hours must be a positive multiple of 0.5, got {value}";
    // The class sheet of results: written in the request's language, read back in either.
    ResultSheet = "result_sheet" {}
        zh: "结业名单", en: "Results";
    ResultEnrolmentId = "result_enrolment_id" {}
        zh: "报名编号", en: "Enrolment ID";
    ResultName = "result_name" {}
        zh: "姓名", en: "Name";
    ResultSchool = "result_school" {}
        zh: "学校", en: "School";
    ResultIdCard = "result_id_card" {}
        zh: "身份证号", en: "ID (masked)";
    ResultStatus = "result_status" {}
        zh: "结业状态", en: "Status";
    ResultNote = "result_note" {}
        zh: "证书编号/不合格原因", en: "Certificate no. / reason";
    ResultGrade = "result_grade" {}
        zh: "成绩", en: "Grade";
    ResultHours = "result_hours" {}
        zh: "获得学时", en: "Hours";
    ResultCategory = "result_category" {}
        zh: "学时类别", en: "Hour category";
    // The teacher-level export of a program and the completion report.
    DetailSheet = "training_detail_sheet" {}
        zh: "教师明细", en: "Teachers";
    DetailSchoolCode = "training_detail_school_code" {}
        zh: "学校代码", en: "School code";
    DetailSchool = "training_detail_school" {}
        zh: "学校", en: "School";
    DetailName = "training_detail_name" {}
        zh: "姓名", en: "Name";
    DetailIdCard = "training_detail_id_card" {}
        zh: "身份证号", en: "ID (masked)";
    DetailSubject = "training_detail_subject" {}
        zh: "学科", en: "Subject";
    DetailEnrolled = "training_detail_enrolled" {}
        zh: "参训", en: "Enrolled";
    DetailStatus = "training_detail_status" {}
        zh: "状态", en: "Status";
    DetailCountedHours = "training_detail_counted_hours" {}
        zh: "计入学时", en: "Counted hours";
    CategoryHours = "training_category_hours" { name: String }
        zh: "{name}学时", en: "{name} hours";
    StatusCompleted = "training_status_completed" {}
        zh: "结业", en: "completed";
    StatusReported = "training_status_reported" {}
        zh: "已报到", en: "reported";
    StatusNotReported = "training_status_not_reported" {}
        zh: "未报到", en: "not reported";
    StatusNotCompleted = "training_status_not_completed" {}
        zh: "未结业", en: "not completed";
    ReportSheet = "completion_report_sheet" {}
        zh: "完成情况", en: "Completion";
    ReportCode = "completion_report_code" {}
        zh: "代码", en: "Code";
    ReportName = "completion_report_name" {}
        zh: "名称", en: "Name";
    ReportTeachers = "completion_report_teachers" {}
        zh: "教师数", en: "Teachers";
    ReportEnrolled = "completion_report_enrolled" {}
        zh: "参训人数", en: "Enrolled";
    ReportParticipation = "completion_report_participation" {}
        zh: "参训率", en: "Participation";
    ReportCompleted = "completion_report_completed" {}
        zh: "结业人数", en: "Completed";
    ReportCompletion = "completion_report_completion" {}
        zh: "完成率", en: "Completion";
    ReportAverageHours = "completion_report_average_hours" { name: String }
        zh: "平均{name}学时", en: "Avg {name} hours";
    // Notes of the hours ledger, stored in both languages (see `i18n::in_both_languages`).
    HoursFromCoursework = "hours_from_coursework" {}
        zh: "作业", en: "Coursework";
    HoursFromAttendance = "hours_from_attendance" {}
        zh: "考勤", en: "Attendance";
    CourseworkRegradedFailed = "coursework_regraded_failed" {}
        zh: "作业改判为未通过", en: "Coursework regraded as failed";
    AttendanceChangedToAbsent = "attendance_changed_to_absent" {}
        zh: "考勤改为缺席", en: "Attendance changed to absent";
}
