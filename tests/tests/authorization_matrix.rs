//! The authorization matrix: every operation of the OpenAPI spec × role × target relation → expected status.
//!
//! Roles sit on one branch of the tree — province 510000 → city 成都市 510100 → county 锦江区 510104 → school
//! SA — with a reviewer and a tutor on 锦江区 and a teacher in SA. The three system administrators (system, security,
//! audit; 三员分立) are bound to the province like its business administrator, and their targets are its targets,
//! except their own account. Targets are named relative to the caller's node:
//! `own` (my node / my record / my account), `child` (something below me), `sibling` (the same kind of thing
//! beside me: 青羊区 510105 for a county, 绵阳市 510700 for the city, a colleague for a teacher) and `parent`
//! (above me). `-` is an operation without a target. The test fails when an operation in the spec has no row,
//! and (separately) every secured operation must answer 401 without a token.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use poem::http::Method;
use serde_json::{Value, json};
use yanxiu_tests::*;

const ROLES: [&str; 10] = [
    "province_admin",
    "city_admin",
    "county_admin",
    "school_admin",
    "teacher",
    "reviewer",
    "tutor",
    "system_admin",
    "security_admin",
    "audit_admin",
];

/// The three system administrators' roles (三员分立).
const SYSTEM_THREE: [&str; 3] = ["system_admin", "security_admin", "audit_admin"];

/// `ops role relation status…[total]` — several comma-separated operations share a line, one status each.
/// `*` as role means every role. For a list, an optional last number is the expected `total` (scope check).
const MATRIX: &str = r"
# public operations: called without a token
health              public -  200
ready               public -  200
login               public -  200
refresh             public -  401
logout              public -  204
forgotPassword      public -  202
resetPassword       public -  401

# who am I, region tree, audit: every signed-in role
me,regionTree,listRegions,listAudit  *  -  200 200 200 200

# the workbench: every signed-in role has one; its parts follow the role (tests/tests/workbench.rs)
getWorkbench,getTodoCounts  *  -  200 200
# the export center: anyone lists their own exports and subscriptions; another's (or none) is 404; asking for an
# export (here the schools) or subscribing to one needs what that export needs (export.run for the directory)
listMyExports,listReportSubscriptions  *  -  200 200
getMyExport,downloadMyExport,deleteMyExport,switchReportSubscription,unsubscribeReport  *  -  404 404 404 404 404
requestExport,subscribeReport  province_admin  -  200 200
requestExport,subscribeReport  city_admin      -  200 200
requestExport,subscribeReport  county_admin    -  200 200
requestExport,subscribeReport  school_admin    -  200 200
requestExport,subscribeReport  teacher         -  403 403
requestExport,subscribeReport  reviewer        -  403 403
requestExport,subscribeReport  tutor           -  403 403
requestExport,subscribeReport  system_admin    -  403 403
requestExport,subscribeReport  security_admin  -  403 403
requestExport,subscribeReport  audit_admin     -  403 403

# the durable job queue (mail, reminders): the system administrator only (rows in the 三员分立 block below)
listJobs,retryJobs  province_admin - 403 403
listJobs,retryJobs  city_admin     - 403 403
listJobs,retryJobs  county_admin   - 403 403
listJobs,retryJobs  school_admin   - 403 403
listJobs,retryJobs  teacher        - 403 403
listJobs,retryJobs  reviewer       - 403 403
listJobs,retryJobs  tutor          - 403 403

# the inbox: my own messages and preferences only (no message of the fixture is anyone's: 404)
listInboxMessages,inboxUnreadCount,markAllInboxMessagesRead,getNotificationPreferences,setNotificationPreferences,myAnnouncements  *  -  200 200 200 200 200 200
markInboxMessageRead  *  -  404

# announcements: AN is 锦江区's (every role), ANB 青羊区's; publishing at a node of my area (elsewhere: 422 on node_code)
listAnnouncements  province_admin - 200
listAnnouncements  city_admin     - 200
listAnnouncements  county_admin   - 200
listAnnouncements  school_admin   - 200
listAnnouncements  teacher        - 403
listAnnouncements  reviewer       - 403
listAnnouncements  tutor          - 403
listAnnouncements  system_admin   - 403
listAnnouncements  security_admin - 403
listAnnouncements  audit_admin    - 403
publishAnnouncement  province_admin child   200
publishAnnouncement  city_admin     child   200
publishAnnouncement  city_admin     sibling 422
publishAnnouncement  county_admin   own     200
publishAnnouncement  county_admin   sibling 422
publishAnnouncement  school_admin   own     200
publishAnnouncement  school_admin   sibling 422
publishAnnouncement  teacher        own     403
publishAnnouncement  reviewer       own     403
publishAnnouncement  tutor          own     403
publishAnnouncement  system_admin   child   403
publishAnnouncement  security_admin child   403
publishAnnouncement  audit_admin    child   403
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  province_admin child   200 200 200 404 200
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  city_admin     child   200 200 200 404 200
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  county_admin   own     200 200 200 200 200
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  county_admin   sibling 404 404 404 404 404
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  school_admin   parent  200 403 403 200 403
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  school_admin   sibling 404 404 404 404 404
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  teacher        parent  200 403 403 200 403
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  teacher        sibling 404 404 404 404 404
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  reviewer       own     200 403 403 200 403
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  tutor          own     200 403 403 200 403
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  system_admin   child   404 404 404 404 404
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  security_admin child   404 404 404 404 404
getAnnouncement,updateAnnouncement,announcementReadCounts,markAnnouncementRead,withdrawAnnouncement  audit_admin    child   404 404 404 404 404

# lists, with the number of rows each role may see
listSchools   province_admin - 200 3
listSchools   city_admin     - 200 2
listSchools   county_admin   - 200 1
listSchools   school_admin   - 200 1
listSchools   teacher        - 200 0
listSchools   reviewer       - 200 0
listSchools   tutor          - 200 0
listTeachers  province_admin - 200 4
listTeachers  city_admin     - 200 3
listTeachers  county_admin   - 200 2
listTeachers  school_admin   - 200 2
listTeachers  teacher        - 200 1
listTeachers  reviewer       - 200 0
listTeachers  tutor          - 200 0
listAccounts  province_admin - 200 11
listAccounts  city_admin     - 200 9
listAccounts  county_admin   - 200 6
listAccounts  school_admin   - 200 2
listAccounts  teacher        - 200 0
listAccounts  reviewer       - 200 0
listAccounts  tutor          - 200 0

# regions: visible when in my subtree or an ancestor of it (listRegions with ?parent=)
getRegion,listRegions  province_admin own     200 200
getRegion,listRegions  province_admin child   200 200
getRegion,listRegions  city_admin     own     200 200
getRegion,listRegions  city_admin     child   200 200
getRegion,listRegions  city_admin     sibling 404 404
getRegion,listRegions  city_admin     parent  200 200
getRegion,listRegions  county_admin   own     200 200
getRegion,listRegions  county_admin   sibling 404 404
getRegion,listRegions  county_admin   parent  200 200
getRegion,listRegions  school_admin   parent  200 200
getRegion,listRegions  school_admin   sibling 404 404
getRegion,listRegions  teacher        parent  200 200
getRegion,listRegions  teacher        sibling 404 404
getRegion,listRegions  reviewer       own     200 200
getRegion,listRegions  tutor          own     200 200
getRegion,listRegions  reviewer       sibling 404 404
getRegion,listRegions  tutor          sibling 404 404
getRegion,listRegions  reviewer       parent  200 200
getRegion,listRegions  tutor          parent  200 200

# schools
getSchool,updateSchool,deactivateSchool,activateSchool  province_admin child   200 200 200 200
getSchool,updateSchool,deactivateSchool,activateSchool  city_admin     child   200 200 200 200
getSchool,updateSchool,deactivateSchool,activateSchool  city_admin     sibling 404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  county_admin   child   200 200 200 200
getSchool,updateSchool,deactivateSchool,activateSchool  county_admin   sibling 404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  school_admin   own     200 403 403 403
getSchool,updateSchool,deactivateSchool,activateSchool  school_admin   sibling 404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  teacher        parent  404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  teacher        sibling 404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  reviewer       child   404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  tutor          child   404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  reviewer       sibling 404 404 404 404
getSchool,updateSchool,deactivateSchool,activateSchool  tutor          sibling 404 404 404 404
# creating a school in a county (out of my area: 422 on county_code; no school.write anywhere: 403)
createSchool  province_admin child   200
createSchool  city_admin     child   200
createSchool  city_admin     sibling 422
createSchool  county_admin   own     200
createSchool  county_admin   sibling 422
createSchool  school_admin   parent  403
createSchool  teacher        parent  403
createSchool  reviewer       own     403
createSchool  tutor          own     403

# teachers
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  province_admin child   200 200 200 200 200
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  city_admin     child   200 200 200 200 200
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  city_admin     sibling 404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  county_admin   child   200 200 200 200 200
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  county_admin   sibling 404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  school_admin   child   200 200 200 200 200
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  school_admin   sibling 404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  teacher        own     200 403 403 403 403
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  teacher        sibling 404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  reviewer       child   404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  tutor          child   404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  reviewer       sibling 404 404 404 404 404
getTeacher,updateTeacher,revealTeacher,deactivateTeacher,activateTeacher  tutor          sibling 404 404 404 404 404
# creating a teacher in a school (out of my area: 422 on school_id; no teacher.write anywhere: 403)
createTeacher  province_admin child   200
createTeacher  city_admin     child   200
createTeacher  city_admin     sibling 422
createTeacher  county_admin   child   200
createTeacher  county_admin   sibling 422
createTeacher  school_admin   own     200
createTeacher  school_admin   sibling 422
createTeacher  teacher        parent  403
createTeacher  reviewer       child   403
createTeacher  tutor          child   403

# accounts (my own account is never changed through account management: 422 on id)
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  province_admin own     200 422 422 422 422
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  province_admin child   200 200 200 200 204
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  city_admin     own     200 422 422 422 422
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  city_admin     child   200 200 200 200 204
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  city_admin     sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  city_admin     parent  404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  county_admin   own     200 422 422 422 422
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  county_admin   child   200 200 200 200 204
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  county_admin   sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  county_admin   parent  404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  school_admin   own     200 422 422 422 422
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  school_admin   child   200 200 200 200 204
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  school_admin   sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  school_admin   parent  404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  teacher        own     200 403 403 403 403
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  teacher        sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  teacher        parent  404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  reviewer       own     200 403 403 403 403
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  tutor          own     200 403 403 403 403
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  reviewer       child   404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  tutor          child   404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  reviewer       sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  tutor          sibling 404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  reviewer       parent  404 404 404 404 404
getAccount,updateAccount,deactivateAccount,activateAccount,setAccountPassword  tutor          parent  404 404 404 404 404
# creating an account on a node (out of my area: 422 on scope_code; a role of my own rank, e.g. a school admin
# creating a school admin: 422 on role; no account.write anywhere: 403)
createAccount  province_admin child   200
createAccount  city_admin     child   200
createAccount  city_admin     sibling 422
createAccount  city_admin     parent  422
createAccount  county_admin   own     200
createAccount  county_admin   sibling 422
createAccount  county_admin   parent  422
createAccount  school_admin   own     422
createAccount  school_admin   sibling 422
createAccount  school_admin   parent  422
createAccount  teacher        own     403
createAccount  reviewer       own     403
createAccount  tutor          own     403
createAccount  reviewer       parent  403
createAccount  tutor          parent  403
changePassword  *  own  200

# import / export (teachers): import.run + teacher.write, export.run
importTemplate                              *  -  200
runImport,importErrorReport,exportDirectory province_admin - 200 200 200
runImport,importErrorReport,exportDirectory city_admin     - 200 200 200
runImport,importErrorReport,exportDirectory county_admin   - 200 200 200
runImport,importErrorReport,exportDirectory school_admin   - 200 200 200
runImport,importErrorReport,exportDirectory teacher        - 403 403 403
runImport,importErrorReport,exportDirectory reviewer       - 403 403 403
runImport,importErrorReport,exportDirectory tutor          - 403 403 403

# training programs: P is the province's published program, PQ a published program of 青羊区 (510105);
# publishing an already published program is 409 for those who manage it
listPrograms  *  -  200
getProgram,listQuotas,publishProgram  province_admin own     200 200 409
getProgram,listQuotas,publishProgram  province_admin child   200 200 409
getProgram,listQuotas,publishProgram  city_admin     parent  200 200 403
getProgram,listQuotas,publishProgram  city_admin     child   200 200 409
getProgram,listQuotas,publishProgram  county_admin   parent  200 200 403
getProgram,listQuotas,publishProgram  county_admin   sibling 404 404 404
getProgram,listQuotas,publishProgram  school_admin   parent  200 200 403
getProgram,listQuotas,publishProgram  school_admin   sibling 404 404 404
getProgram,listQuotas,publishProgram  teacher        parent  200 200 403
getProgram,listQuotas,publishProgram  teacher        sibling 404 404 404
getProgram,listQuotas,publishProgram  reviewer       parent  200 200 403
getProgram,listQuotas,publishProgram  tutor          parent  200 200 403
getProgram,listQuotas,publishProgram  reviewer       sibling 404 404 404
getProgram,listQuotas,publishProgram  tutor          sibling 404 404 404
# creating a program owned by a node (out of my area: 422 on owner_code; no program.manage anywhere: 403)
createProgram  province_admin child   200
createProgram  city_admin     child   200
createProgram  city_admin     sibling 422
createProgram  city_admin     parent  422
createProgram  county_admin   own     200
createProgram  county_admin   sibling 422
createProgram  county_admin   parent  422
createProgram  school_admin   own     200
createProgram  school_admin   sibling 422
createProgram  school_admin   parent  422
createProgram  teacher        own     403
createProgram  reviewer       own     403
createProgram  tutor          own     403
# seats of P for a node, given by the level above it (which the caller must manage)
allocateQuota  province_admin child   200
allocateQuota  city_admin     child   200
allocateQuota  city_admin     sibling 404
allocateQuota  county_admin   child   200
allocateQuota  county_admin   sibling 404
allocateQuota  school_admin   own     403
allocateQuota  school_admin   sibling 404
allocateQuota  teacher        parent  403
allocateQuota  teacher        sibling 404
allocateQuota  reviewer       child   403
allocateQuota  tutor          child   403
allocateQuota  reviewer       sibling 404
allocateQuota  tutor          sibling 404

# enrolment. E: TA assigned to P; EP: TA's own pending enrolment in a free program; ER: TA's withdrawn one;
# EB: TB (青羊区) assigned to PQ. Assigning TA to P again is 409 (already enrolled) for those allowed to try;
# a decision without a reason is 422 (changes nothing); withdrawing ER again is 409.
listEnrollments  province_admin - 200 1
listEnrollments  city_admin     - 200 1
listEnrollments  county_admin   - 200 1
listEnrollments  school_admin   - 200 1
listEnrollments  teacher        - 200 1
listEnrollments  reviewer       - 200 0
listEnrollments  tutor          - 200 0
# a teacher named in the body outside my area (or by a role that enrols nobody) is a 422 on teacher_id
enroll  province_admin child   409
enroll  city_admin     child   409
enroll  city_admin     sibling 422
enroll  county_admin   child   409
enroll  county_admin   sibling 422
enroll  school_admin   child   409
enroll  school_admin   sibling 422
enroll  teacher        own     409
enroll  reviewer       child   422
enroll  tutor          child   422
getEnrollment,decideEnrollment,withdrawEnrollment  province_admin child   200 422 409
getEnrollment,decideEnrollment,withdrawEnrollment  city_admin     child   200 422 409
getEnrollment,decideEnrollment,withdrawEnrollment  county_admin   child   200 422 409
getEnrollment,decideEnrollment,withdrawEnrollment  county_admin   sibling 404 404 404
getEnrollment,decideEnrollment,withdrawEnrollment  school_admin   child   200 422 409
getEnrollment,decideEnrollment,withdrawEnrollment  school_admin   sibling 404 404 404
getEnrollment,decideEnrollment,withdrawEnrollment  teacher        own     200 403 409
getEnrollment,decideEnrollment,withdrawEnrollment  teacher        sibling 404 404 404
getEnrollment,decideEnrollment,withdrawEnrollment  reviewer       child   404 404 404
getEnrollment,decideEnrollment,withdrawEnrollment  tutor          child   404 404 404

# hours ledger. Recording credits TA (a 补录 with evidence when the teacher files it); HP: TA's pending 补录
# (deciding without a reason is 422); HV: TA's already voided entry (voiding again is 409); HB: TB's entry.
listHours  *  -  200
# (a teacher named in the body outside my area: 422 on teacher_id)
recordHours  province_admin child   200
recordHours  city_admin     child   200
recordHours  city_admin     sibling 422
recordHours  county_admin   child   200
recordHours  county_admin   sibling 422
recordHours  school_admin   child   200
recordHours  school_admin   sibling 422
recordHours  teacher        own     200
recordHours  teacher        sibling 422
recordHours  reviewer       child   422
recordHours  tutor          child   422
decideHours,voidHours  province_admin child   422 409
decideHours,voidHours  city_admin     child   422 409
decideHours,voidHours  county_admin   child   422 409
decideHours,voidHours  county_admin   sibling 404 404
decideHours,voidHours  school_admin   child   422 409
decideHours,voidHours  school_admin   sibling 404 404
decideHours,voidHours  teacher        own     403 403
decideHours,voidHours  teacher        sibling 404 404
decideHours,voidHours  reviewer       child   404 404
decideHours,voidHours  tutor          child   404 404

# bulk actions with per-item outcomes: a caller who may act somewhere gets 200, and a target outside their area is
# refused inside the answer (tests/tests/bulk_actions.rs checks those refusals); a caller who may act nowhere gets 403.
# decideHoursMany rejects without a reason here, so it answers 422 before any entry changes.
setTeachersActive,decideHoursMany  province_admin child   200 422
setTeachersActive,decideHoursMany  city_admin     child   200 422
setTeachersActive,decideHoursMany  county_admin   child   200 422
setTeachersActive,decideHoursMany  county_admin   sibling 200 422
setTeachersActive,decideHoursMany  school_admin   child   200 422
setTeachersActive,decideHoursMany  school_admin   sibling 200 422
setTeachersActive,decideHoursMany  teacher        own     403 403
setTeachersActive,decideHoursMany  teacher        sibling 403 403
setTeachersActive,decideHoursMany  reviewer       child   403 403
setTeachersActive,decideHoursMany  tutor          child   403 403
setTeachersActive,decideHoursMany  system_admin   child   403 403
setTeachersActive,decideHoursMany  security_admin child   403 403
setTeachersActive,decideHoursMany  audit_admin    child   403 403

# 分配到下级 (a preview: the default dry run writes nothing) from a node I manage; a school has nothing below it
distributeQuota  province_admin child   200
distributeQuota  city_admin     child   200
distributeQuota  city_admin     sibling 404
distributeQuota  city_admin     parent  404
distributeQuota  county_admin   own     200
distributeQuota  county_admin   parent  404
distributeQuota  county_admin   sibling 404
distributeQuota  school_admin   own     422
distributeQuota  school_admin   sibling 404
distributeQuota  school_admin   parent  404
distributeQuota  teacher        own     403
distributeQuota  reviewer       own     403
distributeQuota  tutor          own     403
distributeQuota  system_admin   child   404
distributeQuota  security_admin child   403
distributeQuota  audit_admin    child   404

# certificates. CR: TA's revoked certificate (revoking again is 409 for those allowed to); CB: TB's valid one.
verifyCertificate  public -  200
listCertificates  *  -  200
revokeCertificate  province_admin child   409
revokeCertificate  city_admin     child   409
revokeCertificate  county_admin   child   409
revokeCertificate  county_admin   sibling 404
revokeCertificate  school_admin   child   409
revokeCertificate  school_admin   sibling 404
revokeCertificate  teacher        own     403
revokeCertificate  teacher        sibling 404
revokeCertificate  reviewer       child   404
revokeCertificate  tutor          child   404

# the completion report of P for my own node (program.manage), or of PQ from a sibling county (invisible)
programReport,exportProgramReport,exportProgramTeachers  province_admin own     200 200 200
programReport,exportProgramReport,exportProgramTeachers  city_admin     parent  200 200 200
programReport,exportProgramReport,exportProgramTeachers  county_admin   parent  200 200 200
programReport,exportProgramReport,exportProgramTeachers  county_admin   sibling 404 404 404
programReport,exportProgramReport,exportProgramTeachers  school_admin   parent  200 200 200
programReport,exportProgramReport,exportProgramTeachers  teacher        parent  403 403 403
programReport,exportProgramReport,exportProgramTeachers  reviewer       parent  403 403 403
programReport,exportProgramReport,exportProgramTeachers  tutor          parent  403 403 403

