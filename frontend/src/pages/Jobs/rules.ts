import type { JobView } from '../../api/types';

/** Jobs an administrator may run again now: failed ones, and pending ones waiting out a retry delay. */
export function retriable(job: Pick<JobView, 'status'>): boolean {
  return job.status === 'failed' || job.status === 'pending';
}

/** The ids among `selected` that a retry would actually put back in the queue. */
export function retriableIds(selected: readonly Pick<JobView, 'id' | 'status'>[]): number[] {
  return selected.filter(retriable).map((j) => j.id);
}
