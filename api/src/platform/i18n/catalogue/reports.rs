//! Messages of reports/: the annual report across programs and the teacher's training record, as files.
crate::messages! {
    AnnualSheet = "annual_report_sheet" {}
        zh: "全员培训年度报表", en: "Annual training report";
    AnnualTitle = "annual_report_title" { name: String, year: i64 }
        zh: "{name} {year} 年度全员培训报表", en: "{name}: training in {year}";
    AnnualCode = "annual_report_code" {}
        zh: "代码", en: "Code";
    AnnualName = "annual_report_name" {}
        zh: "名称", en: "Name";
    AnnualTeachers = "annual_report_teachers" {}
        zh: "教师数", en: "Teachers";
    AnnualParticipants = "annual_report_participants" {}
        zh: "参训教师数", en: "Took part";
    AnnualParticipation = "annual_report_participation" {}
        zh: "参训率", en: "Participation";
    AnnualEnrolments = "annual_report_enrolments" {}
        zh: "参训人次", en: "Enrolments";
    AnnualCompleted = "annual_report_completed" {}
        zh: "结业人次", en: "Completed";
    AnnualCompletion = "annual_report_completion" {}
        zh: "完成率", en: "Completion";
    AnnualCategoryHours = "annual_report_category_hours" { name: String }
        zh: "{name}学时", en: "{name} hours";
    AnnualSupplementHours = "annual_report_supplement_hours" {}
        zh: "其中补录学时", en: "Of which 补录";
    AnnualTotalHours = "annual_report_total_hours" {}
        zh: "总学时", en: "Total hours";
    AnnualMetMinimum = "annual_report_met_minimum" {}
        zh: "达年度学时要求", en: "Met the yearly minimum";
    AnnualCycleComplete = "annual_report_cycle_complete" {}
        zh: "5年360学时达标", en: "360 hours in the cycle";
    AnnualCompetencyPassed = "annual_report_competency_passed" {}
        zh: "能力点合格", en: "能力点 passed";
    AnnualCompetencyRate = "annual_report_competency_rate" {}
        zh: "能力点合格率", en: "能力点 pass rate";
    AnnualAwards = "annual_report_awards" {}
        zh: "优课(县/市/省/部)", en: "优课 (county/city/province/ministry)";
    AnnualTotal = "annual_report_total" {}
        zh: "合计", en: "Total";
    RecordTitle = "teacher_record_title" { name: String }
        zh: "{name} 教师培训档案", en: "Training record of {name}";
    RecordTeacher = "teacher_record_teacher" {}
        zh: "教师信息", en: "Teacher";
    RecordPrograms = "teacher_record_programs" {}
        zh: "参训项目", en: "Programs";
    RecordHours = "teacher_record_hours" {}
        zh: "学时记录", en: "Hours ledger";
    RecordCertificates = "teacher_record_certificates" {}
        zh: "培训证书", en: "Certificates";
    RecordQuizzes = "teacher_record_quizzes" {}
        zh: "测验成绩", en: "Quiz results";
    RecordCompetencies = "teacher_record_competencies" {}
        zh: "能力点成绩", en: "能力点 grades";
    RecordLessons = "teacher_record_lessons" {}
        zh: "晒课与优课", en: "Lessons and awards";
    RecordCycles = "teacher_record_cycles" {}
        zh: "5年周期学时（360学时）", en: "5-year cycles (360 hours)";
    RecordNone = "teacher_record_none" {}
        zh: "（无）", en: "(none)";
}
