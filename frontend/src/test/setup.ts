import '@testing-library/jest-dom/vitest';
import { afterEach, vi } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import '../i18n';

// findBy* waits 1 s by default: on a loaded 2-core machine (a cargo build next door) antd's first render of a
// form can take longer, and the Login tests failed for that alone. 5 s keeps them about behaviour, not speed.
configure({ asyncUtilTimeout: 5000 });

// antd's responsive helpers need matchMedia, which jsdom lacks. It answers as a 1280 px wide desktop would, so the
// shell shows its side menu (below 768 px it becomes a drawer).
const TEST_WIDTH = 1280;
function widthMatches(query: string): boolean {
  const min = /min-width:\s*([\d.]+)px/.exec(query);
  const max = /max-width:\s*([\d.]+)px/.exec(query);
  return (!min || TEST_WIDTH >= Number(min[1])) && (!max || TEST_WIDTH <= Number(max[1])) && Boolean(min || max);
}
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn().mockImplementation((query: string) => ({
    matches: widthMatches(query),
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  })),
});
// antd measures scrollbars via getComputedStyle on pseudo elements, which jsdom does not implement.
const realGetComputedStyle = window.getComputedStyle;
window.getComputedStyle = (elt: Element) => realGetComputedStyle(elt);
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as unknown as { ResizeObserver: unknown }).ResizeObserver ??= ResizeObserverStub;

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});
