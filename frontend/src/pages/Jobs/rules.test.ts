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
  it('is shown to holders of job.manage (the system administrator) only, in the 系统管理 group', async () => {
    const { menuFor, SYSTEM_GROUP } = await import('../../routes');
    const { makeAccess } = await import('../../access');
    const system = menuFor(makeAccess(['job.manage', 'system.manage']));
    expect(system.find((m) => m.path === '/jobs')?.group).toBe(SYSTEM_GROUP);
    // The province's business administrator no longer holds the queue.
    const province = makeAccess(['region.read', 'school.read', 'teacher.read', 'account.read', 'account.write', 'audit.read']);
    expect(menuFor(province).map((m) => m.path)).not.toContain('/jobs');
  });
});
