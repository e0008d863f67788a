import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AttemptQuestion } from '../../api/types';
import { buildResponse, clockOffset, describeResponse, formatRemaining, gradeProblem, isAnswered, objectivePart, remainingMs, responseValue, unansweredCount } from './rules';
import { AnswerSaver, type SaveState } from './saver';

const q = (question_id: number, kind: AttemptQuestion['kind'], extra: Partial<AttemptQuestion> = {}): AttemptQuestion => ({
  question_id,
  position: question_id,
  kind,
  stem: `题${question_id}`,
  options: kind === 'single' || kind === 'multiple' ? [{ key: 2, text: '丙' }, { key: 0, text: '甲' }, { key: 1, text: '乙' }] : [],
  blanks: kind === 'blank' ? 2 : 0,
  points: 5,
  ...extra,
});

describe('countdown from the server clock', () => {
  it('measures the offset when the view arrives and ignores the browser clock', () => {
    // The browser is 10 minutes fast: it receives server_now 10:00:00 at its own 10:10:00.
    const received = Date.parse('2026-11-29T10:10:00Z');
    const offset = clockOffset('2026-11-29T10:00:00Z', received);
    expect(offset).toBe(-600_000);
    // 30 s later by the browser's clock, 30 min deadline from server 10:00 → 29:30 left.
    expect(remainingMs('2026-11-29T10:30:00Z', offset, received + 30_000)).toBe(29 * 60_000 + 30_000);
    expect(remainingMs('2026-11-29T10:30:00Z', offset, received + 31 * 60_000)).toBe(0);
  });
  it('formats minutes and hours, rounding up', () => {
    expect(formatRemaining(65_000)).toBe('01:05');
    expect(formatRemaining(64_001)).toBe('01:05');
    expect(formatRemaining(3_723_000)).toBe('1:02:03');
    expect(formatRemaining(0)).toBe('00:00');
    expect(formatRemaining(-5)).toBe('00:00');
  });
});

describe('responses per kind', () => {
  it('builds the AnswerKey-shaped body', () => {
    expect(buildResponse('single', 2)).toEqual({ choice: 2 });
    expect(buildResponse('multiple', [3, 0, 1])).toEqual({ choices: [0, 1, 3] });
    expect(buildResponse('true_false', false)).toEqual({ value: false });
    expect(buildResponse('blank', ['3.14'], 2)).toEqual({ blanks: ['3.14', ''] });
    expect(buildResponse('short', '答')).toEqual({ text: '答' });
    expect(buildResponse('single', undefined)).toBeUndefined();
  });
  it('reads a saved response back into the input', () => {
    expect(responseValue('single', { choice: 1 })).toBe(1);
    expect(responseValue('multiple', undefined)).toEqual([]);
    expect(responseValue('true_false', { value: true })).toBe(true);
    expect(responseValue('blank', { blanks: ['a'] }, 3)).toEqual(['a', '', '']);
    expect(responseValue('short', null)).toBe('');
  });
  it('knows what counts as answered', () => {
    expect(isAnswered('single', { choice: 0 })).toBe(true);
    expect(isAnswered('multiple', { choices: [] })).toBe(false);
    expect(isAnswered('true_false', { value: false })).toBe(true);
    expect(isAnswered('blank', { blanks: ['x', ' '] }, 2)).toBe(false);
    expect(isAnswered('blank', { blanks: ['x', 'y'] }, 2)).toBe(true);
    expect(isAnswered('short', { text: '  ' })).toBe(false);
  });
  it('counts unanswered questions, local changes over saved ones', () => {
    const paper = [q(1, 'single', { response: { choice: 0 } }), q(2, 'multiple'), q(3, 'true_false'), q(4, 'blank'), q(5, 'short', { response: { text: '旧' } })];
    expect(unansweredCount(paper)).toBe(3);
    expect(unansweredCount(paper, { 2: { choices: [1] }, 5: { text: '' } })).toBe(3);
    expect(unansweredCount(paper, { 2: { choices: [1] }, 3: { value: true }, 4: { blanks: ['a', 'b'] } })).toBe(0);
  });
  it('describes a response with the letters of the order shown', () => {
    const words = { true: '对', false: '错', none: '未作答' };
    const opts = q(1, 'multiple').options;
    expect(describeResponse('single', { choice: 0 }, opts, words)).toBe('B. 甲');
    expect(describeResponse('multiple', { choices: [1, 2] }, opts, words)).toBe('A. 丙；C. 乙');
    expect(describeResponse('true_false', { value: false }, [], words)).toBe('错');
    expect(describeResponse('blank', { blanks: ['3.14|π', 'x'] }, [], words)).toBe('(1) 3.14 / π  (2) x');
    expect(describeResponse('short', undefined, [], words)).toBe('未作答');
  });
  it('a short-answer grade stays within the points and needs a comment', () => {
    expect(gradeProblem(4, 5, '要点齐全')).toBeNull();
    expect(gradeProblem(6, 5, '多了')).toBe('score');
    expect(gradeProblem(undefined, 5, 'x')).toBe('score');
    expect(gradeProblem(3, 5, ' ')).toBe('comment');
  });
});