# the annual report across programs (program.manage over the node; `-` is my own node, sibling 青羊区)
annualReport,exportAnnualReport,annualReportPdf  province_admin -       200 200 200
annualReport,exportAnnualReport,annualReportPdf  city_admin     -       200 200 200
annualReport,exportAnnualReport,annualReportPdf  county_admin   -       200 200 200
annualReport,exportAnnualReport,annualReportPdf  county_admin   sibling 404 404 404
annualReport,exportAnnualReport,annualReportPdf  school_admin   -       200 200 200
annualReport,exportAnnualReport,annualReportPdf  school_admin   sibling 404 404 404
annualReport,exportAnnualReport,annualReportPdf  teacher        -       403 403 403
annualReport,exportAnnualReport,annualReportPdf  reviewer       -       403 403 403
annualReport,exportAnnualReport,annualReportPdf  tutor          -       403 403 403
annualReport,exportAnnualReport,annualReportPdf  system_admin   -       403 403 403
annualReport,exportAnnualReport,annualReportPdf  security_admin -       403 403 403
annualReport,exportAnnualReport,annualReportPdf  audit_admin    -       403 403 403

# a teacher's training record: the teacher's own, or the teachers of my area (as getTeacher)
teacherRecord,teacherRecordPdf  province_admin child   200 200
teacherRecord,teacherRecordPdf  city_admin     child   200 200
teacherRecord,teacherRecordPdf  city_admin     sibling 404 404
teacherRecord,teacherRecordPdf  county_admin   child   200 200
teacherRecord,teacherRecordPdf  county_admin   sibling 404 404
teacherRecord,teacherRecordPdf  school_admin   child   200 200
teacherRecord,teacherRecordPdf  school_admin   sibling 404 404
teacherRecord,teacherRecordPdf  teacher        own     200 200
teacherRecord,teacherRecordPdf  teacher        sibling 404 404
teacherRecord,teacherRecordPdf  reviewer       child   404 404
teacherRecord,teacherRecordPdf  tutor          child   404 404
teacherRecord,teacherRecordPdf  system_admin   child   404 404
teacherRecord,teacherRecordPdf  security_admin child   404 404
teacherRecord,teacherRecordPdf  audit_admin    child   404 404

# certificate PDFs: CR is TA's (revoked) certificate, CB TB's
downloadCertificate  province_admin child   200
downloadCertificate  city_admin     child   200
downloadCertificate  county_admin   child   200
downloadCertificate  county_admin   sibling 404
downloadCertificate  school_admin   child   200
downloadCertificate  school_admin   sibling 404
downloadCertificate  teacher        own     200
downloadCertificate  teacher        sibling 404
downloadCertificate  reviewer       child   404
downloadCertificate  tutor          child   404

# substitution of E (TA's approved enrolment) by TA again: allowed callers reach the 409 (already enrolled /
# finished) and nothing changes
substituteEnrollment  province_admin child   409
substituteEnrollment  city_admin     child   409
substituteEnrollment  county_admin   child   409
substituteEnrollment  county_admin   sibling 404
substituteEnrollment  school_admin   child   409
substituteEnrollment  school_admin   sibling 404
substituteEnrollment  teacher        own     403
substituteEnrollment  teacher        sibling 404
substituteEnrollment  reviewer       child   404
substituteEnrollment  tutor          child   404

# 5-year cycle totals of a teacher (TA, or TB / TM out of the caller's area)
hourCycles  province_admin child   200
hourCycles  city_admin     child   200
hourCycles  city_admin     sibling 404
hourCycles  county_admin   child   200
hourCycles  county_admin   sibling 404
hourCycles  school_admin   child   200
hourCycles  school_admin   sibling 404
hourCycles  teacher        own     200
hourCycles  teacher        sibling 404
hourCycles  reviewer       child   404
hourCycles  tutor          child   404

# institution results: the class sheet and a dry-run upload of P for my own node (result.submit: region admins
# and institutions); RB is a pending batch of P for 锦江区 submitted by its county admin (who therefore cannot
# decide it: 409), RBQ one of PQ for 青羊区; a rejection without a reason is 422 (nothing changes)
# bulk assignment of TA (already enrolled in P): a dry run whose report lists TA, for those who manage programs
assignMany,assignFromFile  province_admin own     200 200
assignMany,assignFromFile  city_admin     parent  200 200
assignMany,assignFromFile  county_admin   parent  200 200
assignMany,assignFromFile  county_admin   sibling 404 404
assignMany,assignFromFile  school_admin   parent  200 200
assignMany,assignFromFile  teacher        parent  403 403
assignMany,assignFromFile  reviewer       parent  403 403
assignMany,assignFromFile  tutor          parent  403 403

exportResultSheet,submitResults  province_admin own     200 200
exportResultSheet,submitResults  city_admin     parent  200 200
exportResultSheet,submitResults  county_admin   parent  200 200
exportResultSheet,submitResults  county_admin   sibling 404 404
exportResultSheet,submitResults  school_admin   parent  403 403
exportResultSheet,submitResults  teacher        parent  403 403
exportResultSheet,submitResults  reviewer       parent  403 403
exportResultSheet,submitResults  tutor          parent  403 403
listResultBatches  province_admin - 200 1
listResultBatches  city_admin     - 200 1
listResultBatches  county_admin   - 200 1
listResultBatches  school_admin   - 200 0
listResultBatches  teacher        - 200 0
listResultBatches  reviewer       - 200 0
listResultBatches  tutor          - 200 0
getResultBatch,decideResultBatch  province_admin child   200 422
getResultBatch,decideResultBatch  city_admin     child   200 422
getResultBatch,decideResultBatch  county_admin   child   200 409
getResultBatch,decideResultBatch  county_admin   sibling 404 404
getResultBatch,decideResultBatch  school_admin   child   404 404
getResultBatch,decideResultBatch  teacher        own     404 404
getResultBatch,decideResultBatch  reviewer       child   404 404
getResultBatch,decideResultBatch  tutor          child   404 404

# uploaded files: every signed-in role may upload; FT is TA's evidence, FB a file of 青羊区's county admin
uploadFile  *  -  200
getFile,downloadFile  province_admin child   200 200
getFile,downloadFile  city_admin     child   200 200
getFile,downloadFile  county_admin   child   200 200
getFile,downloadFile  county_admin   sibling 404 404
getFile,downloadFile  school_admin   child   200 200
getFile,downloadFile  school_admin   sibling 404 404
getFile,downloadFile  teacher        own     200 200
getFile,downloadFile  teacher        sibling 404 404
getFile,downloadFile  reviewer       child   404 404
getFile,downloadFile  tutor          child   404 404

# lesson videos: a poster (FT has one) and playback links follow the file's readers
downloadFilePoster,createFilePlayToken  province_admin child   200 200
downloadFilePoster,createFilePlayToken  city_admin     child   200 200
downloadFilePoster,createFilePlayToken  county_admin   child   200 200
downloadFilePoster,createFilePlayToken  county_admin   sibling 404 404
downloadFilePoster,createFilePlayToken  school_admin   child   200 200
downloadFilePoster,createFilePlayToken  school_admin   sibling 404 404
downloadFilePoster,createFilePlayToken  teacher        own     200 200
downloadFilePoster,createFilePlayToken  teacher        sibling 404 404
downloadFilePoster,createFilePlayToken  reviewer       child   404 404
downloadFilePoster,createFilePlayToken  tutor          child   404 404

# resumable uploads (tus at /api/uploads, outside the spec; their status in it): only the uploader sees one.
# UT is TA's upload, UB one of 青羊区's county admin; administrators over TA do not see UT either.
getUploadStatus  teacher        own     200
getUploadStatus  *              sibling 404
getUploadStatus  province_admin child   404
getUploadStatus  county_admin   child   404
getUploadStatus  school_admin   child   404

# classes, coursework and attendance. C: a class of P with the tutor, E placed in it; CQ: a class of PQ (青羊区)
# with EB. A / AQ: assignments of C / CQ; S / SB: TA's / TB's submissions to them; SS / SSQ: sessions of C / CQ.
# Only P's managers (the province) run C; PQ's (province, city) run CQ; the tutor runs C; TA sits in C and may
# read it, its sessions and coursework, and submit. Lists come first: later rows add classes and coursework.
listClasses       province_admin - 200 2
listClasses       city_admin     - 200 1
listClasses       county_admin   - 200 0
listClasses       school_admin   - 200 0
listClasses       teacher        - 200 1
listClasses       reviewer       - 200 0
listClasses       tutor          - 200 1
listAssignments   province_admin - 200 2
listAssignments   city_admin     - 200 1
listAssignments   county_admin   - 200 0
listAssignments   school_admin   - 200 0
listAssignments   teacher        - 200 1
listAssignments   reviewer       - 200 0
listAssignments   tutor          - 200 1
listMyCoursework  province_admin - 200 0
listMyCoursework  city_admin     - 200 0
listMyCoursework  county_admin   - 200 0
listMyCoursework  school_admin   - 200 0
listMyCoursework  teacher        - 200 1
listMyCoursework  reviewer       - 200 0
listMyCoursework  tutor          - 200 0
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  province_admin own     200 200 200 200 200 200
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  province_admin child   200 200 200 200 200 200
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  city_admin     child   200 200 200 200 200 200
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  city_admin     parent  404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  county_admin   parent  404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  county_admin   sibling 404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  school_admin   parent  404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  school_admin   sibling 404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  teacher        own     200 403 200 403 403 403
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  teacher        sibling 404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  reviewer       child   404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  reviewer       sibling 404 404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  tutor          own     200 200 200 403 403 200
getClass,listClassMembers,listSessions,setClassTutors,placeInClass,createSession  tutor          sibling 404 404 404 404 404 404
# new classes and program-wide coursework: program.manage over the program's owner (403 where it is only visible)
createClass,createAssignment  province_admin own     200 200
createClass,createAssignment  city_admin     child   200 200
createClass,createAssignment  city_admin     parent  403 403
createClass,createAssignment  county_admin   parent  403 403
createClass,createAssignment  county_admin   sibling 404 404
createClass,createAssignment  school_admin   parent  403 403
createClass,createAssignment  teacher        parent  403 403
createClass,createAssignment  reviewer       parent  403 403
createClass,createAssignment  tutor          parent  403 403
getAssignment,listSubmissions  province_admin own     200 200
getAssignment,listSubmissions  province_admin child   200 200
getAssignment,listSubmissions  city_admin     child   200 200
getAssignment,listSubmissions  city_admin     parent  404 404
getAssignment,listSubmissions  county_admin   parent  404 404
getAssignment,listSubmissions  county_admin   sibling 404 404
getAssignment,listSubmissions  school_admin   parent  404 404
getAssignment,listSubmissions  teacher        own     200 200
getAssignment,listSubmissions  teacher        sibling 404 404
getAssignment,listSubmissions  reviewer       child   404 404
getAssignment,listSubmissions  tutor          own     200 200
getAssignment,listSubmissions  tutor          sibling 404 404
# grading S / SB (before any new submission makes S not the latest); attendance of E in SS, EB in SSQ
gradeSubmission,recordAttendance,getAttendance  province_admin own     200 200 200
gradeSubmission,recordAttendance,getAttendance  province_admin child   200 200 200
gradeSubmission,recordAttendance,getAttendance  city_admin     child   200 200 200
gradeSubmission,recordAttendance,getAttendance  city_admin     parent  404 404 404
gradeSubmission,recordAttendance,getAttendance  county_admin   parent  404 404 404
gradeSubmission,recordAttendance,getAttendance  county_admin   sibling 404 404 404
gradeSubmission,recordAttendance,getAttendance  school_admin   parent  404 404 404
gradeSubmission,recordAttendance,getAttendance  teacher        own     403 403 403
gradeSubmission,recordAttendance,getAttendance  teacher        sibling 404 404 404
gradeSubmission,recordAttendance,getAttendance  reviewer       child   404 404 404
gradeSubmission,recordAttendance,getAttendance  tutor          own     200 200 200
gradeSubmission,recordAttendance,getAttendance  tutor          sibling 404 404 404
# submitting: only a teacher placed in the assignment's class
submitCoursework  province_admin own     403
submitCoursework  city_admin     child   403
submitCoursework  county_admin   parent  404
submitCoursework  school_admin   parent  404
submitCoursework  teacher        own     200
submitCoursework  teacher        sibling 404
submitCoursework  reviewer       child   404
submitCoursework  tutor          own     403
# ───────────── 一师一优课 (issue #5), before the rounds ─────────────
# ACT: the 2026 activity (the province's, so reference data for everyone). LS: TA's draft lesson (with the 素材
# item IM), LD: another draft of TA to delete, LSB: TB's lesson (青羊区, written straight to the database).
# Pools: RV (the matrix reviewer in 锦江区's pool), RVC (a second reviewer there), RVB (one in 青羊区's).
# CF: the matrix reviewer's own declared conflict, CFA one declared by the province for the second reviewer.
listLessonActivities,getLessonActivity,listLessonCatalogue,lessonCatalogueFacets,listLessonConflicts  *  own  200 200 200 200 200
createLessonActivity,updateLessonActivity,importLessonCatalogue  province_admin own 200 200 200
createLessonActivity,updateLessonActivity,importLessonCatalogue  city_admin     own 403 403 403
createLessonActivity,updateLessonActivity,importLessonCatalogue  county_admin   own 403 403 403
createLessonActivity,updateLessonActivity,importLessonCatalogue  school_admin   own 403 403 403
createLessonActivity,updateLessonActivity,importLessonCatalogue  teacher        own 403 403 403
createLessonActivity,updateLessonActivity,importLessonCatalogue  reviewer       own 403 403 403
createLessonActivity,updateLessonActivity,importLessonCatalogue  tutor          own 403 403 403
listLessonTeachers  school_admin   own 200 6
listLessonTeachers  province_admin own 403
listLessonTeachers  city_admin     own 403
listLessonTeachers  county_admin   own 403
listLessonTeachers  teacher        own 403
listLessonTeachers  reviewer       own 403
listLessonTeachers  tutor          own 403
verifyLessonTeacher,unverifyLessonTeacher  school_admin   child   200 200
verifyLessonTeacher,unverifyLessonTeacher  school_admin   sibling 404 404
verifyLessonTeacher,unverifyLessonTeacher  province_admin child   403 403
verifyLessonTeacher,unverifyLessonTeacher  city_admin     child   403 403
verifyLessonTeacher,unverifyLessonTeacher  county_admin   child   403 403
verifyLessonTeacher,unverifyLessonTeacher  teacher        own     404 404
verifyLessonTeacher,unverifyLessonTeacher  reviewer       child   404 404
verifyLessonTeacher,unverifyLessonTeacher  tutor          child   404 404
listLessons  province_admin - 200 3
listLessons  city_admin     - 200 3
listLessons  county_admin   - 200 2
listLessons  school_admin   - 200 2
listLessons  teacher        - 200 2
listLessons  reviewer       - 200 0
listLessons  tutor          - 200 0
createLesson  teacher        own 200
createLesson  province_admin own 403
createLesson  city_admin     own 403
createLesson  county_admin   own 403
createLesson  school_admin   own 403
createLesson  reviewer       own 403
createLesson  tutor          own 403
# a draft cannot be checked (409 for the school that may check it); LS lacks its items, so submitting is a 422
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  province_admin child   200 403 403 403 403
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  city_admin     child   200 403 403 403 403
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  county_admin   child   200 403 403 403 403
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  county_admin   sibling 404 404 404 404 404
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  school_admin   child   200 403 403 403 409
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  school_admin   sibling 404 404 404 404 404
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  teacher        own     200 200 200 422 404
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  teacher        sibling 404 404 404 404 404
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  reviewer       child   404 404 404 404 404
getLesson,updateLesson,addLessonItem,submitLesson,checkLesson  tutor          child   404 404 404 404 404
deleteLesson,removeLessonItem  province_admin child   403 403
deleteLesson,removeLessonItem  city_admin     child   403 403
deleteLesson,removeLessonItem  county_admin   sibling 404 404
deleteLesson,removeLessonItem  school_admin   child   403 403
deleteLesson,removeLessonItem  reviewer       child   404 404
deleteLesson,removeLessonItem  tutor          child   404 404
deleteLesson,removeLessonItem  teacher        sibling 404 404
deleteLesson,removeLessonItem  teacher        own     200 200
listLessonRubrics,createLessonRubric  province_admin own 200 200
listLessonRubrics,createLessonRubric  city_admin     own 200 200
listLessonRubrics,createLessonRubric  county_admin   own 200 200
listLessonRubrics,createLessonRubric  school_admin   own 403 403
listLessonRubrics,createLessonRubric  teacher        own 403 403
listLessonRubrics,createLessonRubric  reviewer       own 403 403
listLessonRubrics,createLessonRubric  tutor          own 403 403
listLessonReviewers  province_admin - 200 3
listLessonReviewers  city_admin     - 200 3
listLessonReviewers  county_admin   - 200 2
listLessonReviewers  school_admin   - 403
listLessonReviewers  teacher        - 403
listLessonReviewers  reviewer       - 403
listLessonReviewers  tutor          - 403
# certifying the matrix reviewer: new in the province's and the city's pools, already in 锦江区's (409)
certifyLessonReviewer  province_admin own 200
certifyLessonReviewer  city_admin     own 200
certifyLessonReviewer  county_admin   own 409
certifyLessonReviewer  school_admin   own 403
certifyLessonReviewer  teacher        own 403
certifyLessonReviewer  reviewer       own 403
certifyLessonReviewer  tutor          own 403
# a reviewer declares their own conflicts, round administrators anyone's
declareLessonConflict  province_admin own 200
declareLessonConflict  city_admin     own 200
declareLessonConflict  county_admin   own 200
declareLessonConflict  school_admin   own 403
declareLessonConflict  teacher        own 403
declareLessonConflict  reviewer       own 200
declareLessonConflict  tutor          own 403
decertifyLessonReviewer,withdrawLessonConflict  county_admin   sibling 404 200
decertifyLessonReviewer,withdrawLessonConflict  school_admin   own     404 404
decertifyLessonReviewer,withdrawLessonConflict  teacher        own     404 404
decertifyLessonReviewer,withdrawLessonConflict  tutor          own     404 404
decertifyLessonReviewer,withdrawLessonConflict  province_admin child   200 404
decertifyLessonReviewer,withdrawLessonConflict  city_admin     child   200 404
decertifyLessonReviewer,withdrawLessonConflict  reviewer       own     404 200
decertifyLessonReviewer,withdrawLessonConflict  county_admin   own     200 404

# ───────────── 一师一优课 review rounds (Part B) ─────────────
# Rounds of 锦江区 (each on its own activity, one county round per activity): RD reviewing (ACT; entry E = LS, the
# matrix reviewer's assignment A, m.reviewer2's A2, item IR), RCL closed (ACT2), RP in 公示 (ACT3; entry EP with the
# open objection O); RDB is 青羊区's reviewing round (entry EB, m.reviewer3's assignment AB, objection OB). AW: LS's
# county award. Only a grant bound to the round's own level runs it: the province and the city see 锦江区's round
# but get 403; outside the area it is 404.
listLessonRounds  province_admin - 200 4
listLessonRounds  city_admin     - 200 4
listLessonRounds  county_admin   - 200 3
listLessonRounds  school_admin   - 200 0
listLessonRounds  teacher        - 200 0
listLessonRounds  reviewer       - 200 0
listLessonRounds  tutor          - 200 0
createLessonRound  province_admin - 422
createLessonRound  city_admin     - 422
createLessonRound  county_admin   - 200
createLessonRound  school_admin   - 403
createLessonRound  teacher        - 403
createLessonRound  reviewer       - 403
createLessonRound  tutor          - 403
# the reviewer's workspace first, while RD is reviewing: only my own assignment (AB is another reviewer's)
listLessonReviews  reviewer       - 200 1
listLessonReviews  province_admin - 403
listLessonReviews  city_admin     - 403
listLessonReviews  county_admin   - 403
listLessonReviews  school_admin   - 403
listLessonReviews  teacher        - 403
listLessonReviews  tutor          - 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  reviewer       own     200 200 200 404 200
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  reviewer       sibling 404 404 404 404 404
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  province_admin child   403 403 403 403 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  city_admin     child   403 403 403 403 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  county_admin   own     403 403 403 403 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  school_admin   child   403 403 403 403 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  teacher        child   403 403 403 403 403
getLessonReview,saveLessonReview,lessonReviewItemContent,lessonReviewItemPoster,createLessonReviewPlayToken  tutor          child   403 403 403 403 403
# RD (reviewing): editing, assigning and starting are over (409); the pool lost the reviewers above (422)
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  province_admin child   200 403 403 403 403 200 403
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  city_admin     child   200 403 403 403 403 200 403
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  county_admin   own     200 409 409 422 409 200 200
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  county_admin   sibling 404 404 404 404 404 404 404
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  school_admin   child   404 404 404 404 404 404 404
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  teacher        child   404 404 404 404 404 404 404
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  reviewer       child   404 404 404 404 404 404 404
getLessonRound,updateLessonRound,assignLessonRound,addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry  tutor          child   404 404 404 404 404 404 404
removeLessonAssignment,closeLessonRound  province_admin child   403 403
removeLessonAssignment,closeLessonRound  city_admin     child   403 403
removeLessonAssignment,closeLessonRound  county_admin   sibling 404 404
removeLessonAssignment,closeLessonRound  school_admin   child   404 404
removeLessonAssignment,closeLessonRound  teacher        child   404 404
removeLessonAssignment,closeLessonRound  reviewer       child   404 404
removeLessonAssignment,closeLessonRound  tutor          child   404 404
removeLessonAssignment,closeLessonRound  county_admin   own     204 200
# RCL (closed) is confirmed into its 公示
confirmLessonRound  province_admin child   403
confirmLessonRound  city_admin     child   403
confirmLessonRound  county_admin   sibling 404
confirmLessonRound  school_admin   child   404
confirmLessonRound  teacher        child   404
confirmLessonRound  reviewer       child   404
confirmLessonRound  tutor          child   404
confirmLessonRound  county_admin   own     200
# RP (公示): everyone signed in sees it and may object; publishing waits for O, which its county resolves
listLessonPublicity,raiseLessonObjection  *  own  200 200
listLessonObjections,publishLessonRound,resolveLessonObjection  province_admin child   200 403 403
listLessonObjections,publishLessonRound,resolveLessonObjection  city_admin     child   200 403 403
listLessonObjections,publishLessonRound,resolveLessonObjection  county_admin   sibling 404 404 404
listLessonObjections,publishLessonRound,resolveLessonObjection  school_admin   child   404 404 404
listLessonObjections,publishLessonRound,resolveLessonObjection  teacher        child   404 404 404
listLessonObjections,publishLessonRound,resolveLessonObjection  reviewer       child   404 404 404
listLessonObjections,publishLessonRound,resolveLessonObjection  tutor          child   404 404 404
listLessonObjections,publishLessonRound,resolveLessonObjection  county_admin   own     200 409 200
# awards: my area's (a school's checker sees its school's), a teacher their own; the ministry list is the province's
listLessonAwards  province_admin own 200 1
listLessonAwards  city_admin     own 200 1
listLessonAwards  county_admin   own 200 1
listLessonAwards  school_admin   own 200 1
listLessonAwards  teacher        own 200 1
listLessonAwards  reviewer       own 200 0
listLessonAwards  tutor          own 200 0
exportLessonMinistryList  province_admin own 200
exportLessonMinistryList  city_admin     own 403
exportLessonMinistryList  county_admin   own 403
exportLessonMinistryList  school_admin   own 403
exportLessonMinistryList  teacher        own 403
exportLessonMinistryList  reviewer       own 403
exportLessonMinistryList  tutor          own 403

