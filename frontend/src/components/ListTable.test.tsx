import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ApiError } from '../api/problem';
import { renderWithProviders } from '../test/utils';
import ListTable, { columnsFor } from './ListTable';

interface Row {
  id: number;
  name: string;
}

const rowsOf = (page: number) => Array.from({ length: 10 }, (_, i) => ({ id: page * 100 + i, name: `第${page}页-${i}` }));

describe('list table', () => {
  it('shows a failed page as an error with retry: not the rows of the page before, not the empty text', async () => {
    let failing = false;
    const asked: number[] = [];
    renderWithProviders(
      <ListTable<Row>
        rowKey="id"
        columns={[{ title: '名称', dataIndex: 'name' }]}
        search={false}
        pagination={{ pageSize: 10 }}
        locale={{ emptyText: '暂无学校' }}
        request={async ({ current = 1 }) => {
          asked.push(current);
          if (failing) throw new ApiError({ status: 409, code: 'conflict', detail: '服务器说明的原因' });
          return { data: rowsOf(current), total: 30, success: true };
        }}
      />,
    );
    expect(await screen.findByText('第1页-0')).toBeInTheDocument();

    failing = true;
    await userEvent.click(screen.getByTitle('2'));
    const failed = await screen.findByTestId('list-error');
    expect(failed).toHaveTextContent('服务器说明的原因');
    expect(screen.queryByText('第1页-0')).not.toBeInTheDocument();
    expect(screen.queryByText('暂无学校')).not.toBeInTheDocument();

    failing = false;
    await userEvent.click(screen.getByTestId('retry'));
    expect(await screen.findByText('第2页-0')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('list-error')).not.toBeInTheDocument());
    expect(asked.at(-1)).toBe(2);
  }, 90_000);

  it('unpins columns on a phone so the key columns show first', () => {
    const columns = [{ dataIndex: 'name' }, { dataIndex: 'actions', fixed: 'right' as const }];
    expect(columnsFor(columns, false)).toBe(columns);
    expect(columnsFor(columns, true)?.map((c) => c.fixed ?? false)).toEqual([false, false]);
  });
});

describe('table scrollers', () => {
  it('can take keyboard focus, so a table wider than its box can be scrolled without a mouse', async () => {
    const { makeScrollersFocusable } = await import('./scrollRegions');
    document.body.innerHTML = '<div class="ant-table-content"></div><div class="ant-table-body" tabindex="-1"></div>';
    makeScrollersFocusable(document.body);
    expect(document.querySelector('.ant-table-content')).toHaveAttribute('tabindex', '0');
    // A scroller the table itself took out of the tab order stays so.
    expect(document.querySelector('.ant-table-body')).toHaveAttribute('tabindex', '-1');
  });
});
