import type { AnswerKey, AttemptQuestion, QuestionKind } from '../../api/types';

/**
 * The server clock minus the browser clock, measured when a view carrying `server_now` arrived. The countdown adds
 * it to the browser's clock, so a wrong browser clock (or time zone) does not move the deadline.
 */
export function clockOffset(serverNow: string, receivedAt: number): number {
  const server = Date.parse(serverNow);
  return Number.isFinite(server) ? server - receivedAt : 0;
}

/** Milliseconds left until the server's deadline, by the server's clock (never negative). */
export function remainingMs(deadlineAt: string, offset: number, now: number = Date.now()): number {
  const deadline = Date.parse(deadlineAt);
  if (!Number.isFinite(deadline)) return 0;
  return Math.max(0, deadline - (now + offset));
}

/** 65 000 ms → "01:05"; an hour or more → "1:02:03". Rounded up, so "00:00" is shown only at the end. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** Text answers are saved after a pause in typing; a click on a choice is saved at once. */
export function isTextKind(kind: QuestionKind): boolean {
  return kind === 'blank' || kind === 'short';
}

/** What an input holds for each kind. */
export type InputValue = number | number[] | boolean | string[] | string | undefined;

/** The input's value → the response body (`AnswerKey`-shaped) for the kind; undefined when there is nothing to send. */
export function buildResponse(kind: QuestionKind, value: InputValue, blanks = 0): AnswerKey | undefined {
  switch (kind) {
    case 'single':
      return typeof value === 'number' ? { choice: value } : undefined;
    case 'multiple':
      return Array.isArray(value) ? { choices: [...(value as number[])].sort((a, b) => a - b) } : undefined;
    case 'true_false':
      return typeof value === 'boolean' ? { value } : undefined;
    case 'blank': {
      if (!Array.isArray(value)) return undefined;
      const list = Array.from({ length: Math.max(blanks, value.length) }, (_, i) => String((value as string[])[i] ?? ''));
      return { blanks: list };
    }
    case 'short':
      return typeof value === 'string' ? { text: value } : undefined;
    default:
      return undefined;
  }
}

/** A saved response → the input's value. */
export function responseValue(kind: QuestionKind, r: AnswerKey | undefined | null, blanks = 0): InputValue {
  switch (kind) {
    case 'single':
      return r?.choice ?? undefined;
    case 'multiple':
      return r?.choices ?? [];
    case 'true_false':
      return r?.value ?? undefined;
    case 'blank':
      return Array.from({ length: blanks }, (_, i) => r?.blanks?.[i] ?? '');
    case 'short':
      return r?.text ?? '';
    default:
      return undefined;
  }
}

/** Whether a response answers the question: a choice made, every blank filled, some text written. */
export function isAnswered(kind: QuestionKind, r: AnswerKey | undefined | null, blanks = 0): boolean {
  if (!r) return false;
  switch (kind) {
    case 'single':
      return typeof r.choice === 'number';
    case 'multiple':
      return (r.choices?.length ?? 0) > 0;
    case 'true_false':
      return typeof r.value === 'boolean';
    case 'blank': {
      const filled = (r.blanks ?? []).filter((b) => b.trim() !== '').length;
      return filled > 0 && filled >= blanks;
    }
    case 'short':
      return !!r.text?.trim();
    default:
      return false;
  }
}

/** Questions without an answer, counting the local (maybe not yet saved) responses over the server's. */
export function unansweredCount(questions: readonly AttemptQuestion[], local: Readonly<Record<number, AnswerKey | undefined>> = {}): number {
  return questions.filter((q) => !isAnswered(q.kind, q.question_id in local ? local[q.question_id] : q.response, q.blanks)).length;
}

/** A response or answer key as text, e.g. "B、D", "对", "3.14 / π", for the result view. */
export function describeResponse(
  kind: QuestionKind,
  r: AnswerKey | undefined | null,
  options: readonly { key: number; text: string }[],
  words: { true: string; false: string; none: string },
): string {
  if (!r) return words.none;
  const letter = (key: number) => {
    const i = options.findIndex((o) => o.key === key);
    return i >= 0 ? `${String.fromCharCode(65 + i)}. ${options[i].text}` : `#${key}`;
  };
  switch (kind) {
    case 'single':
      return typeof r.choice === 'number' ? letter(r.choice) : words.none;
    case 'multiple':
      return r.choices?.length
        ? [...r.choices]
            .map((k) => ({ k, i: options.findIndex((o) => o.key === k) }))
            .sort((a, b) => a.i - b.i)
            .map(({ k }) => letter(k))
            .join('；')
        : words.none;
    case 'true_false':
      return typeof r.value === 'boolean' ? (r.value ? words.true : words.false) : words.none;
    case 'blank':
      return r.blanks?.some((b) => b.trim()) ? r.blanks.map((b, i) => `(${i + 1}) ${b.split('|').join(' / ') || '—'}`).join('  ') : words.none;
    case 'short':
      return r.text?.trim() ? r.text : words.none;
    default:
      return words.none;
  }
}

/** A grade for a short answer: a number 0‥points, and a comment (the teacher learns why). */
export function gradeProblem(score: unknown, points: number, comment: string | undefined): 'score' | 'comment' | null {
  if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > points) return 'score';
  if (!comment?.trim()) return 'comment';
  return null;
}

/**
 * While short answers wait for a tutor the attempt has no total yet: what the objective questions scored, out of
 * their own points, or undefined when their scores are not shown yet (the quiz reveals them later).
 */
export function objectivePart(questions: readonly Pick<AttemptQuestion, 'kind' | 'points' | 'score'>[]): { score: number; total: number } | undefined {
  const objective = questions.filter((q) => q.kind !== 'short');
  if (objective.some((q) => q.score === undefined || q.score === null)) return undefined;
  return {
    score: objective.reduce((sum, q) => sum + (q.score ?? 0), 0),
    total: objective.reduce((sum, q) => sum + q.points, 0),
  };
}
