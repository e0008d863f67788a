import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { Quiz } from '../../api/types';
import { fromQuiz, KEY_REVIEWS, paperField, paperTotal, quizPhase, takerAction, toQuizInput, type QuizValues } from './rules';

const values: QuizValues = {
  title: ' 第一单元测验 ',
  description: '',
  class_id: null,
  mode: 'fixed',
  sections: [{ tag: ' 分数 ', subject: '', difficulty: null, kind: null, count: 3, points: 2 }],
  window: [dayjs('2026-12-01T08:00:00Z'), dayjs('2026-12-08T08:00:00Z')],
  time_limit_minutes: 30,
  attempts_allowed: 2,
  pass_score: 6,
};

describe('quiz builder', () => {
  it('sends the fixed paper with point overrides only where given', () => {
    const body = toQuizInput(values, [{ question_id: 5 }, { question_id: 9, points: 4 }, { question_id: 2, points: null }]);
    expect(body).toMatchObject({
      title: '第一单元测验',
      mode: 'fixed',
      items: [{ question_id: 5 }, { question_id: 9, points: 4 }, { question_id: 2 }],
      sections: [],
      opens_at: '2026-12-01T08:00:00.000Z',
      closes_at: '2026-12-08T08:00:00.000Z',
      shuffle_options: false,
      counts_for_completion: false,
    });
    expect(body).not.toHaveProperty('class_id');
  });
  it('sends a random paper’s sections without empty filters', () => {
    const body = toQuizInput({ ...values, mode: 'random', class_id: 7, counts_for_completion: true }, [{ question_id: 5 }]);
    expect(body.items).toEqual([]);
    expect(body.sections).toEqual([{ tag: '分数', count: 3, points: 2 }]);
    expect(body).toMatchObject({ class_id: 7, counts_for_completion: true });
  });
  it('sends the answer-key review policy, the server’s default when none was chosen', () => {
    expect(toQuizInput(values, []).key_review).toBe('after_close');
    expect(toQuizInput({ ...values, key_review: 'never' }, []).key_review).toBe('never');
    expect(KEY_REVIEWS).toEqual(['after_close', 'after_last_attempt', 'after_each_attempt', 'never']);
  });
  it('round-trips a saved quiz', () => {
    const q = { ...toQuizInput(values, [{ question_id: 5, points: 3 }]), id: 1, class_id: undefined, sections: [], status: 'draft' } as unknown as Quiz;
    const { values: v, items } = fromQuiz(q);
    expect(items).toEqual([{ question_id: 5, points: 3 }]);
    expect(v.window[0].toISOString()).toBe('2026-12-01T08:00:00.000Z');
  });
  it('totals the paper', () => {
    const own = (id: number) => ({ 5: 2, 9: 1 })[id];
    expect(paperTotal('fixed', [{ question_id: 5 }, { question_id: 9, points: 4 }], own)).toBe(6);
    expect(paperTotal('random', [], own, [{ count: 3, points: 2 }, { count: 2, points: 0.5 }])).toBe(7);
  });
  it('finds the section or item a 422 names', () => {
    expect(paperField('sections[1]')).toEqual(['sections', 1]);
    expect(paperField('body.items[0].question_id')).toEqual(['items', 0]);
    expect(paperField('pass_score')).toBeNull();
  });
  it('knows the phase and what a teacher may do', () => {
    const q = { status: 'published' as const, opens_at: '2026-12-01T00:00:00Z', closes_at: '2026-12-02T00:00:00Z', attempts_allowed: 2 };
    const at = (s: string) => Date.parse(s);
    expect(quizPhase({ ...q, status: 'draft' as const })).toBe('draft');
    expect(quizPhase(q, at('2026-11-30T00:00:00Z'))).toBe('upcoming');
    expect(quizPhase(q, at('2026-12-02T00:00:00Z'))).toBe('closed');
    expect(takerAction({ ...q, mine: { attempts_used: 1, passed: false } }, at('2026-12-01T10:00:00Z'))).toBe('start');
    expect(takerAction({ ...q, mine: { attempts_used: 2, passed: false } }, at('2026-12-01T10:00:00Z'))).toBeNull();
    expect(takerAction({ ...q, mine: { attempts_used: 1, passed: false, active_attempt_id: 4 } }, at('2026-12-01T10:00:00Z'))).toBe('resume');
    expect(takerAction(q, at('2026-12-03T00:00:00Z'))).toBeNull();
  });
});
