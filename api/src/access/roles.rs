//! Roles, their administrative rank, the node each binds to, and what each may do.
use poem_openapi::Enum;

pub use entity::account_role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum Permission {
    #[oai(rename = "region.read")]
    RegionRead,
    #[oai(rename = "school.read")]
    SchoolRead,
    #[oai(rename = "school.write")]
    SchoolWrite,
    #[oai(rename = "teacher.read")]
    TeacherRead,
    #[oai(rename = "teacher.write")]
    TeacherWrite,
    #[oai(rename = "teacher.reveal")]
    TeacherReveal,
    #[oai(rename = "account.read")]
    AccountRead,
    #[oai(rename = "account.write")]
    AccountWrite,
    #[oai(rename = "import.run")]
    ImportRun,
    #[oai(rename = "export.run")]
    ExportRun,
    #[oai(rename = "audit.read")]
    AuditRead,
    /// Create programs at my node and hand their quotas down my subtree.
    #[oai(rename = "program.manage")]
    ProgramManage,
    /// Export a program's class sheet for my area and submit the institution's results (结业状态, 成绩, 学时) for
    /// a program administrator to confirm.
    #[oai(rename = "result.submit")]
    ResultSubmit,
    /// Edit and publish the 能力点 catalogue. Held by region administrators but effective only over the root of
    /// the tree: the province's.
    #[oai(rename = "competency.catalog")]
    CompetencyCatalog,
    /// Make my school's yearly 能力点 plan.
    #[oai(rename = "competency.plan")]
    CompetencyPlan,
    /// See the plans, evidence and pass-rate report of my area.
    #[oai(rename = "competency.read")]
    CompetencyRead,
    /// Grade evidence with the checklist: bound to a school, its submissions; bound to a county, the ones drawn
    /// in its spot-checks (overriding the school's grade).
    #[oai(rename = "competency.review")]
    CompetencyReview,
    /// Draw a county's spot-check sample (only through a grant bound to a county).
    #[oai(rename = "competency.spot_check")]
    CompetencySpotCheck,
    /// Build the question bank (题库) at my node; banks of the nodes above me are readable too.
    #[oai(rename = "question.manage")]
    QuestionManage,
    /// Open the year's 一师一优课 activity and import its lesson catalogue. Held by region administrators but
    /// effective only over the root of the tree: the province's.
    #[oai(rename = "lesson.activity")]
    LessonActivity,
    /// Verify my school's teachers for the activity and check (审查) their lessons.
    #[oai(rename = "lesson.check")]
    LessonCheck,
    /// Run my region's review rounds: rubrics, the reviewer pool, assignment, results, quota, 公示 and promotion.
    #[oai(rename = "lesson.round")]
    LessonRound,
    /// Score the lessons assigned to me in a review round.
    #[oai(rename = "lesson.review")]
    LessonReview,
    /// Publish announcements (通知公告) to my subtree, edit and withdraw them, and see who read them.
    #[oai(rename = "announcement.publish")]
    AnnouncementPublish,
    /// See the durable jobs (mail, reminders) that failed or wait for a retry, and run them again. Province
    /// administrators only: the queue is the whole platform's.
    #[oai(rename = "job.manage")]
    JobManage,
    /// Platform configuration, reference data and backups (the system administrator).
    #[oai(rename = "system.manage")]
    SystemManage,
    /// Administrators' accounts and roles, password and second-factor policy, unlocks, second-factor resets and
    /// ending another account's sessions (the security administrator).
    #[oai(rename = "security.manage")]
    SecurityManage,
    /// The whole audit log, security events included: search, export and verification of its hash chain (the
    /// audit administrator).
    #[oai(rename = "audit.verify")]
    AuditVerify,
}

/// Which kind of node a role is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Province,
    City,
    County,
    School,
    /// Any region (tutors and institutions serve a region of any level).
    AnyRegion,
    /// Any region or a school (a reviewer grades one school's evidence, or spot-checks a county's).
    AnyNode,
}

