import '@testing-library/jest-dom/vitest';
import { afterEach, vi } from 'vitest';
import { cleanup, configure } from '@testing-library/react';
import '../i18n';

// findBy* waits 1 s by default: on a loaded 2-core machine (a cargo build next door) antd's first render of a
// form can take longer, and the Login tests failed for that alone. 5 s keeps them about behaviour, not speed.
configure({ asyncUtilTimeout: 5000 });

// antd's responsive helpers need matchMedia, which jsdom lacks.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: vi.fn().mockImplementation((query: string) => ({
    matches: false,
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
