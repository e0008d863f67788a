import type { ExportStatus, ExportView } from '../../api/types';

/** Exports still being made: the list refreshes itself while any of them is on the page. */
export function stillMaking(rows: readonly Pick<ExportView, 'status'>[]): boolean {
  return rows.some((r) => r.status === 'queued' || r.status === 'running');
}

/** A file size as people read it (KB from 1 KB, MB from 1 MB). */
export function fileSize(bytes: number | null | undefined): string {
  if (bytes == null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const EXPORT_STATUSES: ExportStatus[] = ['queued', 'running', 'done', 'failed'];

export const BADGE: Record<ExportStatus, 'processing' | 'default' | 'success' | 'error'> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
};
