import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../api/client';
import { attendanceOf, byTeacher, gradeProblem, validHours } from './rules';

const sub = (id: number, teacher: number, at: string): Schemas['SubmissionView'] => ({
  id,
  teacher_id: teacher,
  teacher_name: `T${teacher}`,
  submitted_at: at,
  assignment_id: 1,
  enrollment_id: teacher,
  class_id: 1,
  body: '',
  attachments: [],
});

describe('class coursework rules', () => {
  it('needs a whole score 0‥100, a verdict, and a comment when failing', () => {
    expect(gradeProblem({ score: 101, passed: true })).toBe('score');
    expect(gradeProblem({ score: 80.5, passed: true })).toBe('score');
    expect(gradeProblem({ score: 80 })).toBe('passed');
    expect(gradeProblem({ score: 40, passed: false, comment: '  ' })).toBe('comment');
    expect(gradeProblem({ score: 40, passed: false, comment: '请补充反思' })).toBeNull();
    expect(gradeProblem({ score: 0, passed: true })).toBeNull();
  });

  it('keeps hours in half-hour steps within bounds', () => {
    expect(validHours(2.5, 0.5, 24)).toBe(true);
    expect(validHours(2.25, 0.5, 24)).toBe(false);
    expect(validHours(0, 0.5, 24)).toBe(false);
    expect(validHours(0, 0, 200)).toBe(true);
  });

  it('groups submissions by teacher, the newest graded and the rest as history', () => {
    const groups = byTeacher([sub(1, 7, '2026-11-01T08:00:00Z'), sub(2, 8, '2026-11-02T08:00:00Z'), sub(3, 7, '2026-11-03T08:00:00Z')]);
    expect(groups.map((g) => [g.teacherId, g.latest.id, g.history.map((h) => h.id)])).toEqual([
      [7, 3, [1]],
      [8, 2, []],
    ]);
  });

  it('marks every unchecked member absent', () => {
    expect(attendanceOf([1, 2, 3], [3, 1, 9])).toEqual({ present: [1, 3], absent: [2] });
  });
});
