import type { Schemas } from '../../api/client';

type Submission = Schemas['SubmissionView'];

export interface GradeValues {
  score?: number;
  passed?: boolean;
  comment?: string;
}

/** What is wrong with a grade, as the field to mark: a whole score 0‥100, a verdict, a comment when it fails. */
export function gradeProblem(v: GradeValues): 'score' | 'passed' | 'comment' | null {
  const { score, passed, comment } = v;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 100) return 'score';
  if (passed === undefined) return 'passed';
  if (!passed && !comment?.trim()) return 'comment';
  return null;
}

/** Hours move in half-hour steps within [min, max]. */
export function validHours(h: unknown, min: number, max: number): boolean {
  return typeof h === 'number' && h >= min && h <= max && Number.isInteger(h * 2);
}

export interface TeacherSubmissions {
  teacherId: number;
  teacherName: string;
  /** the newest submission: the one that is graded */
  latest: Submission;
  /** earlier submissions, newest first (the resubmission history) */
  history: Submission[];
}

/** Groups an assignment's submissions by teacher, newest first; only the newest of each teacher is graded. */
export function byTeacher(items: readonly Submission[]): TeacherSubmissions[] {
  const sorted = [...items].sort((a, b) => b.submitted_at.localeCompare(a.submitted_at) || b.id - a.id);
  const groups = new Map<number, TeacherSubmissions>();
  for (const s of sorted) {
    const g = groups.get(s.teacher_id);
    if (g) g.history.push(s);
    else groups.set(s.teacher_id, { teacherId: s.teacher_id, teacherName: s.teacher_name, latest: s, history: [] });
  }
  return [...groups.values()];
}

/** Attendance of one session from the checked members: everyone else of the class is absent. */
export function attendanceOf(members: readonly number[], present: readonly number[]): { present: number[]; absent: number[] } {
  const here = new Set(present);
  return { present: members.filter((m) => here.has(m)), absent: members.filter((m) => !here.has(m)) };
}
