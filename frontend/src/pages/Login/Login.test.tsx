import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import LoginPage from './index';
import { adminMe, json, mockApi, problem, renderWithProviders } from '../../test/utils';

function setup(loginResponse: () => Response, extra: Record<string, () => Response> = {}, me: object = adminMe) {
  const calls = mockApi({
    'POST /api/auth/login': loginResponse,
    'GET /api/me': () => json(me),
    ...extra,
  });
  renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<div>home page</div>} />
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
    expect(await screen.findByText('home page')).toBeInTheDocument();
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

  it('tells how many attempts remain', async () => {
    setup(() => problem(401, 'invalid_credentials', { detail: '用户名或密码错误', params: { remaining_attempts: 3 } }));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('用户名或密码错误，还可尝试 3 次');
  });

  it('says sign-in is locked when no attempt remains', async () => {
    setup(() => problem(401, 'invalid_credentials', { detail: '用户名或密码错误', params: { remaining_attempts: 0 } }));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('失败次数已达上限，登录已暂时锁定');
  });

  it('takes the wait from the problem when the header is missing', async () => {
    setup(() => problem(423, 'account_locked', { params: { retry_after_seconds: 600 } }));
    await submit();
    expect(await screen.findByTestId('login-error')).toHaveTextContent('请 10 分钟后再试');
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

  it('asks for the second factor, signs in with the code and shows the previous sign-in', async () => {
    const meWithSession = {
      ...adminMe,
      session: {
        id: 7,
        idle_timeout_minutes: 30,
        second_factor_active: true,
        second_factor_required: true,
        previous_sign_in: { at: '2026-05-01T02:00:00Z', ip: '10.0.0.8' },
        failed_sign_ins_since: 2,
      },
    };
    const calls = setup(
      () => json({ mfa_required: true, challenge: 'ch-1' }),
      {
        'POST /api/auth/login/second-factor': () => json({ access_token: 'a2', refresh_token: 'r2', expires_in: 900, token_type: 'Bearer' }),
      },
      meWithSession,
    );
    await submit();
    const code = await screen.findByTestId('second-factor-code');
    expect(localStorage.getItem('yanxiu.access_token')).toBeNull();
    fireEvent.change(code, { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: /验\s*证/ }));
    expect(await screen.findByText('home page')).toBeInTheDocument();
    const second = calls.find((c) => c.url.endsWith('/api/auth/login/second-factor'));
    expect(await second?.json()).toEqual({ challenge: 'ch-1', code: '123456' });
    expect(localStorage.getItem('yanxiu.refresh_token')).toBe('r2');
    expect(await screen.findByTestId('last-sign-in')).toHaveTextContent('10.0.0.8');
    expect(screen.getByTestId('last-sign-in')).toHaveTextContent('2 次登录失败');
  });

  it('a wrong code stays on the code step with the reason', async () => {
    setup(() => json({ mfa_required: true, challenge: 'ch-1' }), {
      'POST /api/auth/login/second-factor': () => problem(401, 'invalid_second_factor_code'),
    });
    await submit();
    fireEvent.change(await screen.findByTestId('second-factor-code'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: /验\s*证/ }));
    expect(await screen.findByTestId('login-error')).toHaveTextContent('验证码不正确或已使用');
    expect(screen.getByTestId('second-factor-code')).toBeInTheDocument();
  });
});
