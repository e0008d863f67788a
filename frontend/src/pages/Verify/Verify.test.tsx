import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { AppRoutes } from '../../App';
import { clearTokens } from '../../api/tokens';
import { json, mockApi, problem, renderWithProviders } from '../../test/utils';

const app = (route: string) =>
  renderWithProviders(
    <Routes>
      <Route path="*" element={<AppRoutes />} />
    </Routes>,
    { route },
  );

describe('public certificate verification', () => {
  it('answers without signing in: masked holder, program, status', async () => {
    clearTokens();
    const calls = mockApi({
      'GET /api/certificates/verify/YX2026000001': () =>
        json({ number: 'YX2026000001', holder: '张*', program_name: '信息技术应用能力提升', program_year: 2026, issued_at: '2026-11-20T08:00:00Z', status: 'valid' }),
    });
    app('/verify/YX2026000001');
    expect(await screen.findByText('证书有效', {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByText('张*')).toBeInTheDocument();
    expect(screen.getByText('信息技术应用能力提升（2026）')).toBeInTheDocument();
    expect(calls.some((c) => c.headers.get('authorization'))).toBe(false);
    expect(calls.some((c) => new URL(c.url).pathname === '/api/me')).toBe(false);
  });

  it('says so when the number is unknown, and when the certificate was revoked', async () => {
    clearTokens();
    mockApi({
      'GET /api/certificates/verify/NOPE': () => problem(404, 'not_found'),
      'GET /api/certificates/verify/YX2': () =>
        json({ number: 'YX2', holder: '李*', program_name: '校本研修', program_year: 2025, issued_at: '2025-06-01T00:00:00Z', status: 'revoked', revoked_at: '2026-01-05T00:00:00Z' }),
    });
    const { unmount } = app('/verify/NOPE');
    expect(await screen.findByText('未找到该证书', {}, { timeout: 8000 })).toBeInTheDocument();
    unmount();
    app('/verify/YX2');
    expect(await screen.findByText('证书已撤销')).toBeInTheDocument();
  });
});
