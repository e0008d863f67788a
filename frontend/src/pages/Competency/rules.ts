import type { Schemas } from '../../api/client';

/** The grade a checklist earns (the server derives the same, never trusting a typed grade): 优秀 only when every 优秀
 * criterion holds and every 合格 one too, 合格 when every 合格 criterion holds, otherwise 不合格. */
export type Grade = Schemas['Grade'];

export function deriveGrade(excellent: readonly boolean[], pass: readonly boolean[]): Grade {
  const all = (v: readonly boolean[]) => v.length > 0 && v.every(Boolean);
  if (all(pass) && all(excellent)) return 'excellent';
  if (all(pass)) return 'pass';
  return 'fail';
}

/** Whether the reviewer must write a comment: on 不合格, and on a county grade that overrides the school's. */
export function commentRequired(grade: Grade, schoolGrade?: Grade | null): boolean {
  return grade === 'fail' || (schoolGrade != null && schoolGrade !== grade);
}

/** How many submissions a draw of `share` percent takes from `population` (rounded up, as the server does). */
export function sampleSize(population: number, share: number): number {
  return Math.ceil((population * Math.min(100, Math.max(0, share))) / 100);
}

/** The status dot of a grade (a dot and plain text: antd's coloured tags fail contrast). */
export function gradeStatus(grade?: Grade | null): 'success' | 'processing' | 'error' | 'default' {
  if (grade === 'excellent') return 'success';
  if (grade === 'pass') return 'processing';
  if (grade === 'fail') return 'error';
  return 'default';
}

/** A fresh checklist for a card: nothing ticked. */
export function emptyChecks(excellent: number, pass: number): { excellent: boolean[]; pass: boolean[] } {
  return { excellent: Array<boolean>(excellent).fill(false), pass: Array<boolean>(pass).fill(false) };
}