use Permission::*;

const REGION_ADMIN: &[Permission] = &[
    RegionRead,
    SchoolRead,
    SchoolWrite,
    TeacherRead,
    TeacherWrite,
    TeacherReveal,
    AccountRead,
    AccountWrite,
    ImportRun,
    ExportRun,
    AuditRead,
    ProgramManage,
    ResultSubmit,
    CompetencyCatalog,
    CompetencyRead,
    CompetencySpotCheck,
    QuestionManage,
    LessonActivity,
    LessonRound,
    AnnouncementPublish,
];
/// The province's business administrator holds what every region administrator holds; the platform-wide duties
/// (the job queue, configuration, accounts of administrators, the audit log) belong to the three system
/// administrators instead.
const PROVINCE_ADMIN: &[Permission] = REGION_ADMIN;
const SCHOOL_ADMIN: &[Permission] = &[
    RegionRead,
    SchoolRead,
    TeacherRead,
    TeacherWrite,
    TeacherReveal,
    AccountRead,
    AccountWrite,
    ImportRun,
    ExportRun,
    AuditRead,
    ProgramManage,
    CompetencyPlan,
    CompetencyRead,
    QuestionManage,
    LessonCheck,
    AnnouncementPublish,
];
const MEMBER: &[Permission] = &[RegionRead];

/// Reviewers (评审专家) grade 能力点 evidence where they are bound.
const REVIEWER: &[Permission] = &[
    RegionRead,
    CompetencyReview,
    CompetencySpotCheck,
    LessonReview,
];

/// The three province system administrators (三员分立): each holds only its duty.
const SYSTEM_ADMIN: &[Permission] = &[JobManage, SystemManage];
/// The security administrator binds administrators to nodes anywhere, so it reads the region tree (reference data,
/// no personal data).
const SECURITY_ADMIN: &[Permission] = &[SecurityManage, RegionRead];
const AUDIT_ADMIN: &[Permission] = &[AuditVerify];

/// Training institutions (承训机构) report results for the region they serve.
const INSTITUTION: &[Permission] = &[RegionRead, ResultSubmit, QuestionManage];

/// What a role means here: its rank, the node it binds to, and what it may do.
pub trait RoleRules: Copy {
    fn is_system_three(self) -> bool;
    fn is_administrator(self) -> bool;
    fn rank(self) -> u8;
    fn node_kind(self) -> NodeKind;
    fn fits_node(self, level: super::NodeLevel) -> bool;
    fn permissions(self) -> &'static [Permission];
    fn has(self, permission: Permission) -> bool;
}

impl RoleRules for Role {
    fn is_system_three(self) -> bool {
        Self::SYSTEM_THREE.contains(&self)
    }

    /// An administrator's role: one of the three system administrators or a business administrator (province,
    /// city, county, school). The security administrator manages exactly the accounts holding these.
    fn is_administrator(self) -> bool {
        self.is_system_three() || self.rank() > 0
    }

    /// Administrative rank: an admin may grant roles of rank up to their own, never above.
    fn rank(self) -> u8 {
        match self {
            Role::ProvinceAdmin => 4,
            Role::CityAdmin => 3,
            Role::CountyAdmin => 2,
            Role::SchoolAdmin => 1,
            _ => 0,
        }
    }

    fn node_kind(self) -> NodeKind {
        match self {
            Role::ProvinceAdmin | Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin => {
                NodeKind::Province
            }
            Role::CityAdmin => NodeKind::City,
            Role::CountyAdmin => NodeKind::County,
            Role::SchoolAdmin | Role::Teacher => NodeKind::School,
            Role::Reviewer => NodeKind::AnyNode,
            Role::Tutor | Role::InstitutionAdmin => NodeKind::AnyRegion,
        }
    }