describe('autosave', () => {
  afterEach(() => vi.useRealTimers());

  it('debounces typing and sends only the latest text', async () => {
    vi.useFakeTimers();
    const sent: unknown[] = [];
    const states: SaveState['status'][] = [];
    const saver = new AnswerSaver(
      async (_id, r) => {
        sent.push(r);
        return { saved_at: '2026-11-29T10:00:05Z' };
      },
      (_id, s) => states.push(s.status),
      600,
    );
    saver.change(7, { text: '一' }, true);
    await vi.advanceTimersByTimeAsync(300);
    saver.change(7, { text: '一二' }, true);
    await vi.advanceTimersByTimeAsync(599);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([{ text: '一二' }]);
    expect(states.at(-1)).toBe('saved');
  });

  it('keeps one request per question in flight and sends a later change after it', async () => {
    const sent: unknown[] = [];
    let release: () => void = () => undefined;
    const saver = new AnswerSaver(
      (_id, r) => {
        sent.push(r);
        return new Promise((ok) => (release = () => ok({ saved_at: 'x' })));
      },
      () => undefined,
    );
    saver.change(1, { choice: 0 }, false);
    saver.change(1, { choice: 1 }, false);
    saver.change(1, { choice: 2 }, false);
    expect(sent).toEqual([{ choice: 0 }]);
    release();
    await vi.waitFor(() => expect(sent).toEqual([{ choice: 0 }, { choice: 2 }]));
    release();
    await saver.flush();
    expect(saver.unsaved()).toEqual([]);
  });

  it('reports a failure and retries on flush', async () => {
    let fail = true;
    const states: SaveState[] = [];
    const saver = new AnswerSaver(
      async () => {
        if (fail) throw new Error('offline');
        return { saved_at: 's' };
      },
      (_id, s) => states.push(s),
    );
    saver.change(3, { value: true }, false);
    await vi.waitFor(() => expect(states.at(-1)?.status).toBe('error'));
    expect(saver.unsaved()).toEqual([3]);
    await expect(saver.flush()).rejects.toThrow();
    fail = false;
    await saver.flush();
    expect(states.at(-1)).toEqual({ status: 'saved', savedAt: 's' });
  });
});

describe('objectivePart', () => {
  it('sums the objective questions out of their own points while a short answer waits', () => {
    const questions = [
      { kind: 'single' as const, points: 1, score: 1 },
      { kind: 'multiple' as const, points: 1, score: 1 },
      { kind: 'true_false' as const, points: 1, score: 0 },
      { kind: 'short' as const, points: 1, score: undefined },
    ];
    expect(objectivePart(questions)).toEqual({ score: 2, total: 3 });
  });

  it('is unknown while the objective scores are not shown', () => {
    expect(objectivePart([{ kind: 'single' as const, points: 2, score: undefined }])).toBeUndefined();
  });
});
