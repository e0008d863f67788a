import dayjs, { type Dayjs } from 'dayjs';
import type { HourCategory, HourSource, HourStatus } from '../../api/types';

export const CATEGORIES: HourCategory[] = ['centralized', 'online', 'ict', 'regional', 'school_based', 'practice'];
export const SOURCES: HourSource[] = ['course', 'coursework', 'attendance', 'institution_import', 'supplement'];
export const ENTRY_STATUSES: HourStatus[] = ['pending', 'approved', 'rejected', 'voiding'];

/** The ledger counts hours in half-hour steps, from 0.5 up to 200 per entry (the API's bounds). */
export const MIN_HOURS = 0.5;
export const MAX_HOURS = 200;

export type HoursProblem = 'required' | 'step' | 'range';

/** Why a number of hours is not acceptable, or null when it is. */
export function hoursProblem(value: unknown): HoursProblem | null {
  if (value === undefined || value === null || value === '') return 'required';
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return 'step';
  if (n < MIN_HOURS || n > MAX_HOURS) return 'range';
  // n * 2 must be whole; compare with a tolerance so 1.5000000001 from float maths is not rejected twice over.
  return Math.abs(n * 2 - Math.round(n * 2)) < 1e-9 ? null : 'step';
}

/** A date after today (in the user's calendar) cannot carry hours yet. */
export function isFutureDate(d: Dayjs | null | undefined, today: Dayjs = dayjs()): boolean {
  return !!d && d.startOf('day').isAfter(today.startOf('day'));
}

/** Server field names of the 补录 body → this form's fields. */
export function hourFormField(field: string): string {
  const f = field.replace(/^(body|query|path)[./]/, '').replace(/^\//, '');
  if (f.startsWith('evidence')) return 'evidence';
  if (f === 'enrollment_id') return 'program_id';
  return f;
}

export interface HoursQuery {
  page: number;
  page_size: number;
  teacher_id?: number;
  node?: string;
  status?: HourStatus;
  category?: HourCategory;
  source?: HourSource;
  sort?: 'created' | 'occurred_on';
  order?: 'asc' | 'desc';
}

const SORT_FIELDS: Record<string, HoursQuery['sort']> = { created_at: 'created', occurred_on: 'occurred_on' };

/** ProTable params and column sort → the ledger query (only filters the API knows; empty values dropped). */
export function toHoursQuery(p: Record<string, unknown> & { current?: number; pageSize?: number }, sort: Record<string, 'ascend' | 'descend' | null> = {}): HoursQuery {
  const q: HoursQuery = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
  if (typeof p.teacher_id === 'number') q.teacher_id = p.teacher_id;
  if (typeof p.node === 'string' && /^\d{6}$|^\d{10}$/.test(p.node)) q.node = p.node;
  if (ENTRY_STATUSES.includes(p.status as HourStatus)) q.status = p.status as HourStatus;
  if (CATEGORIES.includes(p.category as HourCategory)) q.category = p.category as HourCategory;
  if (SOURCES.includes(p.source as HourSource)) q.source = p.source as HourSource;
  const [field, order] = Object.entries(sort).find(([, o]) => o) ?? [];
  if (field && order && SORT_FIELDS[field]) {
    q.sort = SORT_FIELDS[field];
    q.order = order === 'ascend' ? 'asc' : 'desc';
  }
  return q;
}
