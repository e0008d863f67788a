import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button, Result, Space } from 'antd';
import i18n from '../i18n';
import { isChunkLoadError, reloadedRecently } from '../staleBuild';

/** What the fallback says about an error: a page whose code did not arrive, or a page that broke while running. */
export type BoundaryReason = 'chunk' | 'chunkAfterReload' | 'crash';

export function boundaryReason(error: unknown, reloaded: boolean = reloadedRecently()): BoundaryReason {
  if (!isChunkLoadError(error)) return 'crash';
  // The stale-build reload already ran for this tab: the chunk is missing for a reason a reload does not fix.
  return reloaded ? 'chunkAfterReload' : 'chunk';
}

interface Props {
  children: ReactNode;
  /** The error is forgotten when this changes (the route: another page may well work). */
  resetKey?: string;
  /** Where the fallback's way home goes; the app-level boundary, outside the router, reloads into the app. */
  home?: ReactNode;
}

interface State {
  error: unknown;
  failed: boolean;
}

/**
 * Catches what a page throws while rendering, including a page whose code cannot be loaded, and shows what happened
 * with a way on (retry, reload, home) instead of an empty white screen.
 */
export default class ErrorBoundary extends Component<Props, State> {
  state: State = { error: undefined, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  componentDidUpdate(prev: Props) {
    if (this.state.failed && prev.resetKey !== this.props.resetKey) this.setState({ error: undefined, failed: false });
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    // Kept in the console for whoever is asked to look at the screen.
    console.error('page failed', error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return <BoundaryFallback reason={boundaryReason(this.state.error)} retry={() => this.setState({ error: undefined, failed: false })} home={this.props.home} />;
  }
}

export function BoundaryFallback({ reason, retry, home }: { reason: BoundaryReason; retry: () => void; home?: ReactNode }) {
  // i18n directly, not the hook: this also renders when the providers above are what broke.
  const t = i18n.t.bind(i18n);
  const reload = (
    <Button type="primary" key="reload" onClick={() => window.location.reload()} data-testid="boundary-reload">
      {t('boundary.reload')}
    </Button>
  );
  const homeLink = home ?? (
    <Button key="home" href="/" data-testid="boundary-home">
      {t('boundary.home')}
    </Button>
  );
  return (
    <div data-testid="error-boundary" role="alert">
      <Result
        status={reason === 'crash' ? 'error' : 'warning'}
        title={t(`boundary.${reason}.title`)}
        subTitle={t(`boundary.${reason}.subTitle`)}
        extra={
          <Space wrap>
            {reason === 'crash' ? (
              <Button type="primary" onClick={retry} data-testid="boundary-retry">
                {t('common.retry')}
              </Button>
            ) : (
              reload
            )}
            {homeLink}
          </Space>
        }
      />
    </div>
  );
}
