import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import LoginPage from './index';
import { adminMe, json, mockApi, problem, renderWithProviders } from '../../test/utils';

function setup(loginResponse: () => Response) {
  const calls = mockApi({
    'POST /api/auth/login': loginResponse,
    'GET /api/me': () => json(adminMe),
  });
  renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/regions" element={<div>regions page</div>} />
    </Routes>,
    { route: '/login' },
  );
  return calls;
}

async function submit(username = 'admin', password = 'secret-pass') {
  fireEvent.change(screen.getByLabelText('用户名'), { target: { value: username } });
  fireEvent.change(screen.getByLabelText('密码'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
}

describe('login form', () => {
  it('signs in, stores the tokens and goes to the first permitted page', async () => {
    const calls = setup(() => json({ access_token: 'a1', refresh_token: 'r1', expires_in: 900, token_type: 'Bearer' }));
    await submit();
    expect(await screen.findByText('regions page')).toBeInTheDocument();
    expect(localStorage.getItem('yanxiu.refresh_token')).toBe('r1');
    const me = calls.find((c) => c.url.endsWith('/api/me'));
    expect(me?.headers.get('authorization')).toBe('Bearer a1');
  });

  it('shows wrong credentials', async () => {
    setup(() => problem(401, 'invalid_credentials'));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('用户名或密码错误');
    expect(localStorage.getItem('yanxiu.access_token')).toBeNull();
  });

  it('shows the lockout message', async () => {
    setup(() => problem(423, 'account_locked', {}, { 'retry-after': '900' }));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('账号因多次登录失败已被锁定，请 15 分钟后再试');
  });

  it('shows the rate-limit message with the wait time', async () => {
    setup(() => problem(429, 'rate_limited', {}, { 'retry-after': '30' }));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('操作过于频繁，请 30 秒后再试');
  });

  it('puts field errors from problem+json on the fields', async () => {
    setup(() => problem(422, 'validation_failed', { errors: [{ field: 'username', message: '用户名格式不正确' }] }));
    await submit('x y');
    expect(await screen.findByText('用户名格式不正确')).toBeInTheDocument();
    expect(screen.queryByTestId('login-error')).toBeNull();
  });

  it('validates required fields before calling the server', async () => {
    const calls = setup(() => json({}));
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入用户名')).toBeInTheDocument();
    await waitFor(() => expect(calls.length).toBe(0));
  });
});
