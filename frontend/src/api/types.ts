import type { Schemas } from './client';

// One place that names the backend's schemas, so a rename in openapi.json is fixed here only.
export type Me = Schemas['MeResponse'];
export type RoleBinding = Schemas['RoleGrantView'];
export type Role = Schemas['Role'];
export type School = Schemas['SchoolView'];
export type SchoolInput = Schemas['SchoolInput'];
export type Stage = Schemas['Stage'];
export type UrbanRural = Schemas['UrbanRural'];
export type Gender = Schemas['Gender'];
export type Teacher = Schemas['TeacherView'];
export type TeacherInput = Schemas['TeacherInput'];
export type TeacherUpdate = Schemas['TeacherUpdate'];
export type Account = Schemas['AccountView'];
export type AccountCreate = Schemas['NewAccount'];
export type AccountUpdate = Schemas['AccountUpdate'];
export type AccountSort = Schemas['AccountSort'];
export type RegionNode = Schemas['RegionNode'];
export type Region = Schemas['RegionView'];
export type TokenPair = Schemas['TokenResponse'];
export type Program = Schemas['ProgramView'];
export type ProgramInput = Schemas['ProgramInput'];
export type ProgramLevel = Schemas['ProgramLevel'];
export type HourCategory = Schemas['HourCategory'];
export type Quota = Schemas['QuotaView'];
export type Enrollment = Schemas['EnrollmentView'];
export type ProgramStatus = Schemas['ProgramStatus'];
export type ReviewStatus = Schemas['ReviewStatus'];
export type TrainingStatus = Schemas['TrainingStatus'];
export type ReviewLevel = Schemas['ReviewLevel'];

// Import results travel over XHR (for upload progress) rather than openapi-fetch, typed from the same spec.
export type RowError = Schemas['ImportRowError'];
export type ImportReport = Schemas['ImportReport'];

export type ImportKind = 'schools' | 'teachers';
export type ExportKind = 'schools' | 'teachers' | 'accounts';

export interface PageResult<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export type HourEntry = Schemas['HourEntryView'];
export type HourEntryInput = Schemas['HourEntryInput'];
export type HourSource = Schemas['HourSource'];
export type HourStatus = Schemas['HourStatus'];
export type FileView = Schemas['FileView'];
export type CycleTotal = Schemas['CycleTotal'];
export type Certificate = Schemas['CertificateView'];
export type JobView = Schemas['JobView'];
export type InboxMessageView = Schemas['InboxMessageView'];
export type MailChoice = Schemas['MailChoice'];
export type AnnouncementView = Schemas['AnnouncementView'];
export type AnnouncementReadCounts = Schemas['AnnouncementReadCounts'];
export type JobKind = Schemas['JobKind'];
export type JobStatus = Schemas['JobStatus'];
export type AuditLogEntry = Schemas['AuditLogEntry'];
export type AuditVerifyReport = Schemas['AuditVerifyReport'];
export type CertificateVerification = Schemas['CertificateVerification'];
export type CompletionReport = Schemas['CompletionReport'];
export type AnnualReport = Schemas['AnnualReport'];
export type AnnualRow = Schemas['AnnualRow'];
export type TeacherRecord = Schemas['TeacherRecord'];
export type ReportRow = Schemas['ReportRow'];

// 测验 (tag "Assessments")
export type QuestionKind = Schemas['QuestionKind'];
export type PaperMode = Schemas['PaperMode'];
export type AttemptStatus = Schemas['AttemptStatus'];
export type AnswerKey = Schemas['AnswerKey'];
export type Question = Schemas['QuestionView'];
export type QuestionInput = Schemas['QuestionInput'];
export type QuestionImportReport = Schemas['QuestionImportReport'];
export type Quiz = Schemas['QuizView'];
export type QuizInput = Schemas['QuizInput'];
export type PaperSection = Schemas['PaperSection'];
export type FixedItem = Schemas['FixedItem'];
export type Attempt = Schemas['AttemptView'];
export type AttemptQuestion = Schemas['AttemptQuestion'];
export type AttemptSummary = Schemas['AttemptSummary'];
export type AnswerSaved = Schemas['AnswerSaved'];

// The export center: exports made in the background and report subscriptions.
export type BackgroundExportKind = Schemas['ExportKind'];
export type ExportStatus = Schemas['ExportStatus'];
export type ExportParams = Schemas['ExportParams'];
export type ExportOrder = Schemas['ExportOrder'];
export type ExportView = Schemas['ExportView'];
export type ReportCadence = Schemas['ReportCadence'];
export type ReportSubscription = Schemas['ReportSubscriptionView'];
