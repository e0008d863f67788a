import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import SetPasswordForm from './SetPasswordForm';
import { mayManage } from './index';
import { adminMe, mockApi, problem, renderWithProviders } from '../../test/utils';
import type { Account, Me } from '../../api/types';

const account: Account = {
  id: 9,
  username: 'county01',
  display_name: '区县管理员',
  roles: [{ role: 'county_admin', scope_code: '510104', scope_name: '锦江区' }],
  active: true,
  manageable: true,
  created_at: '2026-11-01T08:00:00Z',
};

describe('set password', () => {
  it('confirms that sessions end, then shows the server policy error on the field', async () => {
    const calls = mockApi({
      'POST /api/accounts/9/password': () =>
        problem(422, 'validation_failed', { errors: [{ field: 'new_password', message: '密码需包含小写、大写、数字、符号中的至少 3 类' }] }),
    });
    renderWithProviders(<SetPasswordForm account={account} onClose={() => undefined} />);
    expect(await screen.findByText(/登录会话将立即结束/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('新密码'), { target: { value: 'abcdefgh' } });
    fireEvent.change(screen.getByLabelText('确认新密码'), { target: { value: 'abcdefgh' } });
    fireEvent.click(screen.getByRole('button', { name: '确认设置' }));
    // Nothing is sent before the confirmation.
    expect(await screen.findByText(/所有登录会话将结束/)).toBeInTheDocument();
    expect(calls.length).toBe(0);
    const buttons = screen.getAllByRole('button', { name: '确认设置' });
    fireEvent.click(buttons[buttons.length - 1]);
    expect(await screen.findByText('密码需包含小写、大写、数字、符号中的至少 3 类')).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(await post.json()).toEqual({ new_password: 'abcdefgh' });
  });

  it('is offered where the server says the account is mine to manage, never for oneself', async () => {
    const me = adminMe as unknown as Me;
    expect(mayManage(me, account)).toBe(true);
    expect(mayManage(me, { ...account, id: me.id })).toBe(false);
    expect(mayManage(me, { ...account, manageable: false })).toBe(false);
    expect(mayManage(undefined, account)).toBe(false);
    await waitFor(() => undefined);
  });
});
