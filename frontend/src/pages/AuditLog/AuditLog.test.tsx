import { describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { setTokens } from '../../api/tokens';
import { json, mockApi, renderWithProviders } from '../../test/utils';
import AuditLogPage from './index';

const entry = {
  id: 7,
  at: '2026-03-01T02:00:00Z',
  actor: 'admin',
  action: 'school.create',
  target_type: 'school',
  target_id: '3',
  detail: { name: '锦江区实验小学' },
  ip: '10.0.0.8',
  seq: 7,
};


describe('审计管理', () => {
  it('lists the log and shows where verification finds the chain broken', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    const calls = mockApi({
      'GET /api/audit/entries': () => json({ items: [entry], total: 1, page: 1, page_size: 20 }),
      'POST /api/audit/verify': () =>
        json({
          intact: false,
          entries_checked: 6,
          archives_checked: 0,
          checkpoints_checked: 2,
          problem: { kind: 'deleted', seq: 4, entry_id: 7, message: 'entries seq 4..4 are missing before entry 7 (deleted)' },
        }),
    });
    renderWithProviders(<AuditLogPage />, { route: '/audit' });
    expect(await screen.findByText('school.create', {}, { timeout: 8000 })).toBeInTheDocument();
    expect(screen.getByText('{"name":"锦江区实验小学"}')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('audit-verify'));
    const result = await screen.findByTestId('audit-verify-result');
    expect(result).toHaveTextContent('审计链被破坏');
    expect(result).toHaveTextContent('记录被删除: entries seq 4..4 are missing before entry 7 (deleted)');
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/audit/verify')).toHaveLength(1);
  });
});
