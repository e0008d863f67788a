import { describe, expect, it } from 'vitest';
import { retriable, retriableIds } from './rules';

describe('job retry rules', () => {
  it('retries failed and waiting jobs only', () => {
    expect(retriable({ status: 'failed' })).toBe(true);
    expect(retriable({ status: 'pending' })).toBe(true);
    expect(retriable({ status: 'running' })).toBe(false);
    expect(retriable({ status: 'done' })).toBe(false);
    expect(retriable({ status: 'expired' })).toBe(false);
  });

  it('keeps only the retriable ids of a selection', () => {
    expect(
      retriableIds([
        { id: 1, status: 'failed' },
        { id: 2, status: 'done' },
        { id: 3, status: 'pending' },
        { id: 4, status: 'expired' },
      ]),
    ).toEqual([1, 3]);
  });
});

describe('job menu entry', () => {
  it('is shown to holders of job.manage (province administrators) only', async () => {
    const { menuFor } = await import('../../routes');
    const { makeAccess } = await import('../../access');
    expect(menuFor(makeAccess(['job.manage', 'region.read'])).map((m) => m.path)).toContain('/jobs');
    expect(menuFor(makeAccess(['region.read', 'audit.read'])).map((m) => m.path)).not.toContain('/jobs');
  });
});