# ───────────── 能力点 (micro-competencies, issue #6) ─────────────
# CAT: the published catalogue (version 1, the province's, so every other role's `parent`). PL: SA's 2026 plan
# (by its school admin), PLB: SB's (青羊区). CS: TA's A1 evidence, graded 优秀 by SA's school and drawn in DR
# (锦江区's spot-check); CSB: TB's evidence in SB; DRB: a draw of 青羊区. The matrix reviewer is bound to 锦江区:
# a county reviewer (spot-check, never the school's review). Lists come before the rows that add to them.
listCompetencyCatalogs  *  -  200 1
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  province_admin own     200 409 409
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  city_admin     parent  200 403 403
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  county_admin   parent  200 403 403
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  school_admin   parent  200 403 403
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  teacher        parent  200 403 403
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  reviewer       parent  200 403 403
getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog  tutor          parent  200 403 403
# a new draft: the province only (catalogue edits are effective at the root)
createCompetencyDraft  province_admin -  200
createCompetencyDraft  city_admin     -  403
createCompetencyDraft  county_admin   -  403
createCompetencyDraft  school_admin   -  403
createCompetencyDraft  teacher        -  403
createCompetencyDraft  reviewer       -  403
createCompetencyDraft  tutor          -  403
# plans: competency.read / competency.plan over the school, a teacher their own school's
listCompetencyPlans  province_admin - 200 2
listCompetencyPlans  city_admin     - 200 2
listCompetencyPlans  county_admin   - 200 1
listCompetencyPlans  school_admin   - 200 1
listCompetencyPlans  teacher        - 200 1
listCompetencyPlans  reviewer       - 200 0
listCompetencyPlans  tutor          - 200 0
getCompetencyPlan  province_admin child   200
getCompetencyPlan  city_admin     child   200
getCompetencyPlan  county_admin   child   200
getCompetencyPlan  county_admin   sibling 404
getCompetencyPlan  school_admin   own     200
getCompetencyPlan  school_admin   sibling 404
getCompetencyPlan  teacher        own     200
getCompetencyPlan  teacher        sibling 404
getCompetencyPlan  reviewer       child   404
getCompetencyPlan  tutor          child   404
# saving a plan for a school (not mine: 422 on school_code; no competency.plan anywhere: 403); PL re-saved as is
saveCompetencyPlan  province_admin child   403
saveCompetencyPlan  city_admin     child   403
saveCompetencyPlan  county_admin   child   403
saveCompetencyPlan  school_admin   own     200
saveCompetencyPlan  school_admin   sibling 422
saveCompetencyPlan  teacher        parent  403
saveCompetencyPlan  reviewer       child   403
saveCompetencyPlan  tutor          child   403
# a teacher's own year, and evidence (A3 of PL) submitted by the teacher only
getMyCompetency,submitCompetencyEvidence  province_admin - 403 403
getMyCompetency,submitCompetencyEvidence  city_admin     - 403 403
getMyCompetency,submitCompetencyEvidence  county_admin   - 403 403
getMyCompetency,submitCompetencyEvidence  school_admin   - 403 403
getMyCompetency,submitCompetencyEvidence  reviewer       - 403 403
getMyCompetency,submitCompetencyEvidence  tutor          - 403 403
listCompetencySubmissions  province_admin - 200 2
listCompetencySubmissions  city_admin     - 200 2
listCompetencySubmissions  county_admin   - 200 1
listCompetencySubmissions  school_admin   - 200 1
listCompetencySubmissions  teacher        - 200 1
listCompetencySubmissions  reviewer       - 200 1
listCompetencySubmissions  tutor          - 200 0
getMyCompetency,submitCompetencyEvidence  teacher        - 200 200
# one submission: visible to the area, its reviewers and its teacher; the school's review needs a reviewer bound
# to the school (403 for everyone here), the spot-check one bound to the county (the reviewer confirms CS's 优秀)
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  province_admin child   200 200 403 403
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  city_admin     child   200 200 403 403
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  county_admin   child   200 200 403 403
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  county_admin   sibling 404 404 404 404
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  school_admin   child   200 200 403 403
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  school_admin   sibling 404 404 404 404
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  teacher        own     200 200 403 403
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  teacher        sibling 404 404 404 404
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  reviewer       child   200 200 403 200
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  reviewer       sibling 404 404 404 404
getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission,spotCheckCompetencySubmission  tutor          child   404 404 404 404
# spot-check draws: listed and read in the area; drawn through a grant bound to the county (else 422 on
# county_code; no competency.spot_check anywhere: 403)
listCompetencySpotChecks  province_admin - 200 2
listCompetencySpotChecks  city_admin     - 200 2
listCompetencySpotChecks  county_admin   - 200 1
listCompetencySpotChecks  school_admin   - 200 0
listCompetencySpotChecks  teacher        - 200 0
listCompetencySpotChecks  reviewer       - 200 1
listCompetencySpotChecks  tutor          - 200 0
getCompetencySpotCheck  province_admin child   200
getCompetencySpotCheck  city_admin     child   200
getCompetencySpotCheck  county_admin   own     200
getCompetencySpotCheck  county_admin   sibling 404
getCompetencySpotCheck  school_admin   parent  404
getCompetencySpotCheck  teacher        parent  404
getCompetencySpotCheck  reviewer       own     200
getCompetencySpotCheck  reviewer       sibling 404
getCompetencySpotCheck  tutor          own     404
drawCompetencySpotCheck  province_admin child   422
drawCompetencySpotCheck  city_admin     child   422
drawCompetencySpotCheck  county_admin   own     200
drawCompetencySpotCheck  county_admin   sibling 422
drawCompetencySpotCheck  school_admin   parent  403
drawCompetencySpotCheck  teacher        parent  403
drawCompetencySpotCheck  reviewer       own     200
drawCompetencySpotCheck  reviewer       sibling 422
drawCompetencySpotCheck  tutor          own     403
# the pass-rate report of my own node (competency.read), or of 青羊区 from 锦江区 (invisible)
competencyReport,exportCompetencyReport  province_admin -       200 200
competencyReport,exportCompetencyReport  city_admin     -       200 200
competencyReport,exportCompetencyReport  county_admin   -       200 200
competencyReport,exportCompetencyReport  county_admin   sibling 404 404
competencyReport,exportCompetencyReport  school_admin   -       200 200
competencyReport,exportCompetencyReport  teacher        -       403 403
competencyReport,exportCompetencyReport  reviewer       -       403 403
competencyReport,exportCompetencyReport  tutor          -       403 403
# assessments: the question bank (question.manage; banks above mine readable, not editable), quizzes on P (QZ,
# class-less, tutor of C grades) and PQ (QZQ), attempts AT (TA running on QZ), AG (TA on QZS waiting for a
# tutor) and ATB (TB on QZQ)
listQuestions,exportQuestions,importQuestions,listQuizzes  province_admin - 200 200 200 200
listQuestions,exportQuestions,importQuestions,listQuizzes  city_admin     - 200 200 200 200
listQuestions,exportQuestions,importQuestions,listQuizzes  county_admin   - 200 200 200 200
listQuestions,exportQuestions,importQuestions,listQuizzes  school_admin   - 200 200 200 200
listQuestions,exportQuestions,importQuestions,listQuizzes  teacher        - 403 403 403 200
listQuestions,exportQuestions,importQuestions,listQuizzes  reviewer       - 403 403 403 200
listQuestions,exportQuestions,importQuestions,listQuizzes  tutor          - 403 403 403 200
# (an owner node outside my area: 422 on owner_code)
createQuestion  province_admin child   200
createQuestion  city_admin     child   200
createQuestion  city_admin     parent  422
createQuestion  county_admin   own     200
createQuestion  county_admin   parent  422
createQuestion  county_admin   sibling 422
createQuestion  school_admin   own     200
createQuestion  school_admin   parent  422
createQuestion  teacher        own     403
createQuestion  reviewer       own     403
createQuestion  tutor          own     403
getQuestion,updateQuestion,retireQuestion,restoreQuestion  province_admin own     200 200 200 200
getQuestion,updateQuestion,retireQuestion,restoreQuestion  province_admin child   200 200 200 200
getQuestion,updateQuestion,retireQuestion,restoreQuestion  city_admin     child   200 200 200 200
getQuestion,updateQuestion,retireQuestion,restoreQuestion  city_admin     parent  200 403 403 403
getQuestion,updateQuestion,retireQuestion,restoreQuestion  county_admin   own     200 200 200 200
getQuestion,updateQuestion,retireQuestion,restoreQuestion  county_admin   parent  200 403 403 403
getQuestion,updateQuestion,retireQuestion,restoreQuestion  county_admin   sibling 404 404 404 404
getQuestion,updateQuestion,retireQuestion,restoreQuestion  school_admin   parent  200 403 403 403
getQuestion,updateQuestion,retireQuestion,restoreQuestion  school_admin   sibling 404 404 404 404
getQuestion,updateQuestion,retireQuestion,restoreQuestion  teacher        parent  404 404 404 404
getQuestion,updateQuestion,retireQuestion,restoreQuestion  reviewer       parent  404 404 404 404
getQuestion,updateQuestion,retireQuestion,restoreQuestion  tutor          parent  404 404 404 404
createQuiz  province_admin own     200
createQuiz  city_admin     child   200
createQuiz  city_admin     parent  403
createQuiz  county_admin   parent  403
createQuiz  county_admin   sibling 404
createQuiz  school_admin   parent  403
createQuiz  teacher        parent  403
createQuiz  reviewer       parent  403
createQuiz  tutor          parent  403
# QZ and QZQ are published: managers may not change them any more (409)
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  province_admin own     200 409 409 200 403
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  province_admin child   200 409 409 200 403
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  city_admin     child   200 409 409 200 403
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  city_admin     parent  404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  county_admin   parent  404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  county_admin   sibling 404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  school_admin   parent  404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  teacher        own     200 403 403 200 200
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  teacher        sibling 404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  reviewer       parent  404 404 404 404 404
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  tutor          own     200 403 403 200 403
getQuiz,updateQuiz,publishQuiz,listAttempts,startAttempt  tutor          sibling 404 404 404 404 404
getAttempt,saveAnswer,gradeAnswer  province_admin own     200 403 200
getAttempt,saveAnswer,gradeAnswer  province_admin child   200 403 200
getAttempt,saveAnswer,gradeAnswer  city_admin     child   200 403 200
getAttempt,saveAnswer,gradeAnswer  city_admin     parent  404 404 404
getAttempt,saveAnswer,gradeAnswer  county_admin   parent  404 404 404
getAttempt,saveAnswer,gradeAnswer  county_admin   sibling 404 404 404
getAttempt,saveAnswer,gradeAnswer  school_admin   parent  404 404 404
getAttempt,saveAnswer,gradeAnswer  teacher        own     200 200 403
getAttempt,saveAnswer,gradeAnswer  teacher        sibling 404 404 404
getAttempt,saveAnswer,gradeAnswer  reviewer       parent  404 404 404
getAttempt,saveAnswer,gradeAnswer  tutor          own     200 403 200
getAttempt,saveAnswer,gradeAnswer  tutor          sibling 404 404 404
# handing in closes AT, so these rows come last
submitAttempt  province_admin own     403
submitAttempt  city_admin     parent  404
submitAttempt  county_admin   parent  404
submitAttempt  school_admin   parent  404
submitAttempt  reviewer       parent  404
submitAttempt  tutor          own     403
submitAttempt  teacher        sibling 404
submitAttempt  teacher        own     200




