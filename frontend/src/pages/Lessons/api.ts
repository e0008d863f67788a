import type { Schemas } from '../../api/client';

/** 一师一优课 types, all from the generated schema; the pages call the typed client (`api` in api/client). */
export type Activity = Schemas['ActivityView'];
export type ActivityInput = Schemas['ActivityInput'];
export type UploadWindow = Schemas['UploadWindow'];
export type CatalogueNode = Schemas['CatalogueNodeView'];
export type Facets = Schemas['CatalogueFacets'];
export type LessonSummary = Schemas['LessonSummary'];
export type LessonStatus = Schemas['LessonStatus'];
export type ItemKind = Schemas['ItemKind'];
export type MaterialType = Schemas['MaterialType'];
export type LessonDesign = Schemas['LessonDesign'];
export type LessonInput = Schemas['LessonInput'];
export type Requirement = Schemas['Requirement'];
export type Rubric = Schemas['RubricView'];
export type Criterion = Schemas['Criterion'];
export type PoolReviewer = Schemas['PoolReviewerView'];
export type TeacherVerification = Schemas['TeacherVerificationView'];

export type MediaCheck = Schemas['MediaCheck'];
export type MediaInfo = Schemas['MediaView'];
/** FileView with the probed media and the poster flag (the resumable-upload work). */
export type LessonFile = Schemas['FileView'];
export type LessonItem = Schemas['ItemView'];
export type PlayLink = Schemas['PlayLink'];

export type LessonResult = Schemas['LessonRoundResult'];
export type Lesson = Schemas['LessonView'];
export type UploadStatus = Schemas['UploadStatus'];
export type RoundLevel = Schemas['LessonRoundLevel'];
export type AwardLevel = Schemas['LessonAwardLevel'];
export type RoundStatus = Schemas['LessonRoundStatus'];
export type Quota = Schemas['LessonRoundQuota'];
export type RoundInput = Schemas['LessonRoundInput'];
export type Round = Schemas['LessonRoundView'];
export type EntryReviewer = Schemas['LessonEntryReviewer'];
export type Entry = Schemas['LessonRoundEntryView'];
export type Objection = Schemas['LessonObjectionView'];
export type PublicityEntry = Schemas['LessonPublicityEntry'];
export type PublicityRound = Schemas['LessonPublicityRound'];
export type ReviewItem = Schemas['LessonReviewItem'];
export type ReviewScore = Schemas['LessonReviewScore'];
export type ReviewStatusKey = Schemas['LessonReviewStatus'];
export type Review = Schemas['LessonReviewView'];
export type AssignOutcome = Schemas['LessonAssignOutcome'];

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

export const REQUIRED_KINDS: ItemKind[] = ['design', 'courseware', 'video', 'exercise'];
export const OPTIONAL_KINDS: ItemKind[] = ['reflection', 'learner_analysis', 'expert_comment', 'material', 'homework'];
export const MATERIAL_TYPES: MaterialType[] = ['micro_lesson', 'material', 'exercise', 'experiment', 'tool', 'digital_textbook', 'standard_reading', 'textbook_analysis'];
export const LESSON_STATUSES: LessonStatus[] = ['draft', 'submitted', 'returned', 'checked'];
export const ROUND_STATUSES: RoundStatus[] = ['draft', 'reviewing', 'closed', 'publicity', 'published'];
export const ROUND_LEVELS: RoundLevel[] = ['county', 'city', 'province'];
/** Files above this go through the resumable tus upload; smaller ones are a single POST /api/files. */
export const TUS_THRESHOLD = 20 * 1024 * 1024;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

/** The live total of a score sheet: the sum of the points entered (blank counts as 0). */
export function liveTotal(scores: Record<string, number | null | undefined>): number {
  return Object.values(scores).reduce<number>((acc, v) => acc + (typeof v === 'number' && Number.isFinite(v) ? v : 0), 0);
}

/** Which criteria still lack a valid score (0..max, a number). */
export function missingScores(criteria: Criterion[], scores: Record<string, number | null | undefined>): string[] {
  return criteria.filter((c) => {
    const v = scores[c.key];
    return typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > c.max_points;
  }).map((c) => c.key);
}
