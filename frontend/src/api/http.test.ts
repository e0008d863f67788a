import { describe, expect, it } from 'vitest';
import { api, unwrap } from './client';
import { setStepUpHandler } from './http';
import { onSessionExpired, setTokens } from './tokens';
import { adminMe, json, mockApi, problem } from '../test/utils';
import { ApiError } from './problem';

describe('transparent token refresh', () => {
  it('refreshes once for concurrent 401s, stores the rotated pair and retries each request once', async () => {
    setTokens({ access_token: 'old', refresh_token: 'r-old' });
    let refreshes = 0;
    const calls = mockApi({
      'GET /api/me': (req) => (req.headers.get('authorization') === 'Bearer new' ? json(adminMe) : problem(401, 'unauthorized')),
      'POST /api/auth/refresh': async (req) => {
        refreshes += 1;
        expect(await req.json()).toEqual({ refresh_token: 'r-old' });
        await new Promise((r) => setTimeout(r, 20));
        return json({ access_token: 'new', refresh_token: 'r-new', expires_in: 900, token_type: 'Bearer' });
      },
    });
    const [a, b, c] = await Promise.all([unwrap(api.GET('/api/me')), unwrap(api.GET('/api/me')), unwrap(api.GET('/api/me'))]);
    expect(a.username).toBe('admin');
    expect(b.id).toBe(1);
    expect(c.id).toBe(1);
    expect(refreshes).toBe(1);
    expect(localStorage.getItem('yanxiu.refresh_token')).toBe('r-new');
    expect(calls.filter((r) => r.url.endsWith('/api/me')).length).toBe(6);
  });

  it('retries a POST with its body after the refresh', async () => {
    setTokens({ access_token: 'old', refresh_token: 'r1' });
    const bodies: unknown[] = [];
    mockApi({
      'POST /api/schools': async (req) => {
        bodies.push(await req.json());
        return req.headers.get('authorization') === 'Bearer new' ? json({ id: 9 }, 201) : problem(401, 'unauthorized');
      },
      'POST /api/auth/refresh': () => json({ access_token: 'new', refresh_token: 'r2', expires_in: 900, token_type: 'Bearer' }),
    });
    const body = { code: '2151000001', name: 'x', county_code: '510104', stage: 'primary', urban_rural: 'urban' as const, teaching_point: false };
    await unwrap(api.POST('/api/schools', { body }));
    expect(bodies).toEqual([body, body]);
  });

  it('ends the session when the refresh token is rejected', async () => {
    setTokens({ access_token: 'old', refresh_token: 'r-bad' });
    let expired = 0;
    const off = onSessionExpired(() => (expired += 1));
    mockApi({
      'GET /api/me': () => problem(401, 'unauthorized'),
      'POST /api/auth/refresh': () => problem(401, 'invalid_refresh_token'),
    });
    await expect(unwrap(api.GET('/api/me'))).rejects.toBeInstanceOf(ApiError);
    expect(expired).toBe(1);
    expect(localStorage.getItem('yanxiu.refresh_token')).toBeNull();
    off();
  });

  it('does not try to refresh on a failed login', async () => {
    setTokens({ access_token: 'old', refresh_token: 'r1' });
    const calls = mockApi({ 'POST /api/auth/login': () => problem(401, 'invalid_credentials') });
    const err = await unwrap(api.POST('/api/auth/login', { body: { username: 'a', password: 'b' } })).catch((e: unknown) => e);
    expect((err as ApiError).code).toBe('invalid_credentials');
    expect(calls.length).toBe(1);
  });
});

describe('step-up', () => {
  it('asks for a code on 403 step_up_required and repeats the request once it is given', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    let verified = false;
    let asked = 0;
    const calls = mockApi({
      'POST /api/teachers/5/reveal': () => (verified ? json({ id: 5, id_card: '510104199001011234' }) : problem(403, 'step_up_required')),
    });
    setStepUpHandler(async () => {
      asked += 1;
      verified = true;
      return true;
    });
    try {
      const revealed = await unwrap(api.POST('/api/teachers/{id}/reveal', { params: { path: { id: 5 } } }));
      expect(revealed.id_card).toBe('510104199001011234');
      expect(asked).toBe(1);
      expect(calls.length).toBe(2);
    } finally {
      setStepUpHandler(null);
    }
  });

  it('a cancelled code dialog leaves the 403', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    mockApi({ 'POST /api/teachers/5/reveal': () => problem(403, 'step_up_required') });
    setStepUpHandler(async () => false);
    try {
      await expect(unwrap(api.POST('/api/teachers/{id}/reveal', { params: { path: { id: 5 } } }))).rejects.toMatchObject({ code: 'step_up_required' });
    } finally {
      setStepUpHandler(null);
    }
  });
});

