import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import ErrorBoundary, { boundaryReason } from './ErrorBoundary';
import { isChunkLoadError, reloadOnceWhenStale, reloadedRecently } from '../staleBuild';

const chunkError = () => new TypeError('Failed to fetch dynamically imported module: http://127.0.0.1/assets/Questions-abc.js');

describe('error boundary', () => {
  it('tells a missing page file from a page that broke, and whether the reload already happened', () => {
    expect(isChunkLoadError(chunkError())).toBe(true);
    expect(isChunkLoadError(new Error('Lazy element type must resolve to a class or function.'))).toBe(true);
    expect(isChunkLoadError(new TypeError("Cannot read properties of undefined (reading 'name')"))).toBe(false);
    expect(boundaryReason(chunkError(), false)).toBe('chunk');
    expect(boundaryReason(chunkError(), true)).toBe('chunkAfterReload');
    expect(boundaryReason(new Error('boom'), true)).toBe('crash');
  });

  it('knows the stale-build reload ran a moment ago', () => {
    sessionStorage.clear();
    expect(reloadedRecently()).toBe(false);
    reloadOnceWhenStale(Date.now, () => undefined)(new Event('vite:preloadError', { cancelable: true }));
    expect(reloadedRecently()).toBe(true);
    expect(reloadedRecently(() => Date.now() + 61_000)).toBe(false);
    sessionStorage.clear();
  });

  it('shows a crashed page with retry and home instead of a white screen, and retry renders it again', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let broken = true;
    function Flaky() {
      if (broken) throw new Error('boom');
      return <p>page content</p>;
    }
    render(
      <ErrorBoundary>
        <Flaky />
      </ErrorBoundary>,
    );
    expect(screen.getByTestId('error-boundary')).toHaveTextContent('页面出错了');
    expect(screen.getByTestId('boundary-home')).toHaveAttribute('href', '/');
    broken = false;
    await userEvent.click(screen.getByTestId('boundary-retry'));
    expect(screen.getByText('page content')).toBeInTheDocument();
  });

  it('says the page file is still missing after the automatic reload, offering reload and home', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    sessionStorage.setItem('yanxiu.staleBuildReload', String(Date.now()));
    function Missing(): never {
      throw chunkError();
    }
    render(
      <ErrorBoundary>
        <Missing />
      </ErrorBoundary>,
    );
    expect(screen.getByTestId('error-boundary')).toHaveTextContent('页面仍未能加载');
    expect(screen.getByTestId('error-boundary')).toHaveTextContent('已自动重新加载过一次');
    expect(screen.getByTestId('boundary-reload')).toBeInTheDocument();
    sessionStorage.clear();
  });

  it('forgets the error when the route changes', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    function Page({ path }: { path: string }) {
      if (path === '/broken') throw new Error('boom');
      return <p>{path}</p>;
    }
    function Shell() {
      const [path, setPath] = useState('/broken');
      return (
        <>
          <button onClick={() => setPath('/schools')}>go</button>
          <ErrorBoundary resetKey={path}>
            <Page path={path} />
          </ErrorBoundary>
        </>
      );
    }
    render(<Shell />);
    expect(screen.getByTestId('error-boundary')).toBeInTheDocument();
    await userEvent.click(screen.getByText('go'));
    expect(screen.getByText('/schools')).toBeInTheDocument();
  });
});
