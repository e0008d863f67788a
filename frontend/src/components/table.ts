import type { SortOrder } from 'antd/es/table/interface';

/** ProTable request params → the API's page/page_size/sort/order query (empty values dropped). */
export function toListQuery(
  params: Record<string, unknown> & { current?: number; pageSize?: number },
  sort: Record<string, SortOrder>,
): Record<string, string | number | boolean> {
  const { current, pageSize, ...filters } = params;
  const q: Record<string, string | number | boolean> = { page: current ?? 1, page_size: pageSize ?? 20 };
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') q[k] = typeof v === 'string' ? v.trim() : v;
  }
  const [field, order] = Object.entries(sort).find(([, o]) => o) ?? [];
  if (field && order) {
    q.sort = field;
    q.order = order === 'ascend' ? 'asc' : 'desc';
  }
  return q;
}

/** The last page the API serves; past it a list is narrowed with a filter (the server refuses the page). */
export const MAX_PAGE = 500;

/** One page of any list as the API answers it. */
export interface ApiPage<T> {
  items: T[];
  total: number;
  /** False when the server stopped counting: there are at least `total` matches. */
  total_exact: boolean;
}

/** An API page as ProTable's request result, with whether its total is exact. */
export function toTableResult<T>(page: ApiPage<T>) {
  return { data: page.items, total: page.total, success: true, totalExact: page.total_exact };
}

/** The total the pager pages through: never past the last page the API serves. */
export function pagerTotal(total: number, pageSize: number): number {
  return Math.min(total, MAX_PAGE * pageSize);
}
