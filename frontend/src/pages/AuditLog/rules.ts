import dayjs, { type Dayjs } from 'dayjs';

/** The search form's values as ProTable hands them over. */
export interface AuditSearch {
  actor?: string;
  action?: string;
  target_type?: string;
  target_id?: string;
  ip?: string;
  at?: [string | Dayjs, string | Dayjs];
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  target_type?: string;
  target_id?: string;
  ip?: string;
  from?: string;
  to?: string;
}

/** The API's filter from the form: blanks left out, the time range as two RFC 3339 instants. */
export function auditQuery(search: AuditSearch): AuditQuery {
  const query: AuditQuery = {};
  for (const key of ['actor', 'action', 'target_type', 'target_id', 'ip'] as const) {
    const value = search[key]?.trim();
    if (value) query[key] = value;
  }
  if (search.at?.[0]) query.from = dayjs(search.at[0]).toISOString();
  if (search.at?.[1]) query.to = dayjs(search.at[1]).toISOString();
  return query;
}

/** An entry's detail on one line, for the table (the export carries it whole). */
export function detailText(detail: unknown): string {
  if (detail === null || detail === undefined) return '—';
  const text = typeof detail === 'string' ? detail : JSON.stringify(detail);
  return text === '{}' ? '—' : text;
}
