import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reloadOnceWhenStale } from './staleBuild';

describe('reloadOnceWhenStale', () => {
  beforeEach(() => sessionStorage.clear());

  it('reloads on the first failed chunk and not again within a minute', () => {
    let clock = 1_000_000;
    const reload = vi.fn();
    const handler = reloadOnceWhenStale(() => clock, reload);
    const first = new Event('vite:preloadError', { cancelable: true });
    handler(first);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(first.defaultPrevented).toBe(true);

    clock += 5_000;
    const again = new Event('vite:preloadError', { cancelable: true });
    handler(again);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(again.defaultPrevented).toBe(false);

    clock += 60_000;
    handler(new Event('vite:preloadError', { cancelable: true }));
    expect(reload).toHaveBeenCalledTimes(2);
  });
});
