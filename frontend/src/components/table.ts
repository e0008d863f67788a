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
