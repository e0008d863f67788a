//! The operation groups of the spec. A leaf module so every routes file can name its tag without importing
//! the HTTP surface that mounts it.
use poem_openapi::Tags;

#[derive(Tags)]
pub enum Tag {
    /// Sign-in, tokens, passwords and who I am.
    Auth,
    /// The region tree (行政区划).
    Regions,
    /// Schools (学校, 一校一码).
    Schools,
    /// Teachers (教师, 一人一号).
    Teachers,
    /// Accounts and their roles.
    Accounts,
    /// Bulk import and export of the directory.
    ImportExport,
    /// The audit log.
    Audit,
    /// Training programs and their quota cascade.
    Training,
    /// Uploaded files: evidence, coursework and lesson files, resumable uploads, playback.
    Files,
    /// Classes, tutors, coursework and attendance: the professional line of a program.
    Coursework,
    /// 能力点 (ICT 2.0 micro-competencies): catalogue, school plans, evidence, review, spot-checks, report.
    Competency,
    /// The question bank, quizzes and exams, and their attempts.
    Assessments,
    /// 一师一优课: the activity and catalogue, lessons, the school's check, review rounds, 公示 and awards.
    Lessons,
    /// The workbench (工作台): each user's landing page, figures and queues.
    Workbench,
    /// The export center (my exports, made in the background) and scheduled reports.
    Exports,
    /// Reports across programs (全员培训年度报表) and teachers' training records (教师培训档案).
    Reports,
    /// Durable background jobs (mail, reminders): failures and retries.
    Jobs,
    /// The in-app inbox (站内信) and which notices also come by mail.
    Inbox,
    /// Announcements (通知公告) to a subtree, their readers and read counts.
    Announcements,
    /// Service health.
    System,
}
