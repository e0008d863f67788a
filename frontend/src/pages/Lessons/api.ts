import { apiUrl, authFetch } from '../../api/http';
import { errorFromResponse } from '../../api/problem';
import type { Schemas } from '../../api/client';

/**
 * 一师一优课 types. Part A (activities, catalogue, lessons, check, rubrics, pool) comes from the generated schema;
 * the rounds / review endpoints (contract Part B) and the upload status are called through `call` with the shapes
 * below until their operations are in openapi.json.
 */
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

// Part B (rounds and review), generated since the review work reached main.
export type LessonResult = Schemas['LessonRoundResult'];
export type Lesson = Schemas['LessonView'];
export type UploadStatus = Schemas['UploadStatus'];
export type RoundLevel = Schemas['LessonRoundLevel'];
export type RoundStatus = Schemas['LessonRoundStatus'];
export type Quota = Schemas['LessonRoundQuota'];
export type RoundInput = Schemas['LessonRoundInput'];
export type Round = Schemas['LessonRoundView'];
export type EntryReviewer = Omit<Schemas['LessonEntryReviewer'], 'status'> & { status: ReviewStatusKey };
export type Entry = Omit<Schemas['LessonRoundEntryView'], 'reviewers'> & { reviewers: EntryReviewer[] };
export type Objection = Schemas['LessonObjectionView'];
export type PublicityEntry = Schemas['LessonPublicityEntry'];
export type PublicityRound = Schemas['LessonPublicityRound'];
export type ReviewItem = Omit<Schemas['LessonReviewItem'], 'kind' | 'material_type'> & { kind: ItemKind; material_type?: MaterialType };
export type ReviewScore = Schemas['LessonReviewScore'];
export type ReviewStatusKey = Schemas['LessonReviewStatus'];
export type Review = Omit<Schemas['LessonReviewView'], 'items'> & { items: ReviewItem[] };
export type AssignOutcome = Schemas['LessonAssignOutcome'];

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  page_size: number;
}

/** A JSON request with the bearer token (and its refresh); throws an ApiError on a problem+json answer. */
export async function call<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: { query?: Record<string, unknown>; body?: unknown } = {}): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (opts.body !== undefined) {
    init.body = JSON.stringify(opts.body);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  const response = await authFetch(new Request(apiUrl(path, opts.query), init));
  if (!response.ok) throw await errorFromResponse(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
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