# the three system administrators (三员分立): bound to the province, each holds only its duty — the job queue
# (system), administrators' accounts (security), the audit log (audit) — and sees no teacher or personal data.
# Lists answer 200 with nothing in them; reference data every signed-in account reads (the published province
# program P and its seats, the 能力点 catalogue) stays readable; a teacher named in a body is a 422 reference. The
# security administrator's targets are the province admin's: it reads the region tree (to bind administrators),
# lists, reads and manages the administrators' accounts (9: admin, security, system, audit, both city and both
# county admins, the school admin), never its own (422 on id), and grants no reviewer (422 on role).
# system_admin; the queue holds the four background exports the business administrators asked for above
listJobs  system_admin  -  200 4
retryJobs  system_admin  -  200
listSchools  system_admin  -  200 0
listTeachers  system_admin  -  200 0
listAccounts  system_admin  -  200 0
runImport,importErrorReport,exportDirectory  system_admin  -  403 403 403
listEnrollments  system_admin  -  200 0
listResultBatches  system_admin  -  200 0
listClasses  system_admin  -  200 0
listAssignments  system_admin  -  200 0
listMyCoursework  system_admin  -  200 0
listLessons  system_admin  -  200 0
listLessonReviewers  system_admin  -  403
listLessonRounds  system_admin  -  200 0
createLessonRound,listLessonReviews,createCompetencyDraft  system_admin  -  403 403 403
listCompetencyPlans  system_admin  -  200 0
getMyCompetency,submitCompetencyEvidence  system_admin  -  403 403
listCompetencySubmissions  system_admin  -  200 0
listCompetencySpotChecks  system_admin  -  200 0
competencyReport,exportCompetencyReport,listQuestions,exportQuestions,importQuestions  system_admin  -  403 403 403 403 403
listQuizzes  system_admin  -  200 0
getRegion,getAccount,updateAccount,deactivateAccount,activateAccount  system_admin  own  404 200 403 403 403
setAccountPassword,getProgram,listQuotas,publishProgram,programReport  system_admin  own  403 200 200 403 403
exportProgramReport,exportProgramTeachers,assignMany,assignFromFile,exportResultSheet  system_admin  own  403 403 403 403 403
submitResults,getClass,listClassMembers,listSessions,setClassTutors  system_admin  own  403 404 404 404 404
placeInClass,createSession,createClass,createAssignment,getAssignment  system_admin  own  404 404 403 403 404
listSubmissions,gradeSubmission,recordAttendance,getAttendance,submitCoursework  system_admin  own  404 404 404 404 404
createLessonActivity,updateLessonActivity,importLessonCatalogue,listLessonTeachers,createLesson  system_admin  own  403 403 403 403 403
listLessonRubrics,createLessonRubric,certifyLessonReviewer,declareLessonConflict  system_admin  own  403 403 403 403
listLessonAwards  system_admin  own  200 0
exportLessonMinistryList,getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog,getQuestion  system_admin  own  403 200 403 403 404
updateQuestion,retireQuestion,restoreQuestion,createQuiz,getQuiz  system_admin  own  404 404 404 403 404
updateQuiz,publishQuiz,listAttempts,startAttempt,getAttempt  system_admin  own  404 404 404 404 404
saveAnswer,gradeAnswer,submitAttempt  system_admin  own  404 404 404
getRegion,getSchool,updateSchool,deactivateSchool,activateSchool  system_admin  child  404 404 404 404 404
createSchool,getTeacher,updateTeacher,revealTeacher,deactivateTeacher  system_admin  child  403 404 404 404 404
activateTeacher,createTeacher,getAccount,updateAccount,deactivateAccount  system_admin  child  404 403 404 404 404
activateAccount,setAccountPassword,createAccount,getProgram,listQuotas  system_admin  child  404 404 403 404 404
publishProgram,createProgram,allocateQuota,enroll,getEnrollment  system_admin  child  404 403 404 422 404
decideEnrollment,withdrawEnrollment,recordHours,decideHours,voidHours  system_admin  child  404 404 422 404 404
revokeCertificate,downloadCertificate,substituteEnrollment,hourCycles,getResultBatch  system_admin  child  404 404 404 404 404
decideResultBatch,getFile,downloadFile,downloadFilePoster,createFilePlayToken  system_admin  child  404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass  system_admin  child  404 404 404 404 404
createSession,getAssignment,listSubmissions,gradeSubmission,recordAttendance  system_admin  child  404 404 404 404 404
getAttendance,verifyLessonTeacher,unverifyLessonTeacher,getLesson,updateLesson  system_admin  child  404 404 404 404 404
addLessonItem,submitLesson,checkLesson,deleteLesson,removeLessonItem  system_admin  child  404 404 404 404 404
decertifyLessonReviewer,withdrawLessonConflict,getLessonReview,saveLessonReview,lessonReviewItemContent  system_admin  child  404 404 403 403 403
lessonReviewItemPoster,createLessonReviewPlayToken,getLessonRound,updateLessonRound,assignLessonRound  system_admin  child  403 403 404 404 404
addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry,removeLessonAssignment  system_admin  child  404 404 404 404 404
closeLessonRound,confirmLessonRound,listLessonObjections,publishLessonRound,resolveLessonObjection  system_admin  child  404 404 404 404 404
getCompetencyPlan,saveCompetencyPlan,getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission  system_admin  child  404 403 404 404 404
spotCheckCompetencySubmission,getCompetencySpotCheck,drawCompetencySpotCheck,createQuestion,getQuestion  system_admin  child  404 404 403 403 404
updateQuestion,retireQuestion,restoreQuestion,getQuiz,updateQuiz  system_admin  child  404 404 404 404 404
publishQuiz,listAttempts,startAttempt,getAttempt,saveAnswer  system_admin  child  404 404 404 404 404
gradeAnswer  system_admin  child  404
# security_admin
listJobs,retryJobs  security_admin  -  403 403
listSchools  security_admin  -  200 0
listTeachers  security_admin  -  200 0
listAccounts  security_admin  -  200 9
runImport,importErrorReport,exportDirectory  security_admin  -  403 403 403
listEnrollments  security_admin  -  200 0
listResultBatches  security_admin  -  200 0
listClasses  security_admin  -  200 0
listAssignments  security_admin  -  200 0
listMyCoursework  security_admin  -  200 0
listLessons  security_admin  -  200 0
listLessonReviewers  security_admin  -  403
listLessonRounds  security_admin  -  200 0
createLessonRound,listLessonReviews,createCompetencyDraft  security_admin  -  403 403 403
listCompetencyPlans  security_admin  -  200 0
getMyCompetency,submitCompetencyEvidence  security_admin  -  403 403
listCompetencySubmissions  security_admin  -  200 0
listCompetencySpotChecks  security_admin  -  200 0
competencyReport,exportCompetencyReport,listQuestions,exportQuestions,importQuestions  security_admin  -  403 403 403 403 403
listQuizzes  security_admin  -  200 0
getRegion,getAccount,updateAccount,deactivateAccount,activateAccount  security_admin  own  200 200 422 422 422
setAccountPassword,getProgram,listQuotas,publishProgram,programReport  security_admin  own  422 200 200 403 403
exportProgramReport,exportProgramTeachers,assignMany,assignFromFile,exportResultSheet  security_admin  own  403 403 403 403 403
submitResults,getClass,listClassMembers,listSessions,setClassTutors  security_admin  own  403 404 404 404 404
placeInClass,createSession,createClass,createAssignment,getAssignment  security_admin  own  404 404 403 403 404
listSubmissions,gradeSubmission,recordAttendance,getAttendance,submitCoursework  security_admin  own  404 404 404 404 404
createLessonActivity,updateLessonActivity,importLessonCatalogue,listLessonTeachers,createLesson  security_admin  own  403 403 403 403 403
listLessonRubrics,createLessonRubric,certifyLessonReviewer,declareLessonConflict  security_admin  own  403 403 403 403
listLessonAwards  security_admin  own  200 0
exportLessonMinistryList,getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog,getQuestion  security_admin  own  403 200 403 403 404
updateQuestion,retireQuestion,restoreQuestion,createQuiz,getQuiz  security_admin  own  404 404 404 403 404
updateQuiz,publishQuiz,listAttempts,startAttempt,getAttempt  security_admin  own  404 404 404 404 404
saveAnswer,gradeAnswer,submitAttempt  security_admin  own  404 404 404
getRegion,getSchool,updateSchool,deactivateSchool,activateSchool  security_admin  child  200 404 404 404 404
createSchool,getTeacher,updateTeacher,revealTeacher,deactivateTeacher  security_admin  child  403 404 404 404 404
activateTeacher,createTeacher,getAccount,updateAccount,deactivateAccount  security_admin  child  404 403 200 200 200
activateAccount,setAccountPassword,createAccount,getProgram,listQuotas  security_admin  child  200 204 422 404 404
publishProgram,createProgram,allocateQuota,enroll,getEnrollment  security_admin  child  404 403 403 422 404
decideEnrollment,withdrawEnrollment,recordHours,decideHours,voidHours  security_admin  child  404 404 422 404 404
revokeCertificate,downloadCertificate,substituteEnrollment,hourCycles,getResultBatch  security_admin  child  404 404 404 404 404
decideResultBatch,getFile,downloadFile,downloadFilePoster,createFilePlayToken  security_admin  child  404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass  security_admin  child  404 404 404 404 404
createSession,getAssignment,listSubmissions,gradeSubmission,recordAttendance  security_admin  child  404 404 404 404 404
getAttendance,verifyLessonTeacher,unverifyLessonTeacher,getLesson,updateLesson  security_admin  child  404 404 404 404 404
addLessonItem,submitLesson,checkLesson,deleteLesson,removeLessonItem  security_admin  child  404 404 404 404 404
decertifyLessonReviewer,withdrawLessonConflict,getLessonReview,saveLessonReview,lessonReviewItemContent  security_admin  child  404 404 403 403 403
lessonReviewItemPoster,createLessonReviewPlayToken,getLessonRound,updateLessonRound,assignLessonRound  security_admin  child  403 403 404 404 404
addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry,removeLessonAssignment  security_admin  child  404 404 404 404 404
closeLessonRound,confirmLessonRound,listLessonObjections,publishLessonRound,resolveLessonObjection  security_admin  child  404 404 404 404 404
getCompetencyPlan,saveCompetencyPlan,getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission  security_admin  child  404 403 404 404 404
spotCheckCompetencySubmission,getCompetencySpotCheck,drawCompetencySpotCheck,createQuestion,getQuestion  security_admin  child  404 404 403 403 404
updateQuestion,retireQuestion,restoreQuestion,getQuiz,updateQuiz  security_admin  child  404 404 404 404 404
publishQuiz,listAttempts,startAttempt,getAttempt,saveAnswer  security_admin  child  404 404 404 404 404
gradeAnswer  security_admin  child  404
# audit_admin
listJobs,retryJobs  audit_admin  -  403 403
listSchools  audit_admin  -  200 0
listTeachers  audit_admin  -  200 0
listAccounts  audit_admin  -  200 0
runImport,importErrorReport,exportDirectory  audit_admin  -  403 403 403
listEnrollments  audit_admin  -  200 0
listResultBatches  audit_admin  -  200 0
listClasses  audit_admin  -  200 0
listAssignments  audit_admin  -  200 0
listMyCoursework  audit_admin  -  200 0
listLessons  audit_admin  -  200 0
listLessonReviewers  audit_admin  -  403
listLessonRounds  audit_admin  -  200 0
createLessonRound,listLessonReviews,createCompetencyDraft  audit_admin  -  403 403 403
listCompetencyPlans  audit_admin  -  200 0
getMyCompetency,submitCompetencyEvidence  audit_admin  -  403 403
listCompetencySubmissions  audit_admin  -  200 0
listCompetencySpotChecks  audit_admin  -  200 0
competencyReport,exportCompetencyReport,listQuestions,exportQuestions,importQuestions  audit_admin  -  403 403 403 403 403
listQuizzes  audit_admin  -  200 0
getRegion,getAccount,updateAccount,deactivateAccount,activateAccount  audit_admin  own  404 200 403 403 403
setAccountPassword,getProgram,listQuotas,publishProgram,programReport  audit_admin  own  403 200 200 403 403
exportProgramReport,exportProgramTeachers,assignMany,assignFromFile,exportResultSheet  audit_admin  own  403 403 403 403 403
submitResults,getClass,listClassMembers,listSessions,setClassTutors  audit_admin  own  403 404 404 404 404
placeInClass,createSession,createClass,createAssignment,getAssignment  audit_admin  own  404 404 403 403 404
listSubmissions,gradeSubmission,recordAttendance,getAttendance,submitCoursework  audit_admin  own  404 404 404 404 404
createLessonActivity,updateLessonActivity,importLessonCatalogue,listLessonTeachers,createLesson  audit_admin  own  403 403 403 403 403
listLessonRubrics,createLessonRubric,certifyLessonReviewer,declareLessonConflict  audit_admin  own  403 403 403 403
listLessonAwards  audit_admin  own  200 0
exportLessonMinistryList,getCompetencyCatalog,updateCompetencyPoint,publishCompetencyCatalog,getQuestion  audit_admin  own  403 200 403 403 404
updateQuestion,retireQuestion,restoreQuestion,createQuiz,getQuiz  audit_admin  own  404 404 404 403 404
updateQuiz,publishQuiz,listAttempts,startAttempt,getAttempt  audit_admin  own  404 404 404 404 404
saveAnswer,gradeAnswer,submitAttempt  audit_admin  own  404 404 404
getRegion,getSchool,updateSchool,deactivateSchool,activateSchool  audit_admin  child  404 404 404 404 404
createSchool,getTeacher,updateTeacher,revealTeacher,deactivateTeacher  audit_admin  child  403 404 404 404 404
activateTeacher,createTeacher,getAccount,updateAccount,deactivateAccount  audit_admin  child  404 403 404 404 404
activateAccount,setAccountPassword,createAccount,getProgram,listQuotas  audit_admin  child  404 404 403 404 404
publishProgram,createProgram,allocateQuota,enroll,getEnrollment  audit_admin  child  404 403 404 422 404
decideEnrollment,withdrawEnrollment,recordHours,decideHours,voidHours  audit_admin  child  404 404 422 404 404
revokeCertificate,downloadCertificate,substituteEnrollment,hourCycles,getResultBatch  audit_admin  child  404 404 404 404 404
decideResultBatch,getFile,downloadFile,downloadFilePoster,createFilePlayToken  audit_admin  child  404 404 404 404 404
getClass,listClassMembers,listSessions,setClassTutors,placeInClass  audit_admin  child  404 404 404 404 404
createSession,getAssignment,listSubmissions,gradeSubmission,recordAttendance  audit_admin  child  404 404 404 404 404
getAttendance,verifyLessonTeacher,unverifyLessonTeacher,getLesson,updateLesson  audit_admin  child  404 404 404 404 404
addLessonItem,submitLesson,checkLesson,deleteLesson,removeLessonItem  audit_admin  child  404 404 404 404 404
decertifyLessonReviewer,withdrawLessonConflict,getLessonReview,saveLessonReview,lessonReviewItemContent  audit_admin  child  404 404 403 403 403
lessonReviewItemPoster,createLessonReviewPlayToken,getLessonRound,updateLessonRound,assignLessonRound  audit_admin  child  403 403 404 404 404
addLessonAssignment,startLessonRound,listLessonRoundEntries,overrideLessonEntry,removeLessonAssignment  audit_admin  child  404 404 404 404 404
closeLessonRound,confirmLessonRound,listLessonObjections,publishLessonRound,resolveLessonObjection  audit_admin  child  404 404 404 404 404
getCompetencyPlan,saveCompetencyPlan,getCompetencySubmission,competencySubmissionHistory,reviewCompetencySubmission  audit_admin  child  404 403 404 404 404
spotCheckCompetencySubmission,getCompetencySpotCheck,drawCompetencySpotCheck,createQuestion,getQuestion  audit_admin  child  404 404 403 403 404
updateQuestion,retireQuestion,restoreQuestion,getQuiz,updateQuiz  audit_admin  child  404 404 404 404 404
publishQuiz,listAttempts,startAttempt,getAttempt,saveAnswer  audit_admin  child  404 404 404 404 404
gradeAnswer  audit_admin  child  404
# personal data (个人信息): every signed-in account reads and downloads its own, nobody else's
getMyPersonalData,downloadMyPersonalData  *  -  200 200
# tamper-evident audit log: the whole log, its export and its verification belong to the audit administrator
# (audit_admin, bound to the province) alone
listAuditEntries,exportAuditEntries,verifyAudit  *  -  403 403 403
listAuditEntries,exportAuditEntries,verifyAudit  audit_admin  -  200 200 200
# sign-in with a second factor, sessions, step-up. Only the security administrator (`security.manage`) reaches
# another account's sessions and second factor: account 0 does not exist, so it gets 404 where the others get 403
# (the successful cases are in the sessions and second-factor tests).
# Session 0 does not exist (404 for everyone); the codes are wrong or no second factor is on (422); ending my
# other sessions keeps the one the matrix uses.
loginSecondFactor   public -  401
listMySessions,secondFactorStatus,keepAlive,startSecondFactorEnrolment  *  -  200 200 204 200
confirmSecondFactorEnrolment,disableSecondFactor,stepUp  *  -  422 422 422
endSession,listAccountSessions,resetSecondFactor  *  -  404 403 403
listAccountSessions,resetSecondFactor  security_admin  -  404 404
endOtherSessions  *  -  200
";

#[derive(Debug, Clone)]
struct Row {
    op: String,
    role: String,
    rel: String,
    status: u16,
    total: Option<u64>,
    /// Written for every role with `*`: a line naming the role itself takes precedence.
    every_role: bool,
}

fn parse_matrix() -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for (n, line) in MATRIX.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let t: Vec<&str> = line.split_whitespace().collect();
        let ops: Vec<&str> = t[0].split(',').collect();
        let numbers: Vec<u64> = t[3..]
            .iter()
            .map(|x| {
                x.parse()
                    .unwrap_or_else(|_| panic!("matrix line {n}: {line}"))
            })
            .collect();
        assert!(
            numbers.len() == ops.len() || (ops.len() == 1 && numbers.len() == 2),
            "matrix line {n}: one status per operation: {line}"
        );
        let roles: Vec<&str> = if t[1] == "*" {
            ROLES.to_vec()
        } else {
            vec![t[1]]
        };
        for role in roles {
            for (i, op) in ops.iter().enumerate() {
                rows.push(Row {
                    op: op.to_string(),
                    role: role.to_string(),
                    rel: t[2].to_string(),
                    status: numbers[i] as u16,
                    total: (ops.len() == 1 && numbers.len() == 2).then(|| numbers[1]),
                    every_role: t[1] == "*",
                });
            }
        }
    }
    let named: BTreeSet<(String, String, String)> = rows
        .iter()
        .filter(|r| !r.every_role)
        .map(|r| (r.op.clone(), r.role.clone(), r.rel.clone()))
        .collect();
    rows.retain(|r| {
        !r.every_role || !named.contains(&(r.op.clone(), r.role.clone(), r.rel.clone()))
    });
    rows
}

/// operationId → (method, path template, secured).
fn spec_operations() -> BTreeMap<String, (String, String, bool)> {
    let spec: Value = serde_json::from_str(&yanxiu::api_service().spec()).expect("spec is JSON");
    let mut ops = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            let id = op["operationId"].as_str().unwrap_or("").to_string();
            let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
            ops.insert(id, (method.to_uppercase(), path.clone(), secured));
        }
    }
    ops
}

#[test]
fn every_operation_in_the_spec_has_matrix_rows() {
    let rows = parse_matrix();
    let covered: BTreeSet<&str> = rows.iter().map(|r| r.op.as_str()).collect();
    let ops = spec_operations();
    let missing: Vec<&String> = ops
        .keys()
        .filter(|op| !covered.contains(op.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without rows in the authorization matrix (add them to MATRIX in \
         tests/tests/authorization_matrix.rs): {missing:?}"
    );
    // Every secured operation has a row for every role; public ones have a `public` row.
    for (op, (_, _, secured)) in &ops {
        let roles: BTreeSet<&str> = rows
            .iter()
            .filter(|r| &r.op == op)
            .map(|r| r.role.as_str())
            .collect();
        if *secured {
            for role in ROLES {
                assert!(roles.contains(role), "{op}: no row for {role}");
            }
        } else {
            assert!(
                roles.contains("public"),
                "{op} is public but has no `public` row"
            );
        }
    }
}

/// The fixture, built once per engine.
struct Fx {
    tokens: HashMap<String, String>,
    /// Fixture key → id (schools SA/SB/SM, teachers TA/TA2/TB/TM, accounts by key).
    ids: HashMap<&'static str, i64>,
    school_codes: HashMap<&'static str, String>,
    school_county: HashMap<&'static str, &'static str>,
    teacher_school: HashMap<&'static str, &'static str>,
    id_cards: HashMap<&'static str, String>,
    /// Certificate numbers by fixture key.
    numbers: HashMap<&'static str, String>,
    /// Resumable upload ids (UUIDs) by fixture key.
    uploads: HashMap<&'static str, String>,
    seq: u32,
}

/// The account each role signs in as.
fn account_of(role: &str) -> &'static str {
    match role {
        "province_admin" => "admin",
        "city_admin" => "city",
        "county_admin" => "county",
        "school_admin" => "school_admin",
        "teacher" => "teacher",
        "reviewer" => "reviewer",
        "tutor" => "tutor",
        "system_admin" => "system",
        "security_admin" => "security",
        "audit_admin" => "audit",
        other => panic!("unknown role {other}"),
    }
}

fn password_of(account: &str) -> &'static str {
    match account {
        "admin" => ADMIN_PASSWORD,
        "security" => SECURITY_PASSWORD,
        _ => PASSWORD,
    }
}

/// `admin` and `security` are the accounts the first start creates; the fixture's own ones carry a prefix.
fn username_of(account: &str) -> String {
    match account {
        "admin" | "security" => account.into(),
        _ => format!("m.{account}"),
    }
}

