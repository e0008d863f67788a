import { describe, expect, it } from 'vitest';
import { fileSize, stillMaking } from './rules';

describe('export center rules', () => {
  it('keeps refreshing while an export is queued or running', () => {
    expect(stillMaking([{ status: 'done' }, { status: 'failed' }])).toBe(false);
    expect(stillMaking([{ status: 'done' }, { status: 'queued' }])).toBe(true);
    expect(stillMaking([{ status: 'running' }])).toBe(true);
    expect(stillMaking([])).toBe(false);
  });

  it('shows sizes as people read them', () => {
    expect(fileSize(undefined)).toBe('—');
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(2048)).toBe('2.0 KB');
    expect(fileSize(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
