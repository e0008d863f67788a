import { describe, expect, it, vi } from 'vitest';
import { connectivity, installConnectivityListeners, observedFetch, subscribeConnectivity } from './connectivity';

describe('connectivity', () => {
  it('is unreachable after a request got no answer, and online again after any answer, even an error status', async () => {
    const seen: string[] = [];
    const stop = subscribeConnectivity(() => seen.push(connectivity()));
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(observedFetch(new Request('http://localhost/api/schools'))).rejects.toThrow('Failed to fetch');
    expect(connectivity()).toBe('unreachable');
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('{}', { status: 503 })));
    await observedFetch(new Request('http://localhost/api/schools'));
    expect(connectivity()).toBe('online');
    expect(seen).toEqual(['unreachable', 'online']);
    stop();
  });

  it('does not count an aborted request as a lost connection', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new DOMException('aborted', 'AbortError')));
    await expect(observedFetch(new Request('http://localhost/api/schools'))).rejects.toThrow();
    expect(connectivity()).toBe('online');
  });

  it("follows the browser's offline and online events", () => {
    const remove = installConnectivityListeners(window);
    window.dispatchEvent(new Event('offline'));
    expect(connectivity()).toBe('offline');
    window.dispatchEvent(new Event('online'));
    expect(connectivity()).toBe('online');
    remove();
  });
});