async fn build_fixture(app: &TestApp) -> Fx {
    let admin = app.as_admin().await;
    let mut fx = Fx {
        tokens: HashMap::new(),
        ids: HashMap::new(),
        school_codes: HashMap::new(),
        school_county: HashMap::new(),
        teacher_school: HashMap::new(),
        id_cards: HashMap::new(),
        numbers: HashMap::new(),
        uploads: HashMap::new(),
        seq: 100,
    };
    for (key, seq, county) in [
        ("SA", 1, "510104"),
        ("SB", 2, "510105"),
        ("SM", 3, "510703"),
    ] {
        let code = school_code(seq);
        let s = app
            .create_school(&admin, &code, county, &format!("学校{key}"))
            .await;
        fx.ids.insert(key, s["id"].as_i64().unwrap());
        fx.school_codes.insert(key, code);
        fx.school_county.insert(key, county);
    }
    for (key, seq, school) in [
        ("TA", 1, "SA"),
        ("TA2", 2, "SA"),
        ("TB", 3, "SB"),
        ("TM", 4, "SM"),
    ] {
        let card = id_card("510104", seq);
        let t = app
            .create_teacher(&admin, fx.ids[school], &format!("教师{key}"), &card)
            .await;
        fx.ids.insert(key, t["id"].as_i64().unwrap());
        fx.id_cards.insert(key, card);
        fx.teacher_school.insert(key, school);
    }
    let me = app.get("/api/me", &admin).await.expect(200);
    fx.ids.insert("admin", me.body["id"].as_i64().unwrap());
    let sa_code = fx.school_codes["SA"].clone();
    let ta = fx.ids["TA"];
    let accounts: [(&'static str, &str, &str, Option<i64>); 8] = [
        ("city", "city_admin", "510100", None),
        ("city2", "city_admin", "510700", None),
        ("county", "county_admin", "510104", None),
        ("county2", "county_admin", "510105", None),
        ("school_admin", "school_admin", sa_code.as_str(), None),
        ("teacher", "teacher", sa_code.as_str(), Some(ta)),
        ("reviewer", "reviewer", "510104", None),
        ("tutor", "tutor", "510104", None),
    ];
    for (key, role, scope, teacher) in accounts {
        let a = app
            .create_account(&admin, &username_of(key), role, scope, teacher)
            .await;
        fx.ids.insert(key, a["id"].as_i64().unwrap());
    }
    // The security administrator made at the first start creates the other two system administrators.
    let security = app.as_security().await;
    let me = app.get("/api/me", &security).await.expect(200);
    fx.ids.insert("security", me.body["id"].as_i64().unwrap());
    for (key, role) in [("system", "system_admin"), ("audit", "audit_admin")] {
        let a = app
            .create_account(&security, &username_of(key), role, "510000", None)
            .await;
        fx.ids.insert(key, a["id"].as_i64().unwrap());
    }
    build_programs(app, &admin, &mut fx).await;
    fx.tokens.insert("province_admin".into(), admin);
    for role in &ROLES[1..] {
        let acc = account_of(role);
        fx.tokens.insert(
            role.to_string(),
            app.login(&username_of(acc), password_of(acc)).await,
        );
    }
    build_enrollments(app, &mut fx).await;
    build_classes(app, &mut fx).await;
    build_competency(app, &mut fx).await;
    build_assessments(app, &mut fx).await;
    build_lessons(app, &mut fx).await;
    build_rounds(app, &mut fx).await;
    build_announcements(app, &mut fx).await;
    fx
}

/// AN: 锦江区's announcement to every role; ANB: 青羊区's.
async fn build_announcements(app: &TestApp, fx: &mut Fx) {
    for (key, account) in [("AN", "county"), ("ANB", "county2")] {
        let token = app.login(&username_of(account), PASSWORD).await;
        let id = app
            .post(
                "/api/announcements",
                &token,
                &json!({ "title": format!("公告{key}"), "body": "矩阵" }),
            )
            .await
            .expect(200)
            .id();
        fx.ids.insert(key, id);
    }
}

fn question_body(stem: &str) -> Value {
    json!({ "kind": "single", "subject": "信息技术", "tags": ["矩阵"], "difficulty": 1, "stem": stem,
            "options": ["甲", "乙"], "answer": { "choice": 0 }, "points": 1 })
}

fn quiz_body(question: i64, shuffle: bool) -> Value {
    json!({ "title": "矩阵测验", "mode": "fixed", "items": [{ "question_id": question }],
            "opens_at": "2020-01-01T00:00:00Z", "closes_at": "2099-01-01T00:00:00Z",
            "time_limit_minutes": 600, "attempts_allowed": 5, "pass_score": 1, "shuffle_options": shuffle })
}

/// Questions QP / QC / QB and the short question QS; quizzes QZ and QZS on P, QZQ on PQ; TA's running attempt
/// AT on QZ and graded-by-hand attempt AG on QZS; TB's attempt ATB on QZQ (TB has no account, so ATB is written
/// straight to the database).
async fn build_assessments(app: &TestApp, fx: &mut Fx) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let admin = fx.tokens["province_admin"].clone();
    let teacher = fx.tokens["teacher"].clone();
    for (key, owner) in [("QP", "510000"), ("QC", "510104"), ("QB", "510105")] {
        let mut body = question_body(key);
        body["owner_code"] = json!(owner);
        fx.ids.insert(
            key,
            app.post("/api/questions", &admin, &body)
                .await
                .expect(200)
                .id(),
        );
    }
    let mut short = question_body("QS");
    short["kind"] = json!("short");
    short["options"] = json!([]);
    short["answer"] = json!({ "text": "参考" });
    fx.ids.insert(
        "QS",
        app.post("/api/questions", &admin, &short)
            .await
            .expect(200)
            .id(),
    );
    for (key, program, question) in [("QZ", "P", "QP"), ("QZS", "P", "QS"), ("QZQ", "PQ", "QS")] {
        let path = format!("/api/programs/{}/quizzes", fx.ids[program]);
        let id = app
            .post(&path, &admin, &quiz_body(fx.ids[question], false))
            .await
            .expect(200)
            .id();
        app.post(&format!("/api/quizzes/{id}/publish"), &admin, &json!({}))
            .await
            .expect(200);
        fx.ids.insert(key, id);
    }
    let at = app
        .post(
            &format!("/api/quizzes/{}/attempts", fx.ids["QZ"]),
            &teacher,
            &json!({}),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("AT", at);
    let ag = app
        .post(
            &format!("/api/quizzes/{}/attempts", fx.ids["QZS"]),
            &teacher,
            &json!({}),
        )
        .await
        .expect(200)
        .id();
    let answer = json!({ "response": { "text": "矩阵回答" } });
    app.put(
        &format!("/api/attempts/{ag}/answers/{}", fx.ids["QS"]),
        &teacher,
        &answer,
    )
    .await
    .expect(200);
    app.post(&format!("/api/attempts/{ag}/submit"), &teacher, &json!({}))
        .await
        .expect(200);
    fx.ids.insert("AG", ag);
    let now = chrono::Utc::now();
    let eb = entity::enrollment::Entity::find_by_id(fx.ids["EB"])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let atb = entity::quiz_attempt::ActiveModel {
        quiz_id: Set(fx.ids["QZQ"]),
        teacher_id: Set(eb.teacher_id),
        enrollment_id: Set(eb.id),
        path: Set(eb.path.clone()),
        attempt_no: Set(1),
        status: Set(entity::quiz_attempt::AttemptStatus::Grading),
        started_at: Set(now),
        deadline_at: Set(now),
        closed_at: Set(Some(now)),
        closed_by_timeout: Set(false),
        paper: Set(
            json!([{ "question_id": fx.ids["QS"], "kind": "short", "points": 1.0 }]).to_string(),
        ),
        score: Set(None),
        passed: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    entity::attempt_answer::ActiveModel {
        attempt_id: Set(atb.id),
        question_id: Set(fx.ids["QS"]),
        response: Set(json!({ "text": "TB" }).to_string()),
        saved_at: Set(now),
        needs_grading: Set(true),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("ATB", atb.id);
}

fn session_body() -> Value {
    json!({ "held_on": "2026-05-01", "title": "矩阵研修", "category": "centralized", "hours": 1 })
}

/// Coursework worth no hours, so grading it in the matrix leaves the ledger alone.
fn assignment_body(class: Option<i64>) -> Value {
    json!({ "class_id": class, "title": "矩阵作业", "instructions": "", "deadline": "2099-12-31T00:00:00Z",
            "category": "ict", "hours": 0 })
}

/// C (with the tutor, E placed) in P and CQ (EB placed) in PQ, with an assignment, a submission and a session
/// each. TB has no account, so SB is written straight to the database.
async fn build_classes(app: &TestApp, fx: &mut Fx) {
    use sea_orm::{ActiveModelTrait, Set};
    let admin = fx.tokens["province_admin"].clone();
    for (program, class, enrollment, a, session) in
        [("P", "C", "E", "A", "SS"), ("PQ", "CQ", "EB", "AQ", "SSQ")]
    {
        let path = format!("/api/programs/{}/classes", fx.ids[program]);
        let c = app
            .post(&path, &admin, &json!({ "name": format!("班级{class}") }))
            .await
            .expect(200)
            .id();
        let members = format!("/api/classes/{c}/members");
        app.post(
            &members,
            &admin,
            &json!({ "enrollment_ids": [fx.ids[enrollment]] }),
        )
        .await
        .expect(200);
        let path = format!("/api/programs/{}/assignments", fx.ids[program]);
        let assignment = app
            .post(&path, &admin, &assignment_body(Some(c)))
            .await
            .expect(200)
            .id();
        let sessions = format!("/api/classes/{c}/sessions");
        let s = app
            .post(&sessions, &admin, &session_body())
            .await
            .expect(200)
            .id();
        fx.ids.insert(class, c);
        fx.ids.insert(a, assignment);
        fx.ids.insert(session, s);
    }
    let tutors = format!("/api/classes/{}/tutors", fx.ids["C"]);
    app.put(
        &tutors,
        &admin,
        &json!({ "account_ids": [fx.ids["tutor"]] }),
    )
    .await
    .expect(200);
    let path = format!("/api/assignments/{}/submissions", fx.ids["A"]);
    let s = app
        .post(
            &path,
            &fx.tokens["teacher"],
            &json!({ "body": "TA 的作业" }),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("S", s);
    let sb = entity::submission::ActiveModel {
        assignment_id: Set(fx.ids["AQ"]),
        enrollment_id: Set(fx.ids["EB"]),
        teacher_id: Set(fx.ids["TB"]),
        class_id: Set(fx.ids["CQ"]),
        body: Set("TB 的作业".into()),
        attachments: Set("[]".into()),
        submitted_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("SB", sb.id);
}

/// P: the province's published program with seats down to school SA; PQ: a published program of 青羊区.
async fn build_programs(app: &TestApp, admin: &str, fx: &mut Fx) {
    let p = app
        .post("/api/programs", admin, &program_body("510000", 100))
        .await
        .expect(200);
    let p = p.id();
    app.post(&format!("/api/programs/{p}/publish"), admin, &json!({}))
        .await
        .expect(200);
    for (node, seats) in [
        ("510100".to_string(), 50),
        ("510104".to_string(), 20),
        (fx.school_codes["SA"].clone(), 5),
    ] {
        let path = format!("/api/programs/{p}/quotas/{node}");
        app.put(&path, admin, &json!({ "seats": seats }))
            .await
            .expect(200);
    }
    let pq = app
        .post("/api/programs", admin, &program_body("510105", 10))
        .await
        .expect(200)
        .id();
    app.post(&format!("/api/programs/{pq}/publish"), admin, &json!({}))
        .await
        .expect(200);
    fx.ids.insert("P", p);
    fx.ids.insert("PQ", pq);
}

/// Programs with seats at SA (and SB for PQ), and the enrolments E, EP, ER and EB (see the matrix).
async fn build_enrollments(app: &TestApp, fx: &mut Fx) {
    let admin = fx.tokens["province_admin"].clone();
    let (sa, sb) = (fx.school_codes["SA"].clone(), fx.school_codes["SB"].clone());
    let program = |mode: &'static str| {
        let mut body = program_body("510000", 100);
        body["enrolment_mode"] = json!(mode);
        body
    };
    let seats = |program: i64, node: String, n: i32| {
        let admin = admin.clone();
        async move {
            let path = format!("/api/programs/{program}/quotas/{node}");
            app.put(&path, &admin, &json!({ "seats": n }))
                .await
                .expect(200);
        }
    };
    let assign = |program: i64, teacher: i64| {
        let admin = admin.clone();
        async move {
            let path = format!("/api/programs/{program}/enrollments");
            app.post(&path, &admin, &json!({ "teacher_id": teacher }))
                .await
                .expect(200)
                .id()
        }
    };
    fx.ids.insert("E", assign(fx.ids["P"], fx.ids["TA"]).await);

    let mut more = Vec::new();
    for mode in ["free", "assigned"] {
        let id = app
            .post("/api/programs", &admin, &program(mode))
            .await
            .expect(200)
            .id();
        app.post(&format!("/api/programs/{id}/publish"), &admin, &json!({}))
            .await
            .expect(200);
        seats(id, "510100".into(), 10).await;
        seats(id, "510104".into(), 10).await;
        seats(id, sa.clone(), 5).await;
        more.push(id);
    }
    let teacher = fx.tokens["teacher"].clone();
    let ep = app
        .post(
            &format!("/api/programs/{}/enrollments", more[0]),
            &teacher,
            &json!({}),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("EP", ep);
    let er = assign(more[1], fx.ids["TA"]).await;
    app.post(
        &format!("/api/enrollments/{er}/withdraw"),
        &admin,
        &json!({}),
    )
    .await
    .expect(200);
    fx.ids.insert("ER", er);
    seats(fx.ids["PQ"], sb, 2).await;
    fx.ids
        .insert("EB", assign(fx.ids["PQ"], fx.ids["TB"]).await);

    // Evidence files: FT uploaded by TA (the teacher), FB by 青羊区's county admin (TB's county).
    let ft = app
        .upload_file(&teacher, "evidence", "ft.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    fx.ids.insert("FT", ft);
    let county2 = app.login(&username_of("county2"), PASSWORD).await;
    let fb = app
        .upload_file(&county2, "evidence", "fb.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    fx.ids.insert("FB", fb);
    // FT gets a poster frame (as a lesson video would), so the poster rows read a real object.
    {
        use sea_orm::{ActiveModelTrait, EntityTrait, Set};
        app.state
            .storage
            .put(
                "posters/matrix.jpg",
                b"\xff\xd8\xff\xe0 matrix poster".to_vec().into(),
            )
            .await
            .unwrap();
        let mut f: entity::file::ActiveModel = entity::file::Entity::find_by_id(ft)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .into();
        f.poster_key = Set(Some("posters/matrix.jpg".into()));
        f.update(&app.db).await.unwrap();
    }
    // Resumable uploads: UT by TA, UB by 青羊区's county admin.
    for (key, token) in [("UT", teacher.clone()), ("UB", county2.clone())] {
        let meta = format!("filename {},purpose {}", b64("课堂实录.mp4"), b64("lesson"));
        let created = app
            .call_headers(
                Method::POST,
                "/api/uploads",
                Some(&token),
                &[
                    ("tus-resumable", "1.0.0".into()),
                    ("upload-length", "1000".into()),
                    ("upload-metadata", meta),
                ],
                None,
            )
            .await
            .expect(201);
        let location = created.headers["location"].to_str().unwrap();
        let id = location.trim_start_matches("/api/uploads/").to_string();
        fx.uploads.insert(key, id);
    }
    // Result batches: RB (P, 锦江区, by its county admin), RBQ (PQ, 青羊区, by its county admin).
    for (key, token, program, enrolment) in [
        ("RB", fx.tokens["county_admin"].clone(), "P", "E"),
        ("RBQ", county2.clone(), "PQ", "EB"),
    ] {
        let csv = format!(
            "报名编号,结业状态,证书编号/不合格原因\n{},结业,JG-1\n",
            fx.ids[enrolment]
        );
        let up = app
            .upload(
                &format!("/api/programs/{}/results?dry_run=false", fx.ids[program]),
                Some(&token),
                "results.csv",
                "text/csv",
                csv.into_bytes(),
            )
            .await
            .expect(200);
        assert_eq!(up.body["report"]["committed"], true, "{}", up.text());
        fx.ids
            .insert(key, up.body["batch"]["id"].as_i64().expect("batch id"));
    }
    let hours = |teacher: Option<i64>, enrollment: Option<i64>, source: &str| {
        let evidence = if source == "supplement" {
            vec![ft]
        } else {
            vec![]
        };
        json!({ "teacher_id": teacher, "enrollment_id": enrollment, "category": "online", "hours": 2,
                "occurred_on": "2026-05-01", "source": source, "evidence": evidence })
    };
    let hv = app
        .post(
            "/api/hours",
            &admin,
            &hours(Some(fx.ids["TA"]), Some(fx.ids["E"]), "course"),
        )
        .await
        .expect(200)
        .id();
    app.post(
        &format!("/api/hours/{hv}/void"),
        &admin,
        &json!({ "reason": "fixture" }),
    )
    .await
    .expect(200);
    fx.ids.insert("HV", hv);
    let hp = app
        .post("/api/hours", &teacher, &hours(None, None, "supplement"))
        .await
        .expect(200)
        .id();
    fx.ids.insert("HP", hp);
    let hb = app
        .post(
            "/api/hours",
            &admin,
            &hours(Some(fx.ids["TB"]), None, "course"),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("HB", hb);

    // Completing E and EB issues their certificates; E's is then revoked.
    for (teacher, enrollment) in [("TA", "E"), ("TB", "EB")] {
        let mut body = hours(Some(fx.ids[teacher]), Some(fx.ids[enrollment]), "course");
        body["hours"] = json!(50);
        app.post("/api/hours", &admin, &body).await.expect(200);
    }
    let certs = app
        .get("/api/certificates?page_size=10", &admin)
        .await
        .expect(200);
    for c in certs.body["items"].as_array().expect("items") {
        let key = if c["teacher_id"] == fx.ids["TA"] {
            "CR"
        } else {
            "CB"
        };
        fx.numbers
            .insert(key, c["number"].as_str().expect("number").to_string());
    }
    let revoke = format!("/api/certificates/{}/revoke", fx.numbers["CR"]);
    app.post(&revoke, &admin, &json!({ "reason": "fixture" }))
        .await
        .expect(200);
}

/// A program owned by `owner` (a region code, or a school code for a 校本 program).
fn program_body(owner: &str, seats: i32) -> Value {
    let level = if owner.len() == 10 {
        "school"
    } else if owner == "510000" {
        "provincial"
    } else if owner.ends_with("00") {
        "city"
    } else {
        "county"
    };
    json!({
        "name": "矩阵项目", "level": level, "kind": "信息技术应用能力提升", "year": 2026,
        "enrolment_mode": "assigned",
        "hour_rule": { "kind": "cumulative" },
        "completion": { "required_hours": 50 },
        "owner_code": owner, "seats": seats,
    })
}

/// Seats a quota row re-sets to (the fixture's own numbers, so the row changes nothing).
fn fixture_seats(node: &str) -> i32 {
    match node {
        "510100" => 50,
        "510104" => 20,
        _ => 5,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Region,
    School,
    Teacher,
    Account,
    /// A county to create a school in.
    County,
    /// A node (region or school) to bind a new account to, or to own a new program.
    Node,
    Program,
    /// A node of program P to set seats for.
    Quota,
    /// A teacher to assign to program P.
    Enrolee,
    Enrollment,
    Hours,
    Certificate,
    /// An uploaded file.
    File,
    /// A resumable upload session.
    Upload,
    /// An institution result batch.
    Batch,
    /// C / CQ, and what hangs off them: assignments A / AQ, submissions S / SB, sessions SS / SSQ.
    Class,
    Assignment,
    Submission,
    Session,
    /// 能力点: the catalogue CAT, plans PL / PLB, submissions CS / CSB, draws DR / DRB, and a node to report on
    /// or draw in.
    CompetencyCatalog,
    CompetencyPlan,
    CompetencySchool,
    CompetencySubmission,
    CompetencySpotCheck,
    CompetencyNode,
    /// A bank question: QP (province), QC (锦江区), QB (青羊区).
    Question,
    /// QZ on P, QZQ on PQ.
    Quiz,
    /// AT (running, TA on QZ) / ATB (TB on QZQ).
    Attempt,
    /// AG (TA's attempt on QZS waiting for the tutor) / ATB.
    Graded,
    /// 一师一优课: the activity ACT, lessons LS / LSB (LD to delete), a teacher to verify (TA / TB), pool entries
    /// RV / RVC / RVB, declared conflicts CF / CFA.
    LessonActivity,
    Lesson,
    LessonDraft,
    LessonTeacher,
    PoolReviewer,
    LessonConflict,
    /// Review rounds (Part B): rounds RD / RDB / RCL / RP and what hangs off them, assignments A / AB, objections
    /// O / OB, the activity ACT.
    LessonRound,
    LessonRoundClosed,
    LessonRoundPublicity,
    LessonReview,
    LessonObjection,
    /// Announcements: AN (锦江区's), ANB (青羊区's).
    Announcement,
    None,
}

fn kind_of(op: &str) -> Kind {
    match op {
        "getRegion" | "listRegions" => Kind::Region,
        "getSchool" | "updateSchool" | "deactivateSchool" | "activateSchool" | "createTeacher" => {
            Kind::School
        }
        "getTeacher" | "updateTeacher" | "revealTeacher" | "deactivateTeacher"
        | "activateTeacher" | "setTeachersActive" | "teacherRecord" | "teacherRecordPdf" => {
            Kind::Teacher
        }
        // A node of the tree by code, as the 能力点 report names it.
        "annualReport" | "exportAnnualReport" | "annualReportPdf" => Kind::CompetencyNode,
        "getAccount" | "updateAccount" | "deactivateAccount" | "activateAccount"
        | "setAccountPassword" => Kind::Account,
        "createSchool" => Kind::County,
        "createAccount" | "createProgram" | "distributeQuota" | "publishAnnouncement" => Kind::Node,
        "getAnnouncement"
        | "updateAnnouncement"
        | "announcementReadCounts"
        | "markAnnouncementRead"
        | "withdrawAnnouncement" => Kind::Announcement,
        "getProgram"
        | "listQuotas"
        | "publishProgram"
        | "programReport"
        | "exportProgramReport"
        | "exportProgramTeachers"
        | "exportResultSheet"
        | "assignMany"
        | "assignFromFile"
        | "submitResults" => Kind::Program,
        "getResultBatch" | "decideResultBatch" => Kind::Batch,
        "allocateQuota" => Kind::Quota,
        "enroll" | "recordHours" | "hourCycles" => Kind::Enrolee,
        "getFile" | "downloadFile" | "downloadFilePoster" | "createFilePlayToken" => Kind::File,
        "getUploadStatus" => Kind::Upload,
        "decideHours" | "voidHours" | "decideHoursMany" => Kind::Hours,
        "revokeCertificate" | "downloadCertificate" => Kind::Certificate,
        "getEnrollment" | "decideEnrollment" | "withdrawEnrollment" | "substituteEnrollment" => {
            Kind::Enrollment
        }
        "createClass" | "createAssignment" => Kind::Program,
        "getClass" | "listClassMembers" | "listSessions" | "setClassTutors" | "placeInClass"
        | "createSession" => Kind::Class,
        "getAssignment" | "listSubmissions" | "submitCoursework" => Kind::Assignment,
        "gradeSubmission" => Kind::Submission,
        "recordAttendance" | "getAttendance" => Kind::Session,
        op if op.contains("Competency") || op.starts_with("competency") => competency_kind(op),
        "createQuestion" => Kind::Node,
        "createQuiz" => Kind::Program,
        "getQuestion" | "updateQuestion" | "retireQuestion" | "restoreQuestion" => Kind::Question,
        "getQuiz" | "updateQuiz" | "publishQuiz" | "listAttempts" | "startAttempt" => Kind::Quiz,
        "getAttempt" | "saveAnswer" | "submitAttempt" => Kind::Attempt,
        "gradeAnswer" => Kind::Graded,
        op if lesson_kind(op).is_some() => lesson_kind(op).unwrap_or(Kind::None),
        op if round_kind(op).is_some() => round_kind(op).unwrap_or(Kind::None),
        _ => Kind::None,
    }
}

/// The fixture key (or region / school code) a relation points at for a role.
fn target(kind: Kind, role: &str, rel: &str) -> Option<&'static str> {
    use Kind::*;
    if matches!(kind, Account | Kind::None) && rel == "own" {
        return Some(account_of(role));
    }
    // The system administrators sit on the province node: what is below or beside them is the province admin's.
    let role = if SYSTEM_THREE.contains(&role) {
        "province_admin"
    } else {
        role
    };
    let t = match (kind, role, rel) {
        (Region, "province_admin", "own") => "510000",
        (Region, "province_admin", "child") => "510104",
        (Region, "city_admin", "own") => "510100",
        (Region, "city_admin", "child") => "510104",
        (Region, "city_admin", "sibling") => "510700",
        (Region, "city_admin", "parent") => "510000",
        (Region, "county_admin" | "reviewer" | "tutor", "own") => "510104",
        (Region, "county_admin" | "reviewer" | "tutor", "parent") => "510100",
        (Region, _, "sibling") => "510105",
        (Region, "school_admin" | "teacher", "parent") => "510104",

        (
            School,
            "province_admin" | "city_admin" | "county_admin" | "reviewer" | "tutor",
            "child",
        ) => "SA",
        (School, "city_admin", "sibling") => "SM",
        (School, "school_admin", "own") => "SA",
        (School, "teacher", "parent") => "SA",
        (School, _, "sibling") => "SB",

        (Teacher, "teacher", "own") => "TA",
        (Teacher, "teacher", "sibling") => "TA2",
        (Teacher, "city_admin", "sibling") => "TM",
        (Teacher, _, "child") => "TA",
        (Teacher, _, "sibling") => "TB",

        (Account, r, "own") => account_of(r),
        (Account, "province_admin", "child") => "county",
        (Account, "city_admin", "child") => "county",
        (Account, "city_admin", "sibling") => "city2",
        (Account, "city_admin", "parent") => "admin",
        (Account, "county_admin", "child") => "school_admin",
        (Account, "county_admin" | "reviewer" | "tutor", "parent") => "city",
        (Account, "school_admin", "child") => "teacher",
        (Account, "school_admin", "parent") => "county",
        (Account, "teacher", "parent") => "school_admin",
        (Account, "reviewer" | "tutor", "child") => "school_admin",
        (Account, _, "sibling") => "county2",

        (County, "province_admin" | "city_admin", "child") => "510104",
        (County, "city_admin", "sibling") => "510703",
        (County, "county_admin" | "reviewer" | "tutor", "own") => "510104",
        (County, "school_admin" | "teacher", "parent") => "510104",
        (County, _, "sibling") => "510105",

        (Node, "province_admin" | "city_admin", "child") => "510104",
        (Node, "city_admin", "sibling") => "510700",
        (Node, "city_admin", "parent") => "510000",
        (Node, "county_admin" | "reviewer" | "tutor", "own") => "510104",
        (Node, "county_admin" | "reviewer" | "tutor", "parent") => "510100",
        (Node, "county_admin", "sibling") => "510105",
        (Node, "school_admin" | "teacher", "own") => "SA",
        (Node, "school_admin", "sibling") => "SB",
        (Node, "school_admin", "parent") => "510104",
        (Program, "province_admin", "own") => "P",
        (Program, "province_admin" | "city_admin", "child") => "PQ",
        (Program, _, "parent") => "P",
        (Program, _, "sibling") => "PQ",

        (Quota, "province_admin", "child") => "510100",
        (Quota, "city_admin", "child") => "510104",
        (Quota, "city_admin", "sibling") => "510700",
        (Quota, "county_admin" | "reviewer" | "tutor", "child") => "SA",
        (Quota, "school_admin", "own") => "SA",
        (Quota, "teacher", "parent") => "SA",
        (Quota, _, "sibling") => "SB",

        (Enrolee, "teacher", "own") => "TA",
        (Enrolee, "city_admin", "sibling") => "TM",
        (Enrolee, _, "child") => "TA",
        (Enrolee, _, "sibling") => "TB",

        (Enrollment, _, "child" | "own") => "E",
        (Enrollment, _, "sibling") => "EB",

        (Hours, _, "child" | "own") => "HP",
        (Hours, _, "sibling") => "HB",

        (Certificate, _, "child" | "own") => "CR",
        (Certificate, _, "sibling") => "CB",

        (File, _, "child" | "own") => "FT",
        (File, _, "sibling") => "FB",

        (Upload, "teacher", "own") | (Upload, _, "child") => "UT",
        (Upload, _, "sibling") => "UB",

        (Batch, _, "child" | "own") => "RB",
        (Batch, _, "sibling") => "RBQ",
        // Managers of both programs reach the 青羊区 side as their child; everyone else's sibling is that side.
        (Class, "province_admin" | "city_admin", "child") | (Class, _, "sibling") => "CQ",
        (Class, _, "own" | "child" | "parent") => "C",
        (Assignment, "province_admin" | "city_admin", "child") | (Assignment, _, "sibling") => "AQ",
        (Assignment, _, "own" | "child" | "parent") => "A",
        (Submission, "province_admin" | "city_admin", "child") | (Submission, _, "sibling") => "SB",
        (Submission, _, "own" | "child" | "parent") => "S",
        (Session, "province_admin" | "city_admin", "child") | (Session, _, "sibling") => "SSQ",
        (Session, _, "own" | "child" | "parent") => "SS",
        (Announcement, _, "own" | "child" | "parent") => "AN",
        (Announcement, _, "sibling") => "ANB",
        (k, r, rel) if competency_target(k, r, rel).is_some() => competency_target(k, r, rel)?,
        (
            Question,
            "province_admin" | "city_admin" | "county_admin" | "teacher" | "reviewer" | "tutor",
            "parent",
        ) => "QP",
        (Question, "province_admin", "own") => "QP",
        (Question, _, "child" | "own" | "parent") => "QC",
        (Question, _, "sibling") => "QB",
        (Quiz, "province_admin" | "city_admin", "child") | (Quiz, _, "sibling") => "QZQ",
        (Quiz, _, "own" | "parent") => "QZ",
        (Attempt | Graded, "province_admin" | "city_admin", "child")
        | (Attempt | Graded, _, "sibling") => "ATB",
        (Attempt, _, "own" | "parent") => "AT",
        (Graded, _, "own" | "parent") => "AG",
        (k, r, rel) if lesson_target(k, r, rel).is_some() => lesson_target(k, r, rel)?,
        (k, r, rel) if round_target(k, r, rel).is_some() => round_target(k, r, rel)?,
        (_, _, "-") => "-",
        (Kind::None, r, "own") => account_of(r),
        _ => return Option::None,
    };
    Some(t)
}

fn teacher_csv(fx: &mut Fx) -> Vec<u8> {
    fx.seq += 1;
    format!(
        "name,id_card,school_code,stage,subject\n导入教师,{},{},小学,数学\n",
        id_card("510104", fx.seq),
        fx.school_codes["SA"]
    )
    .into_bytes()
}

/// Sends the request of one matrix row; returns the response.
async fn perform(
    app: &TestApp,
    fx: &mut Fx,
    ops: &BTreeMap<String, (String, String, bool)>,
    row: &Row,
) -> Resp {
    match prepare(app, fx, ops, row).await {
        Prepared::Sent(r) => r,
        Prepared::Json(call) => call.send(app).await,
    }
}

/// A JSON request of a matrix row, built but not sent (the references test changes one field first).
struct JsonCall {
    method: Method,
    path: String,
    token: Option<String>,
    body: Option<Value>,
}

impl JsonCall {
    async fn send(&self, app: &TestApp) -> Resp {
        app.call(
            self.method.clone(),
            &self.path,
            self.token.as_deref(),
            self.body.as_ref(),
        )
        .await
    }
}

enum Prepared {
    /// Multipart and other special requests are sent while they are built.
    Sent(Resp),
    Json(JsonCall),
}

/// Builds the request of one matrix row.
async fn prepare(
    app: &TestApp,
    fx: &mut Fx,
    ops: &BTreeMap<String, (String, String, bool)>,
    row: &Row,
) -> Prepared {
    let (method, template, _) = &ops[&row.op];
    let kind = kind_of(&row.op);
    let key = if row.role == "public" {
        "-"
    } else {
        target(kind, &row.role, &row.rel).unwrap_or_else(|| {
            panic!(
                "matrix row {row:?}: no fixture target for {} / {}",
                row.role, row.rel
            )
        })
    };
    let node = fx
        .school_codes
        .get(key)
        .cloned()
        .unwrap_or_else(|| key.to_string());
    // Which enrolment an operation acts on: E to read, EP (pending) to decide, ER (withdrawn) to withdraw.
    let key = match (row.op.as_str(), key) {
        ("decideEnrollment", "E") => "EP",
        ("withdrawEnrollment", "E") => "ER",
        ("voidHours", "HP") => "HV",
        _ => key,
    };
    let id = if kind == Kind::Quota
        || matches!(
            row.op.as_str(),
            "enroll" | "listEnrollments" | "listResultBatches" | "distributeQuota"
        ) {
        fx.ids["P"]
    } else {
        fx.ids.get(key).copied().unwrap_or_default()
    };
    let id = match kind {
        Kind::Upload => fx.uploads[key].clone(),
        _ => id.to_string(),
    };
    let mut path = template
        .replace("{id}", &id)
        .replace("{node_code}", &node)
        .replace(
            "{number}",
            fx.numbers
                .get(key)
                .or(fx.numbers.get("CB"))
                .map_or("", |n| n.as_str()),
        )
        .replace("{code}", key)
        .replace("{kind}", "teachers")
        .replace(
            "{question_id}",
            &fx.ids[if row.op == "gradeAnswer" { "QS" } else { "QP" }].to_string(),
        );
    let token = fx.tokens.get(&row.role).cloned();
    let token = token.as_deref();
    fx.seq += 1;
    let seq = fx.seq;
    let body: Option<Value> = match row.op.as_str() {
        "login" => Some(json!({ "username": "admin", "password": ADMIN_PASSWORD })),
        "refresh" | "logout" => Some(json!({ "refresh_token": "not-a-real-token" })),
        "loginSecondFactor" => {
            Some(json!({ "challenge": "not-a-real-challenge", "code": "000000" }))
        }
        "confirmSecondFactorEnrolment" | "disableSecondFactor" | "stepUp" => {
            Some(json!({ "code": "000000" }))
        }
        "forgotPassword" => Some(json!({ "login": "admin" })),
        "resetPassword" => {
            Some(json!({ "token": "not-a-real-token", "new_password": "Reset#Pass2025" }))
        }
        "changePassword" => {
            let pw = password_of(account_of(&row.role));
            Some(json!({ "current_password": pw, "new_password": pw }))
        }
        "updateSchool" => Some(school_body(
            &fx.school_codes[key],
            fx.school_county[key],
            &format!("学校{key}"),
        )),
        "createSchool" => Some(school_body(&school_code(seq), key, "矩阵新校")),
        "updateTeacher" => {
            let school = fx.teacher_school[key];
            Some(teacher_body(
                fx.ids[school],
                &format!("教师{key}"),
                &fx.id_cards[key],
            ))
        }
        "createTeacher" => Some(teacher_body(
            fx.ids[key],
            "矩阵教师",
            &id_card("510104", seq),
        )),
        "updateAccount" => Some(json!({ "display_name": format!("账号{key}") })),
        "createProgram" => Some(program_body(&node, 1)),
        "enroll" if row.role == "teacher" => Some(json!({})),
        "enroll" => Some(json!({ "teacher_id": fx.ids[key] })),
        "recordHours" => Some(json!({
            "teacher_id": if row.rel == "own" { Value::Null } else { json!(fx.ids[key]) },
            "category": "online", "hours": 1, "occurred_on": "2026-05-01",
            "source": if row.role == "teacher" { "supplement" } else { "course" },
            "evidence": if row.role == "teacher" { vec![fx.ids["FT"]] } else { vec![] },
        })),
        "requestExport" => Some(json!({ "kind": "schools", "format": "csv" })),
        "subscribeReport" => Some(json!({
            "order": { "kind": "schools", "format": "csv" }, "cadence": "weekly",
        })),
        "switchReportSubscription" => Some(json!({ "active": false })),
        "voidHours" | "revokeCertificate" => Some(json!({ "reason": "matrix" })),
        "substituteEnrollment" => Some(json!({ "teacher_id": fx.ids["TA"], "reason": "matrix" })),
        "assignMany" => Some(json!({ "teacher_ids": [fx.ids["TA"]], "dry_run": true })),
        // Active teachers made active again: the allowed rows change nothing.
        "setTeachersActive" => Some(json!({ "teacher_ids": [fx.ids[key]], "active": true })),
        "decideHoursMany" => Some(json!({ "entry_ids": [fx.ids[key]], "decision": "reject" })),
        "distributeQuota" => Some(json!({ "method": "even" })),
        "decideEnrollment" | "decideHours" | "decideResultBatch" => {
            Some(json!({ "decision": "reject" }))
        }
        "allocateQuota" => Some(json!({ "seats": fixture_seats(key) })),
        "createClass" => Some(json!({ "name": format!("矩阵班{seq}") })),
        // The class's own tutors and members again, so these rows change nothing.
        "setClassTutors" if key == "C" => Some(json!({ "account_ids": [fx.ids["tutor"]] })),
        "setClassTutors" => Some(json!({ "account_ids": [] })),
        "placeInClass" => {
            Some(json!({ "enrollment_ids": [fx.ids[if key == "C" { "E" } else { "EB" }]] }))
        }
        "createSession" => Some(session_body()),
        "setNotificationPreferences" => Some(json!({ "choices": [] })),
        "publishAnnouncement" => {
            Some(json!({ "title": "矩阵公告", "body": "矩阵", "node_code": node }))
        }
        "updateAnnouncement" => Some(json!({ "title": "矩阵公告", "body": "矩阵" })),
        "createQuestion" => {
            let mut q = question_body("matrix");
            q["owner_code"] = json!(node);
            Some(q)
        }
        "updateQuestion" => Some(question_body("matrix")),
        "createQuiz" | "updateQuiz" => Some(quiz_body(fx.ids["QP"], true)),
        "saveAnswer" => Some(json!({ "response": { "choice": 1 } })),
        "gradeAnswer" => Some(json!({ "score": 1, "comment": "matrix" })),
        "createAssignment" => Some(assignment_body(None)),
        "submitCoursework" => Some(json!({ "body": "矩阵作业" })),
        "gradeSubmission" => Some(json!({ "score": 80, "passed": true })),
        "recordAttendance" => {
            Some(json!({ "present": [fx.ids[if key == "SS" { "E" } else { "EB" }]] }))
        }
        "setAccountPassword" => Some(json!({ "new_password": password_of(key) })),
        "createAccount" => {
            let (role, scope) = match fx.school_codes.get(key) {
                Some(code) => ("school_admin", code.clone()),
                Option::None => ("reviewer", key.to_string()),
            };
            Some(json!({
                "username": format!("new{seq}"), "password": PASSWORD, "display_name": "新账号",
                "role": role, "scope_code": scope,
            }))
        }
        op if competency_kind(op) != Kind::None => competency_body(op, key, fx),
        op if lesson_kind(op).is_some() => lesson_body(op, fx),
        op if round_kind(op).is_some() => round_request_body(op, fx),
        _ if method == "POST" || method == "PUT" => Some(json!({})),
        _ => Option::None,
    };
    match row.op.as_str() {
        "listRegions" if key != "-" => path = format!("{path}?parent={key}"),
        "importTemplate" | "exportDirectory" => path = format!("{path}?format=csv"),
        "runImport" => path = format!("{path}?dry_run=true"),
        "hourCycles" if row.rel != "own" => path = format!("{path}?teacher_id={}", fx.ids[key]),
        "annualReport" | "exportAnnualReport" | "annualReportPdf" => {
            let node = if key == "-" {
                String::new()
            } else {
                format!("&node={key}")
            };
            path = format!("{path}?year=2026&format=csv{node}");
        }
        op if competency_kind(op) != Kind::None => path = competency_path(op, path, key),
        op if lesson_kind(op).is_some() => path = lesson_path(op, path, key, fx),
        op if round_kind(op).is_some() => path = round_path(op, path, key, fx),
        _ => {}
    }
    if row.op == "uploadFile" {
        let token = token.unwrap_or_default();
        return Prepared::Sent(
            app.upload_file(token, "evidence", "matrix.txt", b"matrix evidence")
                .await,
        );
    }
    if row.op == "assignFromFile" {
        let csv = format!("身份证号\n{}\n", fx.id_cards["TA"]);
        return Prepared::Sent(
            app.upload(&path, token, "assign.csv", "text/csv", csv.into_bytes())
                .await,
        );
    }
    if row.op == "submitResults" {
        let csv = format!(
            "报名编号,结业状态,证书编号/不合格原因\n{},结业,JG-1\n",
            fx.ids["E"]
        );
        return Prepared::Sent(
            app.upload(&path, token, "results.csv", "text/csv", csv.into_bytes())
                .await,
        );
    }
    if row.op == "importLessonCatalogue" {
        return Prepared::Sent(
            app.upload(
                &format!("{path}?dry_run=true"),
                token,
                "catalogue.csv",
                "text/csv",
                LESSON_CATALOGUE_CSV.into(),
            )
            .await,
        );
    }
    if row.op == "importQuestions" {
        let csv = "题型,学科,标签,难度,题干,选项A,选项B,答案\n单选,语文,,2,矩阵题,甲,乙,A\n";
        return Prepared::Sent(
            app.upload(
                &format!("{path}?dry_run=true"),
                token,
                "q.csv",
                "text/csv",
                csv.into(),
            )
            .await,
        );
    }
    if row.op == "runImport" || row.op == "importErrorReport" {
        let csv = teacher_csv(fx);
        return Prepared::Sent(
            app.upload(&path, token, "teachers.csv", "text/csv", csv)
                .await,
        );
    }
    Prepared::Json(JsonCall {
        method: Method::from_bytes(method.as_bytes()).expect("method"),
        path,
        token: token.map(str::to_string),
        body,
    })
}

/// Puts the fixture back after a row that changed it: reactivates, and signs roles in again whose sessions ended.
async fn restore(app: &TestApp, fx: &mut Fx, row: &Row, status: u16) {
    if !(200..300).contains(&status) {
        return;
    }
    let admin = || fx.tokens["province_admin"].clone();
    let kind = kind_of(&row.op);
    let key = target(kind, &row.role, &row.rel).unwrap_or("-");
    match row.op.as_str() {
        "deactivateSchool" => {
            let path = format!("/api/schools/{}/activate", fx.ids[key]);
            app.post(&path, &admin(), &json!({})).await.expect(200);
        }
        "deactivateTeacher" => {
            let path = format!("/api/teachers/{}/activate", fx.ids[key]);
            app.post(&path, &admin(), &json!({})).await.expect(200);
        }
        "deactivateAccount" => {
            let path = format!("/api/accounts/{}/activate", fx.ids[key]);
            app.post(&path, &admin(), &json!({})).await.expect(200);
        }
        // No operation takes a withdrawal back: the fixture's announcement is put back in the database.
        "withdrawAnnouncement" => {
            let sql = format!(
                "UPDATE announcements SET withdrawn_at = NULL WHERE id = {}",
                fx.ids[key]
            );
            use sea_orm::ConnectionTrait;
            let backend = app.db.get_database_backend();
            app.db
                .execute_raw(sea_orm::Statement::from_string(backend, sql))
                .await
                .expect("un-withdraw");
        }
        _ => {}
    }
    if matches!(
        row.op.as_str(),
        "deactivateAccount" | "setAccountPassword" | "changePassword"
    ) {
        for role in ROLES {
            if app.get("/api/me", &fx.tokens[role]).await.status == 401 {
                let acc = account_of(role);
                let token = app.login(&username_of(acc), password_of(acc)).await;
                fx.tokens.insert(role.to_string(), token);
            }
        }
    }
}

async fn run_matrix(engine: Engine) {
    // The rows set an account's password to the one it already has, so the fixture's sign-ins keep working; the
    // password history is tested in tests/tests/password_rules.rs.
    let app = TestApp::start(engine, |c| {
        c.login_rate_per_minute = 10_000;
        c.password_history = 0;
    })
    .await;
    let mut fx = build_fixture(&app).await;
    let ops = spec_operations();
    let rows = parse_matrix();
    let mut failures = Vec::new();
    let mut ran = 0;
    for row in &rows {
        if !ops.contains_key(&row.op) {
            // A row for an operation not (yet) in the spec: nothing to call.
            continue;
        }
        let r = perform(&app, &mut fx, &ops, row).await;
        ran += 1;
        if r.status != row.status {
            failures.push(format!(
                "{:<20} {:<15} {:<8} expected {} got {}: {}",
                row.op,
                row.role,
                row.rel,
                row.status,
                r.status,
                r.text().chars().take(200).collect::<String>()
            ));
        } else if let Some(total) = row.total
            && r.body["total"].as_u64() != Some(total)
        {
            failures.push(format!(
                "{:<20} {:<15} {:<8} expected total {} got {}",
                row.op, row.role, row.rel, total, r.body["total"]
            ));
        }
        if r.status >= 400 && !r.content_type().starts_with("application/problem+json") {
            failures.push(format!(
                "{} {}: error without problem+json",
                row.op, row.role
            ));
        }
        restore(&app, &mut fx, row, r.status).await;
    }
    assert!(ran > 100, "only {ran} matrix rows ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} authorization matrix rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );

    // Without a token every secured operation is 401 problem+json.
    let mut anon = Vec::new();
    for (op, (method, template, secured)) in &ops {
        if !secured {
            continue;
        }
        let path = template
            .replace("{id}", &fx.ids["SA"].to_string())
            .replace("{node_code}", "510104")
            .replace("{number}", &fx.numbers["CB"])
            .replace("{code}", "510104")
            .replace("{kind}", "teachers")
            .replace("{question_id}", "1");
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let body = (method == Method::POST || method == Method::PUT).then(|| json!({}));
        let r = app.call(method, &path, None, body.as_ref()).await;
        if r.status != 401 || !r.content_type().starts_with("application/problem+json") {
            anon.push(format!("{op}: {} {}", r.status, r.text()));
        }
    }
    assert!(
        anon.is_empty(),
        "secured operations answering without a token:\n{}",
        anon.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_sqlite() {
    run_matrix(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matrix_postgres() {
    run_matrix(Engine::Postgres).await;
}

// ───────────── 能力点 (micro-competencies, issue #6): kinds, targets, bodies and fixture ─────────────

fn competency_kind(op: &str) -> Kind {
    match op {
        "getCompetencyCatalog" | "updateCompetencyPoint" | "publishCompetencyCatalog" => {
            Kind::CompetencyCatalog
        }
        "getCompetencyPlan" => Kind::CompetencyPlan,
        "saveCompetencyPlan" => Kind::CompetencySchool,
        "getCompetencySubmission"
        | "competencySubmissionHistory"
        | "reviewCompetencySubmission"
        | "spotCheckCompetencySubmission" => Kind::CompetencySubmission,
        "getCompetencySpotCheck" => Kind::CompetencySpotCheck,
        "listCompetencyCatalogs"
        | "createCompetencyDraft"
        | "listCompetencyPlans"
        | "getMyCompetency"
        | "submitCompetencyEvidence"
        | "listCompetencySubmissions"
        | "listCompetencySpotChecks"
        | "drawCompetencySpotCheck"
        | "competencyReport"
        | "exportCompetencyReport" => Kind::CompetencyNode,
        _ => Kind::None,
    }
}

fn competency_target(kind: Kind, _role: &str, rel: &str) -> Option<&'static str> {
    use Kind::*;
    let t = match (kind, rel) {
        (CompetencyCatalog, "own" | "parent") => "CAT",
        (CompetencyPlan, "own" | "child") => "PL",
        (CompetencyPlan, "sibling") => "PLB",
        (CompetencySchool, "own" | "child" | "parent") => "SA",
        (CompetencySchool, "sibling") => "SB",
        (CompetencySubmission, "own" | "child") => "CS",
        (CompetencySubmission, "sibling") => "CSB",
        (CompetencySpotCheck, "own" | "child" | "parent") => "DR",
        (CompetencySpotCheck, "sibling") => "DRB",
        (CompetencyNode, "-") => "-",
        (CompetencyNode, "own" | "child" | "parent") => "510104",
        (CompetencyNode, "sibling") => "510105",
        _ => return Option::None,
    };
    Some(t)
}

fn competency_plan_body(school: &str) -> Value {
    json!({
        "school_code": school, "year": 2026, "required_passes": 3,
        "points": [
            { "code": "A1", "compulsory": true },
            { "code": "A3", "compulsory": false },
            { "code": "B3", "compulsory": false },
        ],
    })
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn competency_body(op: &str, key: &str, fx: &Fx) -> Option<Value> {
    match op {
        "updateCompetencyPoint" => Some(competency_card("A1", 0)),
        "saveCompetencyPlan" => Some(competency_plan_body(&fx.school_codes[key])),
        "submitCompetencyEvidence" => Some(
            json!({ "year": 2026, "code": "A3", "items": [{ "key": "design", "text": "矩阵材料" }] }),
        ),
        "reviewCompetencySubmission" | "spotCheckCompetencySubmission" => {
            Some(json!({ "excellent": [true, true], "pass": [true, true] }))
        }
        "drawCompetencySpotCheck" => {
            Some(json!({ "county_code": key, "year": 2026, "share_percent": 100, "seed": 1 }))
        }
        "createCompetencyDraft" | "publishCompetencyCatalog" => Some(json!({})),
        _ => Option::None,
    }
}

fn competency_path(op: &str, path: String, key: &str) -> String {
    let node = if key == "-" {
        String::new()
    } else {
        format!("&node={key}")
    };
    match op {
        "updateCompetencyPoint" => path.replace("/points/CAT", "/points/A1"),
        "getMyCompetency" => format!("{path}?year=2026"),
        "competencyReport" => format!("{path}?year=2026{node}"),
        "exportCompetencyReport" => format!("{path}?year=2026&format=csv{node}"),
        _ => path,
    }
}

/// CAT (published), PL (SA's plan, by its school admin), CS (TA's A1 evidence, graded 优秀 by the school), DR (a
/// 100 % draw of 锦江区 by its county admin, so CS is drawn); PLB, CSB and DRB on the 青羊区 side, written straight
/// to the database (SB has no school admin, TB no account).
async fn build_competency(app: &TestApp, fx: &mut Fx) {
    use entity::{
        competency_plan, competency_plan_point, competency_point, competency_spot_check,
        competency_submission, school,
    };
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let cat = app.publish_competency_catalogue().await;
    fx.ids.insert("CAT", cat);
    let sa = fx.school_codes["SA"].clone();
    let pl = app
        .put(
            "/api/competency/plans",
            &fx.tokens["school_admin"],
            &competency_plan_body(&sa),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("PL", pl);
    let cs = app
        .post(
            "/api/competency/submissions",
            &fx.tokens["teacher"],
            &json!({ "year": 2026, "code": "A1", "items": [{ "key": "design", "text": "TA 的材料" }] }),
        )
        .await
        .expect(200)
        .id();
    let checks = r#"{"excellent":[true,true],"pass":[true,true]}"#;
    let row = competency_submission::Entity::find_by_id(cs)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let mut graded: competency_submission::ActiveModel = row.into();
    graded.school_grade = Set(Some(competency_submission::Grade::Excellent));
    graded.school_checks = Set(Some(checks.into()));
    graded.school_reviewed_at = Set(Some(chrono::Utc::now()));
    graded.final_grade = Set(Some(competency_submission::Grade::Excellent));
    graded.update(&app.db).await.unwrap();
    fx.ids.insert("CS", cs);
    let draw = json!({ "county_code": "510104", "year": 2026, "share_percent": 100, "seed": 1 });
    let dr = app
        .post(
            "/api/competency/spot-checks",
            &fx.tokens["county_admin"],
            &draw,
        )
        .await
        .expect(200);
    assert_eq!(dr.body["drawn"], 1, "{}", dr.text());
    fx.ids.insert("DR", dr.id());

    let sb = school::Entity::find_by_id(fx.ids["SB"])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let a1 = competency_point::Entity::find()
        .filter(competency_point::Column::CatalogId.eq(cat))
        .filter(competency_point::Column::Code.eq("A1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now();
    let admin_id = fx.ids["admin"];
    let plb = competency_plan::ActiveModel {
        school_id: Set(sb.id),
        path: Set(sb.path.clone()),
        year: Set(2026),
        catalog_id: Set(cat),
        required_passes: Set(1),
        distinct_dimensions: Set(false),
        created_by: Set(admin_id),
        created_at: Set(now),
        updated_by: Set(admin_id),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    competency_plan_point::ActiveModel {
        plan_id: Set(plb.id),
        point_id: Set(a1.id),
        code: Set("A1".into()),
        compulsory: Set(true),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("PLB", plb.id);
    let csb = competency_submission::ActiveModel {
        teacher_id: Set(fx.ids["TB"]),
        school_id: Set(sb.id),
        path: Set(sb.path.clone()),
        year: Set(2026),
        plan_id: Set(plb.id),
        point_id: Set(a1.id),
        code: Set("A1".into()),
        latest: Set(true),
        items: Set(r#"[{"key":"design","text":"TB 的材料","files":[]}]"#.into()),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("CSB", csb.id);
    let county2 = app.state.regions.get("510105").unwrap().path.clone();
    let drb = competency_spot_check::ActiveModel {
        county_code: Set("510105".into()),
        path: Set(county2),
        year: Set(2026),
        seed: Set(1),
        share_percent: Set(10),
        population: Set(0),
        drawn: Set(0),
        drawn_by: Set(admin_id),
        drawn_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("DRB", drb.id);
}

fn lesson_kind(op: &str) -> Option<Kind> {
    Some(match op {
        "listLessonActivities"
        | "getLessonActivity"
        | "createLessonActivity"
        | "updateLessonActivity"
        | "listLessonCatalogue"
        | "lessonCatalogueFacets"
        | "importLessonCatalogue"
        | "listLessonTeachers"
        | "listLessonConflicts"
        | "listLessons"
        | "createLesson"
        | "listLessonRubrics"
        | "createLessonRubric"
        | "listLessonReviewers"
        | "certifyLessonReviewer"
        | "declareLessonConflict" => Kind::LessonActivity,
        "getLesson" | "updateLesson" | "addLessonItem" | "submitLesson" | "checkLesson"
        | "removeLessonItem" => Kind::Lesson,
        "deleteLesson" => Kind::LessonDraft,
        "verifyLessonTeacher" | "unverifyLessonTeacher" => Kind::LessonTeacher,
        "decertifyLessonReviewer" => Kind::PoolReviewer,
        "withdrawLessonConflict" => Kind::LessonConflict,
        _ => return Option::None,
    })
}

fn lesson_target(kind: Kind, role: &str, rel: &str) -> Option<&'static str> {
    use Kind::*;
    let t = match (kind, role, rel) {
        (LessonActivity, _, _) => "ACT",
        (Lesson, _, "sibling") | (LessonDraft, _, "sibling") => "LSB",
        (Lesson, _, _) => "LS",
        (LessonDraft, _, _) => "LD",
        (LessonTeacher, _, "sibling") => "TB",
        (LessonTeacher, _, _) => "TA",
        (PoolReviewer, "province_admin", _) | (PoolReviewer, _, "sibling") => "RVB",
        (PoolReviewer, "city_admin", _) => "RVC",
        (PoolReviewer, _, _) => "RV",
        (LessonConflict, "reviewer", _) => "CF",
        (LessonConflict, _, _) => "CFA",
        _ => return Option::None,
    };
    Some(t)
}

fn lesson_path(op: &str, path: String, key: &str, fx: &Fx) -> String {
    let act = fx.ids["ACT"];
    match op {
        "verifyLessonTeacher" | "unverifyLessonTeacher" => format!(
            "/api/lesson-activities/{act}/teachers/{}/verify",
            fx.ids[key]
        ),
        "removeLessonItem" => path.replace("{item_id}", &fx.ids["IM"].to_string()),
        "listLessonConflicts" => format!("{path}?activity_id={act}"),
        "listLessons" => format!("{path}?activity_id={act}"),
        _ => path,
    }
}

fn lesson_body(op: &str, fx: &mut Fx) -> Option<Value> {
    let now = chrono::Utc::now();
    let windows = json!([{ "stage": "小学", "opens_at": now - chrono::Duration::days(1),
                           "closes_at": now + chrono::Duration::days(30) }]);
    fx.seq += 1;
    match op {
        "createLessonActivity" => {
            Some(json!({ "year": 2030 + fx.seq % 60, "name": "矩阵活动", "windows": windows }))
        }
        "updateLessonActivity" => {
            Some(json!({ "year": 2026, "name": "2026年一师一优课", "windows": windows }))
        }
        "createLesson" | "updateLesson" => Some(json!({
            "activity_id": fx.ids["ACT"], "catalogue_node_id": fx.ids["NODE"], "title": "矩阵课例",
            "lesson_no": 1 })),
        "addLessonItem" => Some(json!({ "kind": "design", "file_id": fx.ids["FL"] })),
        "checkLesson" => Some(json!({ "approved": true })),
        "createLessonRubric" => Some(json!({ "name": "矩阵量规", "criteria": [
            { "key": "all", "name": "总体", "max_points": 100 }] })),
        "certifyLessonReviewer" => Some(json!({ "account_id": fx.ids["reviewer"] })),
        "declareLessonConflict" => Some(json!({ "activity_id": fx.ids["ACT"],
            "reviewer_id": fx.ids["reviewer"], "teacher_id": fx.ids["TA"], "reason": "矩阵回避" })),
        _ => Option::None,
    }
}

/// ACT (the 2026 activity with the test catalogue), LS and LD (TA's drafts; LS has the 素材 item IM and FL is a
/// lesson file of TA), LSB (TB's lesson, straight to the database), pool entries RV and RVC (锦江区) and RVB
/// (青羊区), conflicts CF (by the matrix reviewer) and CFA (by the province, for the second reviewer).
async fn build_lessons(app: &TestApp, fx: &mut Fx) {
    use sea_orm::{ActiveModelTrait, Set};
    let admin = fx.tokens["province_admin"].clone();
    let teacher = fx.tokens["teacher"].clone();
    let county = fx.tokens["county_admin"].clone();
    let act = app.open_lesson_activity(2026).await;
    fx.ids.insert("ACT", act);
    let node = app.lesson_node(act, "秒的认识").await;
    fx.ids.insert("NODE", node);
    let body = json!({ "activity_id": act, "catalogue_node_id": node, "title": "矩阵课例", "lesson_no": 1 });
    for key in ["LS", "LD"] {
        let id = app
            .post("/api/lessons", &teacher, &body)
            .await
            .expect(200)
            .id();
        fx.ids.insert(key, id);
    }
    for key in ["FL", "FM"] {
        let id = app
            .upload_file(&teacher, "lesson", &format!("{key}.pdf"), TINY_PDF)
            .await
            .expect(200)
            .id();
        fx.ids.insert(key, id);
    }
    let with_item = app
        .post(
            &format!("/api/lessons/{}/items", fx.ids["LS"]),
            &teacher,
            &json!({ "kind": "material", "material_type": "tool", "file_id": fx.ids["FM"] }),
        )
        .await
        .expect(200);
    fx.ids
        .insert("IM", with_item.body["items"][0]["id"].as_i64().unwrap());
    let now = chrono::Utc::now();
    let sb_path = format!("/510000/510100/510105/{}/", fx.school_codes["SB"]);
    let lsb = entity::lesson::ActiveModel {
        activity_id: Set(act),
        catalogue_node_id: Set(node),
        teacher_id: Set(fx.ids["TB"]),
        school_id: Set(fx.ids["SB"]),
        path: Set(sb_path),
        title: Set("青羊课例".into()),
        lesson_no: Set(1),
        advisors: Set("[]".into()),
        design: Set("{}".into()),
        status: Set(entity::lesson::LessonStatus::Submitted),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("LSB", lsb.id);
    // Pools: the matrix reviewer and a second one in 锦江区, a third in 青羊区 (certified by its county admin).
    let second = app
        .create_account(&admin, "m.reviewer2", "reviewer", "510104", None)
        .await;
    let third = app
        .create_account(&admin, "m.reviewer3", "reviewer", "510105", None)
        .await;
    let county2 = app.login(&username_of("county2"), PASSWORD).await;
    for (key, token, account) in [
        ("RV", &county, fx.ids["reviewer"]),
        ("RVC", &county, second["id"].as_i64().unwrap()),
        ("RVB", &county2, third["id"].as_i64().unwrap()),
    ] {
        let id = app
            .post(
                "/api/lesson-reviewers",
                token,
                &json!({ "account_id": account }),
            )
            .await
            .expect(200)
            .id();
        fx.ids.insert(key, id);
    }
    let cf = app
        .post(
            "/api/lesson-conflicts",
            &fx.tokens["reviewer"],
            &json!({ "activity_id": act, "reviewer_id": fx.ids["reviewer"], "teacher_id": fx.ids["TA"],
                     "reason": "同事" }),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("CF", cf);
    let cfa = app
        .post(
            "/api/lesson-conflicts",
            &admin,
            &json!({ "activity_id": act, "reviewer_id": second["id"], "school_id": fx.ids["SA"],
                     "reason": "曾任职" }),
        )
        .await
        .expect(200)
        .id();
    fx.ids.insert("CFA", cfa);
}

// ───────────── 一师一优课 review rounds (Part B): kinds, targets, bodies and fixture ─────────────

fn round_kind(op: &str) -> Option<Kind> {
    Some(match op {
        "listLessonRounds" | "createLessonRound" | "listLessonReviews" => Kind::LessonActivity,
        "getLessonRound"
        | "updateLessonRound"
        | "assignLessonRound"
        | "addLessonAssignment"
        | "removeLessonAssignment"
        | "startLessonRound"
        | "closeLessonRound"
        | "listLessonRoundEntries"
        | "overrideLessonEntry" => Kind::LessonRound,
        "confirmLessonRound" => Kind::LessonRoundClosed,
        "listLessonPublicity"
        | "raiseLessonObjection"
        | "listLessonObjections"
        | "publishLessonRound" => Kind::LessonRoundPublicity,
        "getLessonReview"
        | "saveLessonReview"
        | "lessonReviewItemContent"
        | "lessonReviewItemPoster"
        | "createLessonReviewPlayToken" => Kind::LessonReview,
        "resolveLessonObjection" => Kind::LessonObjection,
        "listLessonAwards" | "exportLessonMinistryList" => Kind::LessonActivity,
        _ => return Option::None,
    })
}

fn round_target(kind: Kind, _role: &str, rel: &str) -> Option<&'static str> {
    use Kind::*;
    let t = match (kind, rel) {
        (LessonRound | LessonRoundClosed | LessonRoundPublicity, "sibling") => "RNDB",
        (LessonRound, _) => "RND",
        (LessonRoundClosed, _) => "RNDC",
        (LessonRoundPublicity, _) => "RNDP",
        (LessonReview, "sibling") => "RASB",
        (LessonReview, _) => "RAS",
        (LessonObjection, "sibling") => "ROBB",
        (LessonObjection, _) => "ROB",
        _ => return Option::None,
    };
    Some(t)
}

fn round_path(op: &str, path: String, key: &str, fx: &Fx) -> String {
    let sibling = matches!(key, "RNDB" | "RASB" | "ROBB");
    let pick = |own: &str, other: &str| fx.ids[if sibling { other } else { own }].to_string();
    match op {
        "removeLessonAssignment" => path.replace("{assignment_id}", &pick("RAS2", "RASB")),
        "overrideLessonEntry" => path.replace("{entry_id}", &pick("REN", "RENB")),
        "lessonReviewItemContent" | "lessonReviewItemPoster" | "createLessonReviewPlayToken" => {
            path.replace("{item_id}", &fx.ids["RIT"].to_string())
        }
        "listLessonPublicity" => "/api/lesson-publicity".into(),
        "listLessonRounds" | "createLessonRound" | "listLessonReviews" => path,
        "listLessonAwards" | "exportLessonMinistryList" => {
            format!(
                "/api/lesson-activities/{}/{}",
                fx.ids["ACT"],
                path.rsplit('/').next().unwrap_or("")
            )
        }
        _ => path,
    }
}

fn round_request_body(op: &str, fx: &Fx) -> Option<Value> {
    let round = |activity: i64| {
        json!({
            "activity_id": activity, "level": "county", "name": "矩阵评审", "rubric_id": fx.ids["RUB"],
            "reviewers_per_lesson": 1, "blind": true, "same_county_conflict": false, "aggregation": "mean",
            "spread_threshold": 15, "quota": { "kind": "percent", "value": 50 },
            "deadline": "2099-01-01T00:00:00Z", "reminder_days": [], "publicity_days": 5,
        })
    };
    match op {
        "createLessonRound" => Some(round(fx.ids["ACT5"])),
        "updateLessonRound" => Some(round(fx.ids["ACT"])),
        "addLessonAssignment" => {
            Some(json!({ "entry_id": fx.ids["REN"], "reviewer_id": fx.ids["reviewer"] }))
        }
        "overrideLessonEntry" => Some(json!({ "score": 80, "reason": "矩阵改判" })),
        "saveLessonReview" => Some(json!({ "scores": [], "submit": false })),
        "raiseLessonObjection" => Some(json!({ "entry_id": fx.ids["RENP"], "text": "矩阵异议" })),
        "resolveLessonObjection" => Some(json!({ "upheld": false, "response": "矩阵答复" })),
        _ => Option::None,
    }
}

/// Rounds RD (锦江区, reviewing, ACT), RDB (青羊区, reviewing, ACT), RCL (锦江区, closed, ACT2) and RP (锦江区, 公示,
/// ACT3) with their entries, assignments, item IR, objections O / OB and the award AW, written straight to the
/// database (their own tests drive the real flow); ACT5 is an activity without rounds to create one in.
async fn build_rounds(app: &TestApp, fx: &mut Fx) {
    use entity::{
        account, lesson_assignment, lesson_award, lesson_item, lesson_objection, lesson_round,
        lesson_round_entry, lesson_rubric,
    };
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
    let now = chrono::Utc::now();
    for (key, year) in [("ACT2", 2024), ("ACT3", 2025), ("ACT5", 2023)] {
        let id = app.lesson_activity(year).await;
        fx.ids.insert(key, id);
    }
    let rubric = lesson_rubric::Entity::find()
        .filter(lesson_rubric::Column::IsDefault.eq(true))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    fx.ids.insert("RUB", rubric.id);
    let jj = "/510000/510100/510104/".to_string();
    let qy = "/510000/510100/510105/".to_string();
    for (key, activity, code, path, status) in [
        ("RND", "ACT", "510104", &jj, "reviewing"),
        ("RNDB", "ACT", "510105", &qy, "reviewing"),
        ("RNDC", "ACT2", "510104", &jj, "closed"),
        ("RNDP", "ACT3", "510104", &jj, "publicity"),
    ] {
        let r =
            lesson_round::ActiveModel {
                activity_id: Set(fx.ids[activity]),
                level: Set(lesson_round::LessonRoundLevel::County),
                region_code: Set(code.into()),
                path: Set(path.clone()),
                name: Set(format!("矩阵{key}")),
                rubric_id: Set(rubric.id),
                criteria: Set(rubric.criteria.clone()),
                reviewers_per_lesson: Set(1),
                blind: Set(true),
                same_county_conflict: Set(false),
                aggregation: Set(entity::lesson_round::Aggregation::Mean),
                spread_threshold: Set(15.0),
                quota_kind: Set(entity::lesson_round::LessonQuotaKind::Percent),
                quota_value: Set(50),
                deadline: Set(now + chrono::Duration::days(30)),
                reminder_days: Set("[]".into()),
                publicity_days: Set(5),
                status: Set(sea_orm::ActiveEnum::try_from_value(&status.to_string()).unwrap()),
                publicity_ends_at: Set(
                    (status == "publicity").then(|| now + chrono::Duration::days(5))
                ),
                created_by: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        fx.ids.insert(key, r.id);
    }
    let ls = entity::lesson::Entity::find_by_id(fx.ids["LS"])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let lsb = entity::lesson::Entity::find_by_id(fx.ids["LSB"])
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    for (key, round, l, recommended) in [
        ("REN", "RND", &ls, false),
        ("RENB", "RNDB", &lsb, false),
        ("RENC", "RNDC", &ls, false),
        ("RENP", "RNDP", &ls, true),
    ] {
        let e = lesson_round_entry::ActiveModel {
            round_id: Set(fx.ids[round]),
            lesson_id: Set(l.id),
            teacher_id: Set(l.teacher_id),
            school_id: Set(l.school_id),
            path: Set(l.path.clone()),
            slot: Set(format!("{}", l.catalogue_node_id)),
            score: Set(None),
            spread: Set(None),
            flagged: Set(false),
            override_score: Set(None),
            override_reason: Set(None),
            override_by: Set(None),
            rank: Set(recommended.then_some(1)),
            recommended: Set(recommended),
            reason: Set(None),
            excluded: Set(false),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        fx.ids.insert(key, e.id);
    }
    let account_of = |username: &'static str| async move {
        account::Entity::find()
            .filter(account::Column::Username.eq(username))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap()
            .id
    };
    let second = account_of("m.reviewer2").await;
    let third = account_of("m.reviewer3").await;
    for (key, round, entry, reviewer) in [
        ("RAS", "RND", "REN", fx.ids["reviewer"]),
        ("RAS2", "RND", "REN", second),
        ("RASB", "RNDB", "RENB", third),
    ] {
        let a = lesson_assignment::ActiveModel {
            round_id: Set(fx.ids[round]),
            entry_id: Set(fx.ids[entry]),
            reviewer_id: Set(reviewer),
            status: Set(entity::lesson_assignment::LessonReviewStatus::Assigned),
            scores: Set("[]".into()),
            total: Set(None),
            comment: Set(None),
            assigned_by: Set(None),
            assigned_at: Set(now),
            saved_at: Set(None),
            submitted_at: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        fx.ids.insert(key, a.id);
    }
    // Its own file and a kind no other row touches (Part A's rows replace LS's 教学设计 and remove its 素材).
    let file = app
        .upload_file(&fx.tokens["teacher"], "lesson", "RIT.pdf", TINY_PDF)
        .await
        .expect(200)
        .id();
    let ir = lesson_item::ActiveModel {
        lesson_id: Set(ls.id),
        kind: Set(entity::lesson_item::ItemKind::Reflection),
        material_type: Set(None),
        file_id: Set(file),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("RIT", ir.id);
    for (key, round, entry) in [("ROB", "RNDP", "RENP"), ("ROBB", "RNDB", "RENB")] {
        let o = lesson_objection::ActiveModel {
            round_id: Set(fx.ids[round]),
            entry_id: Set(fx.ids[entry]),
            raised_by: Set(fx.ids["admin"]),
            text: Set("矩阵异议".into()),
            status: Set(entity::lesson_objection::LessonObjectionStatus::Open),
            response: Set(None),
            resolved_by: Set(None),
            resolved_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
        fx.ids.insert(key, o.id);
    }
    let aw = lesson_award::ActiveModel {
        activity_id: Set(fx.ids["ACT"]),
        lesson_id: Set(ls.id),
        round_id: Set(fx.ids["RND"]),
        level: Set(lesson_award::LessonAwardLevel::County),
        path: Set(ls.path.clone()),
        awarded_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    fx.ids.insert("RAW", aw.id);
}

// ───────────── References: ids and codes in request bodies go through the access module ─────────────

/// Every id or code in a write request that names another object, tried with an object the caller may not use and
/// with one that does not exist. `op role rel field foreign missing [extra]`: the request is the matrix's own request
/// of (op, role, rel), merged with the optional `extra` JSON, with `field` replaced. `foreign` is a fixture key (its
/// id), `@KEY` (its school code), `#missing`, a literal code, or `-` when no object exists that the caller may not
/// use (province-wide reference data such as the activity or the 能力点 catalogue); `identity` marks a field that
/// names the new object itself rather than another one. A foreign reference must answer 404 or 422 (naming the
/// field) and a missing one 422 naming the field; in both cases nothing in the database changes.
const REFERENCES: &str = r#"
createSchool              county_admin own     county_code          510105    519999
createSchool              county_admin own     code                 identity  identity
updateSchool              county_admin child   county_code          510105    519999
updateSchool              county_admin child   code                 identity  identity
createTeacher             county_admin child   school_id            SB        #missing
updateTeacher             county_admin child   school_id            SB        #missing
createAccount             county_admin own     scope_code           510105    519999
createAccount             county_admin own     teacher_id           TB        #missing  {"role":"teacher","scope_code":"@SA"}
updateAccount             county_admin child   teacher_id           TB        #missing
updateAccount             county_admin child   roles[].scope_code   510105    519999    {"roles":[{"role":"reviewer","scope_code":"510104"}]}
createProgram             county_admin own     owner_code           510105    519999
enroll                    county_admin child   teacher_id           TB        #missing
assignMany                county_admin parent  teacher_ids          TB        #missing
assignMany                county_admin parent  node                 510105    519999    {"teacher_ids":[]}
substituteEnrollment      county_admin child   teacher_id           TB        #missing
recordHours               county_admin child   teacher_id           TB        #missing
recordHours               county_admin child   enrollment_id        EB        #missing
recordHours               teacher      own     evidence             FB        #missing
setClassTutors            city_admin   child   account_ids          city2     #missing
placeInClass              city_admin   child   enrollment_ids       E         #missing
createAssignment          city_admin   child   class_id             C         #missing
recordAttendance          city_admin   child   present              E         #missing
recordAttendance          city_admin   child   absent               E         #missing
submitCoursework          teacher      own     attachments          FB        #missing
saveCompetencyPlan        school_admin own     school_code          @SB       2151999999
saveCompetencyPlan        school_admin own     points[].code        -         Z9
submitCompetencyEvidence  teacher      -       code                 -         Z9
submitCompetencyEvidence  teacher      -       items[].files        FB        #missing
drawCompetencySpotCheck   county_admin own     county_code          510105    519999
createQuestion            county_admin own     owner_code           510105    519999
publishAnnouncement       county_admin own     node_code            510105    519999
publishAnnouncement       county_admin own     attachments          FB        #missing
updateAnnouncement        county_admin own     node_code            510105    519999
updateAnnouncement        county_admin own     attachments          FB        #missing
importQuestions           county_admin -       ?owner_code          510105    519999
submitResults             county_admin -       ?node                510105    519999
updateQuestion            city_admin   child   owner_code           510700    519999
createQuiz                city_admin   child   class_id             C         #missing
createQuiz                city_admin   child   items[].question_id  QM        #missing
updateQuiz                city_admin   child   class_id             C         #missing  {"@target":"QZD"}
updateQuiz                city_admin   child   items[].question_id  QM        #missing  {"@target":"QZD"}
createLesson              teacher      own     activity_id          -         #missing
createLesson              teacher      own     catalogue_node_id    -         #missing
updateLesson              teacher      own     activity_id          -         #missing
updateLesson              teacher      own     catalogue_node_id    -         #missing
addLessonItem             teacher      own     file_id              FB        #missing
certifyLessonReviewer     city_admin   own     account_id           city2     #missing
certifyLessonReviewer     city_admin   own     home_school_id       SM        #missing
declareLessonConflict     county_admin own     activity_id          -         #missing
declareLessonConflict     county_admin own     reviewer_id          county2   #missing
declareLessonConflict     county_admin own     school_id            SB        #missing  {"teacher_id":null}
declareLessonConflict     county_admin own     teacher_id           TB        #missing
createLessonRound         county_admin -       activity_id          -         #missing
createLessonRound         county_admin -       region_code          510105    519999
createLessonRound         county_admin -       rubric_id            -         #missing
updateLessonRound         county_admin own     activity_id          -         #missing  {"@target":"RDD","activity_id":"@ACT6"}
updateLessonRound         county_admin own     region_code          510105    519999    {"@target":"RDD","activity_id":"@ACT6"}
updateLessonRound         county_admin own     rubric_id            -         #missing  {"@target":"RDD","activity_id":"@ACT6"}
addLessonAssignment       county_admin own     entry_id             RENB      #missing
addLessonAssignment       county_admin own     reviewer_id          county2   #missing
raiseLessonObjection      county_admin own     entry_id             RENB      #missing
requestExport             county_admin -       params.program_id    PQ        #missing  {"kind":"program_report"}
requestExport             county_admin -       params.node          510105    519999    {"kind":"competency_report","params":{"year":2026}}
requestExport             county_admin -       params.school_id     SB        #missing
requestExport             province_admin -     params.activity_id   -         #missing  {"kind":"ministry_list"}
subscribeReport           county_admin -       order.params.program_id  PQ    #missing  {"order":{"kind":"program_report"}}
subscribeReport           county_admin -       order.params.node    510105    519999    {"order":{"kind":"competency_report","params":{"year":2026}}}
subscribeReport           county_admin -       order.params.school_id  SB     #missing
subscribeReport           province_admin -     order.params.activity_id  -    #missing  {"order":{"kind":"ministry_list"}}
"#;

/// An id no row has.
const MISSING_ID: i64 = 987_654_321;

struct Reference {
    op: String,
    role: String,
    rel: String,
    field: String,
    foreign: String,
    missing: String,
    extra: Option<Value>,
}

fn parse_references() -> Vec<Reference> {
    REFERENCES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let rest: Vec<&str> = line.split_whitespace().collect();
            assert!(rest.len() >= 6, "references line: {line}");
            let extra = line
                .find('{')
                .map(|i| serde_json::from_str(&line[i..]).expect("extra body is JSON"));
            Reference {
                op: rest[0].into(),
                role: rest[1].into(),
                rel: rest[2].into(),
                field: rest[3].into(),
                foreign: rest[4].into(),
                missing: rest[5].into(),
                extra,
            }
        })
        .collect()
}

/// Names that mark a reference to another object in a request of the spec.
fn is_reference_name(name: &str) -> bool {
    let extra = [
        "node",
        "evidence",
        "attachments",
        "present",
        "absent",
        "files",
    ];
    ["_id", "_ids", "_code", "_codes"]
        .iter()
        .any(|s| name.ends_with(s))
        || name == "code"
        || extra.contains(&name)
}

/// (operationId, field path) of every reference in a write request of the spec: body properties (nested ones as
/// `items[].question_id`) and query parameters (as `?owner_code`).
fn spec_reference_fields() -> BTreeSet<(String, String)> {
    let spec: Value = serde_json::from_str(&yanxiu::api_service().spec()).expect("spec is JSON");
    let schemas = spec["components"]["schemas"].clone();
    fn resolve<'a>(schemas: &'a Value, mut s: &'a Value) -> &'a Value {
        while let Some(r) = s["$ref"].as_str() {
            s = &schemas[r.rsplit('/').next().unwrap_or_default()];
        }
        s
    }
    fn walk(schemas: &Value, s: &Value, prefix: &str, depth: usize, out: &mut Vec<String>) {
        let s = resolve(schemas, s);
        if depth > 4 {
            return;
        }
        for part in s["allOf"].as_array().into_iter().flatten() {
            walk(schemas, part, prefix, depth + 1, out);
        }
        for (name, p) in s["properties"].as_object().into_iter().flatten() {
            let full = format!("{prefix}{name}");
            if is_reference_name(name) {
                out.push(full.clone());
            }
            let p = resolve(schemas, p);
            if p["type"] == "array" {
                walk(schemas, &p["items"], &format!("{full}[]."), depth + 1, out);
            } else if p["properties"].is_object() || p["allOf"].is_array() {
                walk(schemas, p, &format!("{full}."), depth + 1, out);
            }
        }
    }
    let mut fields = BTreeSet::new();
    for (_, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if !matches!(method.as_str(), "post" | "put" | "patch" | "delete") {
                continue;
            }
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            let mut out = Vec::new();
            for (_, content) in op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                walk(&schemas, &content["schema"], "", 0, &mut out);
            }
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"].as_str().unwrap_or_default();
                if p["in"] == "query" && is_reference_name(name) {
                    out.push(format!("?{name}"));
                }
            }
            for f in out {
                // A multipart upload's `file` is the upload itself, not a reference.
                if f != "file" {
                    fields.insert((id.clone(), f));
                }
            }
        }
    }
    fields
}

#[test]
fn every_reference_field_in_the_spec_has_rows() {
    let rows: BTreeSet<(String, String)> = parse_references()
        .into_iter()
        .map(|r| (r.op, r.field))
        .collect();
    // The `code` of these operations is a one-time password from an authenticator, not a reference to an object.
    let one_time_codes = [
        "loginSecondFactor",
        "startSecondFactorEnrolment",
        "confirmSecondFactorEnrolment",
        "disableSecondFactor",
        "stepUp",
    ];
    // Bulk actions with per-item outcomes answer 200 and refuse a foreign or missing item inside the answer (it stays
    // unchanged); tests/tests/bulk_actions.rs checks those refusals instead of the 404 / 422 asked of the rows here.
    let per_item = [
        ("setTeachersActive", "teacher_ids"),
        ("decideHoursMany", "entry_ids"),
        // The audit log export's `target_id` is a search term over the log's entries, not an object of the request.
        ("requestExport", "params.target_id"),
        ("subscribeReport", "order.params.target_id"),
    ];
    let missing: Vec<String> = spec_reference_fields()
        .into_iter()
        .filter(|(op, field)| !(field == "code" && one_time_codes.contains(&op.as_str())))
        .filter(|(op, field)| !per_item.contains(&(op.as_str(), field.as_str())))
        .filter(|f| !rows.contains(f))
        .map(|(op, field)| format!("{op} {field}"))
        .collect();
    assert!(
        missing.is_empty(),
        "reference fields of write operations without a row in REFERENCES \
         (tests/tests/authorization_matrix.rs): {missing:?}"
    );
}

/// A fixture key, `@KEY` (a school code) or a literal, as the JSON value of a reference.
fn reference_value(fx: &Fx, spec: &str) -> Value {
    if spec == "#missing" {
        json!(MISSING_ID)
    } else if let Some(key) = spec.strip_prefix('@') {
        match fx.school_codes.get(key) {
            Some(code) => json!(code),
            Option::None => json!(fx.ids[key]),
        }
    } else if let Some(id) = fx.ids.get(spec) {
        json!(id)
    } else {
        json!(spec)
    }
}

/// Puts `value` at `path` (`a`, `a[].b`) in `body`: into every element of an array, as a one-element array where the
/// field holds (or the schema expects) a list.
fn set_field(body: &mut Value, path: &str, value: &Value, list: bool) {
    if let Some((head, rest)) = path.split_once("[].") {
        let items = body[head].as_array_mut().expect("array to set into");
        assert!(!items.is_empty(), "{head} has no element to set {rest} in");
        for item in items {
            set_field(item, rest, value, list);
        }
        return;
    }
    // A field of a nested object (`params.program_id`).
    if let Some((head, rest)) = path.split_once('.') {
        if !body[head].is_object() {
            body[head] = json!({});
        }
        set_field(&mut body[head], rest, value, list);
        return;
    }
    body[path] = if list || body[path].is_array() {
        json!([value])
    } else {
        value.clone()
    };
}

fn is_list_field(name: &str) -> bool {
    name.ends_with("_ids")
        || matches!(
            name,
            "evidence" | "attachments" | "present" | "absent" | "files"
        )
}

/// Every row of every table but the ones a rejected request may still write (the audit log, sign-in bookkeeping,
/// the job queue), as one string per table: equal strings before and after a request mean nothing changed.
async fn fingerprint(app: &TestApp) -> BTreeMap<String, String> {
    use sea_orm::{ConnectionTrait, DbBackend, Statement};
    let backend = app.db.get_database_backend();
    let tables_sql = match backend {
        DbBackend::Postgres => {
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    };
    let tables = app
        .db
        .query_all_raw(Statement::from_string(backend, tables_sql))
        .await
        .expect("tables");
    let mut out = BTreeMap::new();
    for t in tables {
        let name: String = t.try_get("", "name").expect("table name");
        if matches!(
            name.as_str(),
            "audit_log" | "audit_entries" | "jobs" | "refresh_tokens" | "seaql_migrations"
        ) || name.starts_with("login")
        {
            continue;
        }
        let sql = match backend {
            DbBackend::Postgres => format!(
                "SELECT COALESCE(string_agg(md5(t::text), ',' ORDER BY md5(t::text)), '') AS f FROM \"{name}\" t"
            ),
            _ => {
                let cols = app
                    .db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("SELECT name FROM pragma_table_info('{name}')"),
                    ))
                    .await
                    .expect("columns");
                let cols: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        let c: String = c.try_get("", "name").expect("column");
                        format!("quote(\"{c}\")")
                    })
                    .collect();
                format!(
                    "SELECT COALESCE(group_concat(r, ','), '') AS f FROM \
                     (SELECT {} AS r FROM \"{name}\" ORDER BY 1)",
                    cols.join(" || '|' || ")
                )
            }
        };
        let row = app
            .db
            .query_one_raw(Statement::from_string(backend, sql))
            .await
            .expect("fingerprint")
            .expect("one row");
        out.insert(name, row.try_get("", "f").expect("fingerprint text"));
    }
    out
}

/// Whether a problem's error field (`items[0].question_id`, `items[0]`, `teacher_id`) is about a reference field
/// of the table (`items[].question_id`, `?owner_code`): the field itself, or the list element that holds it.
fn names(error_field: &str, field: &str) -> bool {
    let mut plain = String::new();
    let mut in_index = false;
    for c in error_field.chars() {
        match c {
            '[' => in_index = true,
            ']' => {
                in_index = false;
                plain.push_str("[]");
            }
            _ if in_index => {}
            _ => plain.push(c),
        }
    }
    let field = field.trim_start_matches('?');
    plain == field || field.starts_with(&format!("{plain}."))
}

fn changed_tables(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    a.iter()
        .filter(|(t, f)| b.get(*t) != Some(*f))
        .map(|(t, _)| t.clone())
        .collect()
}

/// Extra fixture for the references: QM, a question of 绵阳市's bank (outside 成都市); QZD, a draft quiz of PQ;
/// ACT6, an activity with RDD, 锦江区's draft round in it.
async fn build_references(app: &TestApp, fx: &mut Fx) {
    let admin = fx.tokens["province_admin"].clone();
    let mut body = question_body("QM");
    body["owner_code"] = json!("510700");
    let qm = app
        .post("/api/questions", &admin, &body)
        .await
        .expect(200)
        .id();
    fx.ids.insert("QM", qm);
    let path = format!("/api/programs/{}/quizzes", fx.ids["PQ"]);
    let qzd = app
        .post(&path, &admin, &quiz_body(fx.ids["QP"], false))
        .await
        .expect(200)
        .id();
    fx.ids.insert("QZD", qzd);
    let mut activity = lesson_body("createLessonActivity", fx).expect("activity body");
    activity["year"] = json!(2077);
    let act6 = app
        .post("/api/lesson-activities", &admin, &activity)
        .await
        .expect(200)
        .id();
    fx.ids.insert("ACT6", act6);
    let mut round = round_request_body("createLessonRound", fx).expect("round body");
    round["activity_id"] = json!(act6);
    let rdd = app
        .post("/api/lesson-rounds", &fx.tokens["county_admin"], &round)
        .await
        .expect(200)
        .id();
    fx.ids.insert("RDD", rdd);
}

async fn send_reference(
    app: &TestApp,
    fx: &mut Fx,
    ops: &BTreeMap<String, (String, String, bool)>,
    r: &Reference,
    value: &Value,
) -> Resp {
    let row = Row {
        op: r.op.clone(),
        role: r.role.clone(),
        rel: r.rel.clone(),
        status: 0,
        total: None,
        every_role: false,
    };
    if let Some(param) = r.field.strip_prefix('?') {
        // A reference in the query of a multipart import.
        let token = fx.tokens[&r.role].clone();
        let v = value.as_str().map_or(value.to_string(), str::to_string);
        let (path, csv) = match r.op.as_str() {
            "importQuestions" => (
                "/api/questions/import".to_string(),
                "题型,学科,标签,难度,题干,选项A,选项B,答案\n单选,语文,,2,引用题,甲,乙,A\n"
                    .to_string(),
            ),
            "submitResults" => (
                format!("/api/programs/{}/results", fx.ids["P"]),
                format!(
                    "报名编号,结业状态,证书编号/不合格原因\n{},结业,JG-2\n",
                    fx.ids["E"]
                ),
            ),
            other => panic!("{other}: no multipart request for a query reference"),
        };
        return app
            .upload(
                &format!("{path}?dry_run=false&{param}={v}"),
                Some(&token),
                "refs.csv",
                "text/csv",
                csv.into_bytes(),
            )
            .await;
    }
    let Prepared::Json(mut call) = prepare(app, fx, ops, &row).await else {
        panic!("{}: a reference row needs a JSON request", r.op);
    };
    let mut body = call.body.take().unwrap_or_else(|| json!({}));
    if let Some(extra) = &r.extra {
        for (k, v) in extra.as_object().expect("extra is an object") {
            if k == "@target" {
                // Another object of the same kind as the request's target (a draft one, say).
                let key = v.as_str().expect("@target names a fixture key");
                call.path = ops[&r.op].1.replace("{id}", &fx.ids[key].to_string());
                continue;
            }
            let v = match v.as_str() {
                Some(s) if s.starts_with('@') => reference_value(fx, s),
                _ => v.clone(),
            };
            let v = if k == "roles" {
                let mut v = v;
                for role in v.as_array_mut().into_iter().flatten() {
                    if let Some(code) = role["scope_code"].as_str().filter(|c| c.starts_with('@')) {
                        role["scope_code"] = reference_value(fx, code);
                    }
                }
                v
            } else {
                v
            };
            body[k] = v;
        }
    }
    let leaf = r.field.rsplit('.').next().unwrap_or(&r.field);
    set_field(&mut body, &r.field, value, is_list_field(leaf));
    call.body = Some(body);
    call.send(app).await
}

async fn run_references(engine: Engine) {
    let app = TestApp::start(engine, |c| c.login_rate_per_minute = 10_000).await;
    let mut fx = build_fixture(&app).await;
    build_references(&app, &mut fx).await;
    let ops = spec_operations();
    let mut failures = Vec::new();
    let mut ran = 0;
    for r in parse_references() {
        if r.foreign == "identity" {
            continue;
        }
        for (which, spec) in [("foreign", &r.foreign), ("missing", &r.missing)] {
            if spec == "-" {
                continue;
            }
            let value = reference_value(&fx, spec);
            let before = fingerprint(&app).await;
            let resp = send_reference(&app, &mut fx, &ops, &r, &value).await;
            let after = fingerprint(&app).await;
            ran += 1;
            let names_field = resp.error_fields().iter().any(|f| names(f, &r.field));
            let ok = match (which, resp.status) {
                ("foreign", 404) => true,
                (_, 422) => names_field,
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{:<26} {:<13} {:<20} {which:<7} {value}: {} {:?} {}",
                    r.op,
                    r.role,
                    r.field,
                    resp.status,
                    resp.error_fields(),
                    resp.body["detail"]
                ));
            }
            let changed = changed_tables(&before, &after);
            if !changed.is_empty() {
                failures.push(format!(
                    "{:<26} {:<13} {:<20} {which:<7}: rejected but changed {changed:?}",
                    r.op, r.role, r.field
                ));
            }
        }
    }
    assert!(ran > 60, "only {ran} reference checks ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} reference checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_sqlite() {
    run_references(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn references_postgres() {
    run_references(Engine::Postgres).await;
}
