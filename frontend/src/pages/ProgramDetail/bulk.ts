import type { Schemas } from '../../api/client';
import type { Stage } from '../../api/types';

export type BulkReport = Schemas['BulkAssignReport'];
export type FileReport = Schemas['ImportReport'];

export interface FilterValues {
  node: string;
  stage?: Stage;
  subject?: string;
}

/** The `assignMany` body for a filter: the node trimmed, blank 学段 / 学科 left out (they would match nothing);
 * no `teacher_ids` (empty: the filter chooses). */
export function filterBody(v: FilterValues, dryRun: boolean): Schemas['BulkAssignRequest'] & { teacher_ids: number[] } {
  const body: Schemas['BulkAssignRequest'] & { teacher_ids: number[] } = { teacher_ids: [], node: v.node.trim(), dry_run: dryRun };
  const subject = v.subject?.trim();
  if (v.stage) body.stage = v.stage;
  if (subject) body.subject = subject;
  return body;
}

/**
 * What a report allows next: `committed` (written), `empty` (nobody to assign), `blocked` (some row is wrong:
 * nothing can be written) or `ready` (a check passed: confirm writes it all).
 */
export type ReportState = 'committed' | 'empty' | 'blocked' | 'ready';

export function bulkState(r: BulkReport): ReportState {
  if (r.committed) return 'committed';
  if (r.errors.length > 0 || r.assignable < r.total) return 'blocked';
  if (r.total === 0) return 'empty';
  return 'ready';
}

export function fileState(r: FileReport): ReportState {
  if (r.committed) return 'committed';
  if (r.errors.length > 0 || r.valid_rows < r.total_rows) return 'blocked';
  if (r.total_rows === 0) return 'empty';
  return 'ready';
}
