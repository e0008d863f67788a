import { useImperativeHandle, useRef, useState, type MutableRefObject } from 'react';
import { Grid } from 'antd';
import { ProTable, type ActionType, type ParamsType, type ProColumns, type ProTableProps } from '@ant-design/pro-components';
import { ErrorState } from './States';

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
 */
export default function ListTable<T extends Record<string, any>, U extends ParamsType = ParamsType, V = 'text'>(props: ProTableProps<T, U, V>) {
  const { request, actionRef, onLoad, onRequestError, onLoadingChange, tableViewRender, scroll, columns, ...rest } = props;
  const own = useRef<ActionType>(undefined);
  // The page's own actionRef (reload after an edit) reaches the same table.
  useImperativeHandle(actionRef as MutableRefObject<ActionType | undefined> | undefined, () => own.current as ActionType);
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);
  const [loading, setLoading] = useState(false);
  const phone = !Grid.useBreakpoint().md;

  const guarded: typeof request =
    request &&
    (async (params, sort, filter) => {
      try {
        return await request(params, sort, filter);
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
