import dayjs, { type Dayjs } from 'dayjs';
import type { PaperMode, PaperSection, Quiz, QuizInput } from '../../api/types';

export interface ItemRow {
  question_id: number;
  /** Points on this paper; empty = the question's own. */
  points?: number | null;
}

export interface SectionRow {
  tag?: string;
  difficulty?: number | null;
  kind?: PaperSection['kind'] | null;
  subject?: string;
  count: number;
  points: number;
}

export interface QuizValues {
  title: string;
  description?: string;
  class_id?: number | null;
  mode: PaperMode;
  sections?: SectionRow[];
  window: [Dayjs, Dayjs];
  time_limit_minutes: number;
  attempts_allowed: number;
  pass_score: number;
  shuffle_options?: boolean;
  counts_for_completion?: boolean;
  key_review?: KeyReview;
}

export type KeyReview = QuizInput['key_review'];
/** The review policies in the order the form offers them; the server's default (after the quiz closes) first. */
export const KEY_REVIEWS: readonly NonNullable<KeyReview>[] = ['after_close', 'after_last_attempt', 'after_each_attempt', 'never'];

/** Form values (+ the fixed paper's rows) → the API body; empty section filters and point overrides are left out. */
export function toQuizInput(v: QuizValues, items: readonly ItemRow[]): QuizInput {
  const body: QuizInput = {
    title: v.title.trim(),
    description: (v.description ?? '').trim(),
    mode: v.mode,
    items: v.mode === 'fixed' ? items.map((i) => (typeof i.points === 'number' ? { question_id: i.question_id, points: i.points } : { question_id: i.question_id })) : [],
    sections:
      v.mode === 'random'
        ? (v.sections ?? []).map((s) => {
            const out: PaperSection = { count: s.count, points: s.points };
            if (s.tag?.trim()) out.tag = s.tag.trim();
            if (s.subject?.trim()) out.subject = s.subject.trim();
            if (typeof s.difficulty === 'number') out.difficulty = s.difficulty;
            if (s.kind) out.kind = s.kind;
            return out;
          })
        : [],
    opens_at: v.window[0].toISOString(),
    closes_at: v.window[1].toISOString(),
    time_limit_minutes: v.time_limit_minutes,
    attempts_allowed: v.attempts_allowed,
    pass_score: v.pass_score,
    shuffle_options: !!v.shuffle_options,
    counts_for_completion: !!v.counts_for_completion,
    key_review: v.key_review ?? 'after_close',
  };
  if (typeof v.class_id === 'number') body.class_id = v.class_id;
  return body;
}

/** A saved quiz → the form's values and the fixed paper's rows. */
export function fromQuiz(q: Quiz): { values: QuizValues; items: ItemRow[] } {
  return {
    values: {
      title: q.title,
      description: q.description,
      class_id: q.class_id ?? null,
      mode: q.mode,
      sections: q.sections.map((s) => ({ ...s })),
      window: [dayjs(q.opens_at), dayjs(q.closes_at)],
      time_limit_minutes: q.time_limit_minutes,
      attempts_allowed: q.attempts_allowed,
      pass_score: q.pass_score,
      shuffle_options: q.shuffle_options,
      counts_for_completion: q.counts_for_completion,
      key_review: q.key_review,
    },
    items: q.items.map((i) => ({ question_id: i.question_id, points: i.points ?? null })),
  };
}

/** The paper's total: fixed rows at their override or the question's own points; sections count × points. */
export function paperTotal(mode: PaperMode, items: readonly ItemRow[], ownPoints: (id: number) => number | undefined, sections: readonly Partial<SectionRow>[] = []): number {
  const sum =
    mode === 'fixed'
      ? items.reduce((acc, i) => acc + (typeof i.points === 'number' ? i.points : (ownPoints(i.question_id) ?? 0)), 0)
      : sections.reduce((acc, s) => acc + (s?.count ?? 0) * (s?.points ?? 0), 0);
  return Math.round(sum * 100) / 100;
}

/** `sections[2]`, `body.sections[2].count`, `items[0]` → ['sections', 2]; other fields → null. */
export function paperField(field: string): ['sections' | 'items', number] | null {
  const m = /(sections|items)\[(\d+)\]/.exec(field) ?? /(sections|items)[./](\d+)/.exec(field);
  return m ? [m[1] as 'sections' | 'items', Number(m[2])] : null;
}

export type Phase = 'draft' | 'upcoming' | 'open' | 'closed';

/** Where a quiz stands now: a draft, not yet open, open, or past its window. */
export function quizPhase(q: Pick<Quiz, 'status' | 'opens_at' | 'closes_at'>, now: number = Date.now()): Phase {
  if (q.status === 'draft') return 'draft';
  if (now < Date.parse(q.opens_at)) return 'upcoming';
  if (now >= Date.parse(q.closes_at)) return 'closed';
  return 'open';
}

/** What a teacher can do with a quiz now: resume the running attempt, start one, or nothing. */
export function takerAction(q: Pick<Quiz, 'status' | 'opens_at' | 'closes_at' | 'attempts_allowed' | 'mine'>, now: number = Date.now()): 'resume' | 'start' | null {
  if (q.mine?.active_attempt_id) return 'resume';
  if (quizPhase(q, now) !== 'open') return null;
  return (q.mine?.attempts_used ?? 0) < q.attempts_allowed ? 'start' : null;
}
