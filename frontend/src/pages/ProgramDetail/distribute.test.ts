import { describe, expect, it } from 'vitest';
import { mayDistributeFrom } from './distribute';

describe('where I may distribute seats from', () => {
  it('is my own region or one below it, never above or beside it, never a school', () => {
    expect(mayDistributeFrom('510104', ['510104'])).toBe(true);
    expect(mayDistributeFrom('510100', ['510104'])).toBe(false);
    expect(mayDistributeFrom('510105', ['510104'])).toBe(false);
    expect(mayDistributeFrom('510104', ['510100'])).toBe(true);
    expect(mayDistributeFrom('510700', ['510100'])).toBe(false);
    expect(mayDistributeFrom('510700', ['510000'])).toBe(true);
    expect(mayDistributeFrom('2151000001', ['510000'])).toBe(false);
    expect(mayDistributeFrom('510104', ['2151000001'])).toBe(false);
  });
});