    /// Whether this role may be bound to a node of `level`.
    fn fits_node(self, level: super::NodeLevel) -> bool {
        use super::NodeLevel as L;
        match self.node_kind() {
            NodeKind::Province => level == L::Province,
            NodeKind::City => level == L::City,
            NodeKind::County => level == L::County,
            NodeKind::School => level == L::School,
            NodeKind::AnyRegion => level != L::School,
            NodeKind::AnyNode => true,
        }
    }

    fn permissions(self) -> &'static [Permission] {
        match self {
            Role::ProvinceAdmin => PROVINCE_ADMIN,
            Role::CityAdmin | Role::CountyAdmin => REGION_ADMIN,
            Role::SchoolAdmin => SCHOOL_ADMIN,
            // A teacher's own record is granted separately (Scope::own_teacher).
            Role::InstitutionAdmin => INSTITUTION,
            Role::Reviewer => REVIEWER,
            Role::Teacher | Role::Tutor => MEMBER,
            Role::SystemAdmin => SYSTEM_ADMIN,
            Role::SecurityAdmin => SECURITY_ADMIN,
            Role::AuditAdmin => AUDIT_ADMIN,
        }
    }

    fn has(self, permission: Permission) -> bool {
        self.permissions().contains(&permission)
    }
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            RegionRead => "region.read",
            SchoolRead => "school.read",
            SchoolWrite => "school.write",
            TeacherRead => "teacher.read",
            TeacherWrite => "teacher.write",
            TeacherReveal => "teacher.reveal",
            AccountRead => "account.read",
            AccountWrite => "account.write",
            ImportRun => "import.run",
            ExportRun => "export.run",
            AuditRead => "audit.read",
            ProgramManage => "program.manage",
            ResultSubmit => "result.submit",
            CompetencyCatalog => "competency.catalog",
            CompetencyPlan => "competency.plan",
            CompetencyRead => "competency.read",
            CompetencyReview => "competency.review",
            CompetencySpotCheck => "competency.spot_check",
            QuestionManage => "question.manage",
            LessonActivity => "lesson.activity",
            LessonCheck => "lesson.check",
            LessonRound => "lesson.round",
            LessonReview => "lesson.review",
            AnnouncementPublish => "announcement.publish",
            JobManage => "job.manage",
            SystemManage => "system.manage",
            SecurityManage => "security.manage",
            AuditVerify => "audit.verify",
        }
    }
}

/// 三员分立 (separation of the three administrators): a system administrator's role is held alone — never two of
/// them, never one together with a business role. `field` names the roles in the request.
pub fn check_separation(
    roles: &[Role],
    field: &str,
) -> Result<(), crate::platform::error::AppError> {
    if roles.len() > 1 && roles.iter().any(|r| r.is_system_three()) {
        Err(crate::platform::error::AppError::field(
            field,
            crate::platform::i18n::catalogue::access::SystemRolesAlone,
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_system_administrator_role_is_held_alone() {
        assert!(check_separation(&[Role::AuditAdmin], "roles").is_ok());
        assert!(check_separation(&[Role::CityAdmin, Role::Teacher], "roles").is_ok());
        assert!(check_separation(&[Role::SystemAdmin, Role::AuditAdmin], "roles").is_err());
        assert!(check_separation(&[Role::SecurityAdmin, Role::ProvinceAdmin], "roles").is_err());
        assert!(check_separation(&[Role::AuditAdmin, Role::Teacher], "roles").is_err());
    }

    #[test]
    fn platform_duties_belong_to_the_three_system_administrators_each_alone() {
        for role in Role::ALL {
            assert_eq!(role.has(JobManage), role == Role::SystemAdmin, "{role:?}");
            assert_eq!(
                role.has(SecurityManage),
                role == Role::SecurityAdmin,
                "{role:?}"
            );
            assert_eq!(role.has(AuditVerify), role == Role::AuditAdmin, "{role:?}");
        }
        for role in Role::SYSTEM_THREE {
            assert!(
                !role.has(TeacherRead) && !role.has(TeacherReveal),
                "{role:?}"
            );
        }
    }
}
