import { describe, expect, it } from 'vitest';
import { gradeProblem, standing } from './rules';

describe('grading', () => {
  it('needs a whole score 0‥100 and a verdict', () => {
    expect(gradeProblem(85, true, undefined)).toBeNull();
    expect(gradeProblem(101, true, '')).toBe('score');
    expect(gradeProblem(8.5, true, '')).toBe('score');
    expect(gradeProblem(undefined, true, '')).toBe('score');
    expect(gradeProblem(60, undefined, '')).toBe('passed');
  });
  it('a fail needs a comment', () => {
    expect(gradeProblem(40, false, '  ')).toBe('comment');
    expect(gradeProblem(40, false, '缺少教学反思')).toBeNull();
  });
  it('standing reads 通过 / 未通过 once graded', () => {
    expect(standing('graded', true)).toBe('coursework.passed');
    expect(standing('graded', false)).toBe('coursework.failed');
    expect(standing('submitted')).toBe('coursework.status.submitted');
  });
});
