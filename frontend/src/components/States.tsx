import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError } from '../api/problem';
import { errorText } from './errors';

export function Loading({ tip }: { tip?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state-center" role="status" aria-live="polite">
      <Spin size="large" />
      <div className="state-tip">{tip ?? t('common.loading')}</div>
    </div>
  );
}

export function NotFoundResult() {
  const { t } = useTranslation();
  return (
    <div data-testid="not-found">
      <Result status="404" title={t('notFound.title')} subTitle={t('notFound.subTitle')} extra={<Link to="/">{t('notFound.back')}</Link>} />
    </div>
  );
}

export function ForbiddenResult() {
  const { t } = useTranslation();
  return <Result status="403" title={t('forbidden.title')} subTitle={t('forbidden.subTitle')} extra={<Link to="/">{t('notFound.back')}</Link>} />;
}

/** Error state for a failed load: a 404 from the API is shown as "not found" (out of scope looks the same). */
export function ErrorState({ error, onRetry, retrying }: { error: unknown; onRetry?: () => void; retrying?: boolean }) {
  const { t } = useTranslation();
  if (isApiError(error) && error.status === 404) return <NotFoundResult />;
  if (isApiError(error) && error.status === 403) return <ForbiddenResult />;
  return (
    <Result
      status="error"
      title={t('common.loadFailed')}
      subTitle={errorText(t, error)}
      extra={
        onRetry && (
          <Button onClick={onRetry} loading={retrying} data-testid="retry">
            {t('common.retry')}
          </Button>
        )
      }
    />
  );
}

/** A failed query's error with a retry (null while it has not failed): a page shows it in place of the data. */
export function QueryError({ query }: { query: { error: unknown; isFetching: boolean; refetch: () => unknown } }) {
  if (!query.error) return null;
  return (
    <div data-testid="query-error">
      <ErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
    </div>
  );
}

/**
 * Props that turn a plain Table fed by a query into its error state when the query failed: no rows (not even the
 * last good ones) and the error with a retry where the empty text would be. Spread last, after the usual props.
 */
export function failedTableProps(query: { error: unknown; isFetching: boolean; refetch: () => unknown }) {
  if (!query.error) return {};
  return { dataSource: [], loading: false, locale: { emptyText: <QueryError query={query} /> } };
}
