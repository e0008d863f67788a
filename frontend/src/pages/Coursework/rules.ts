/** A failing grade needs a comment (the teacher learns why); a score is a whole number 0‥100. */
export function gradeProblem(score: unknown, passed: boolean | undefined, comment: string | undefined): 'score' | 'passed' | 'comment' | null {
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 100) return 'score';
  if (passed === undefined) return 'passed';
  if (!passed && !comment?.trim()) return 'comment';
  return null;
}

/** Where a teacher stands with an assignment, as one locale key. */
export function standing(status: string, passed?: boolean): string {
  if (status === 'graded') return passed ? 'coursework.passed' : 'coursework.failed';
  return `coursework.status.${status}`;
}
