import { describe, expect, it } from 'vitest';
import { commentRequired, deriveGrade, emptyChecks, gradeStatus, sampleSize } from './rules';

describe('能力点 grading', () => {
  it('derives the grade from every criterion of its level', () => {
    expect(deriveGrade([true, true], [true, true])).toBe('excellent');
    expect(deriveGrade([true, false], [true, true])).toBe('pass');
    expect(deriveGrade([true, true], [true, false])).toBe('fail');
    expect(deriveGrade([], [true])).toBe('pass');
    expect(deriveGrade([true], [])).toBe('fail');
  });
  it('asks for a comment on 不合格 and on an override', () => {
    expect(commentRequired('fail')).toBe(true);
    expect(commentRequired('pass')).toBe(false);
    expect(commentRequired('pass', 'pass')).toBe(false);
    expect(commentRequired('pass', 'excellent')).toBe(true);
  });
  it('sizes a draw like the server (rounded up)', () => {
    expect(sampleSize(10, 25)).toBe(3);
    expect(sampleSize(4, 1)).toBe(1);
    expect(sampleSize(0, 50)).toBe(0);
    expect(sampleSize(7, 100)).toBe(7);
  });
  it('starts unticked and colours grades', () => {
    expect(emptyChecks(2, 1)).toEqual({ excellent: [false, false], pass: [false] });
    expect(gradeStatus('fail')).toBe('error');
    expect(gradeStatus(undefined)).toBe('default');
  });
});
