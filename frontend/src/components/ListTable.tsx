import { useImperativeHandle, useRef, useState, type MutableRefObject } from 'react';
import { Grid } from 'antd';
import { ProTable, type ActionType, type ParamsType, type ProColumns, type ProTableProps } from '@ant-design/pro-components';
import { useTranslation } from 'react-i18next';
import { ErrorState } from './States';
import { pagerTotal } from './table';

/**
 * Columns for the screen: on a phone no column is pinned, so the key columns on the left show first and the rest
 * scroll inside the table (a pinned actions column would otherwise fill the whole narrow width).
 */
export function columnsFor<C extends Pick<ProColumns, 'fixed'>>(columns: C[] | undefined, phone: boolean): C[] | undefined {
  if (!phone || !columns) return columns;
  return columns.map((c) => (c.fixed ? { ...c, fixed: false } : c));
}

/**
 * Every list of the app: a ProTable whose failed load is shown as such. ProTable keeps the previous page's rows when a
 * request fails, so page 2 would show page 1 under "第 21-40 条", and a first load that fails would show the empty
 * text ("暂无学校"), which reads as lost data. Here a failure replaces the rows with the error and a retry until a load
 * succeeds; the search form and toolbar stay, so the user keeps their filters and page. The table scrolls inside its
 * own container, never the page.
 *
 * Long lists: the server counts matches only up to a cap and serves pages only up to {@link MAX_PAGE}. A result with
 * `totalExact: false` (see `toTableResult`) shows its total as "N+", and the pager never offers a page past the last
 * one the server serves.
 */
export default function ListTable<T extends Record<string, any>, U extends ParamsType = ParamsType, V = 'text'>(props: ProTableProps<T, U, V>) {
  const { request, actionRef, onLoad, onRequestError, onLoadingChange, tableViewRender, scroll, columns, pagination, ...rest } = props;
  const { t } = useTranslation();
  const own = useRef<ActionType>(undefined);
  // The page's own actionRef (reload after an edit) reaches the same table.
  useImperativeHandle(actionRef as MutableRefObject<ActionType | undefined> | undefined, () => own.current as ActionType);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [loading, setLoading] = useState(false);
  // The last load's count, and whether the server counted every match.
  const [counted, setCounted] = useState<{ total: number; exact: boolean }>({ total: 0, exact: true });
  const phone = !Grid.useBreakpoint().md;

  const guarded: typeof request =
    request &&
    (async (params, sort, filter) => {
      try {
        const result = await request(params, sort, filter);
        const total = result.total ?? 0;
        const exact = (result as { totalExact?: boolean }).totalExact !== false;
        setCounted({ total, exact });
        return { ...result, total: pagerTotal(total, params.pageSize ?? 20) };
      } catch (error) {
        setFailure({ error });
        throw error;
      }
    });

  return (
    <ProTable<T, U, V>
      {...rest}
      columns={columnsFor(columns, phone)}
      actionRef={own}
      request={guarded}
      scroll={{ x: 'max-content', ...scroll }}
      pagination={
        pagination === false
          ? false
          : {
              showTotal: (_, [from, to]) =>
                counted.exact
                  ? t('list.range', { from, to, total: counted.total })
                  : t('list.rangeMore', { from, to, total: counted.total - 1 }),
              ...pagination,
            }
      }
      onLoad={(data) => {
        setFailure(null);
        onLoad?.(data);
      }}
      // Given, so ProTable does not rethrow: the failure is already on screen.
      onRequestError={(e) => onRequestError?.(e)}
      onLoadingChange={(l) => {
        setLoading(Boolean(l));
        onLoadingChange?.(l);
      }}
      tableViewRender={(tableProps, dom) =>
        failure ? (
          <div data-testid="list-error">
            <ErrorState error={failure.error} onRetry={() => void own.current?.reload()} retrying={loading} />
          </div>
        ) : tableViewRender ? (
          tableViewRender(tableProps, dom)
        ) : (
          dom
        )
      }
    />
  );
}
