import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import ProgramForm, { toProgramInput } from './ProgramForm';
import { adminMe, json, mockApi, problem, renderWithProviders } from '../../test/utils';
import { setTokens } from '../../api/tokens';

describe('program form', () => {
  it('sends designated caps only for the categories given', () => {
    const body = toProgramInput({
      name: ' 信息技术 2.0 ',
      level: 'provincial',
      kind: '信息技术应用能力提升',
      year: 2026,
      enrolment_mode: 'free',
      rule: 'designated',
      caps: { online: 20, practice: 30, ict: null },
      required_hours: 50,
      owner_code: '510000',
      seats: 100,
    });
    expect(body).toMatchObject({
      name: '信息技术 2.0',
      hour_rule: { kind: 'designated', caps: [{ category: 'online', hours: 20 }, { category: 'practice', hours: 30 }] },
      completion: { required_hours: 50, minimums: [], competencies: 0 },
      owner_code: '510000',
    });
  });

  it('puts problem+json field errors (also nested ones) on the matching fields', { timeout: 60000 }, async () => {
    setTokens({ access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 } as Parameters<typeof setTokens>[0]);
    const calls = mockApi({
      'GET /api/me': () => json(adminMe),
      'GET /api/regions/tree': () => json([{ code: '510000', name: '四川省', level: 'province', children: [] }]),
      'POST /api/programs': () =>
        problem(422, 'validation_failed', {
          errors: [
            { field: 'owner_code', message: '不在你的管辖范围内' },
            { field: 'completion.required_hours', message: '学时须为 0.5 的倍数' },
          ],
        }),
    });
    const onSaved = vi.fn();
    renderWithProviders(<ProgramForm open onClose={() => undefined} onSaved={onSaved} />);
    fireEvent.change(await screen.findByLabelText('项目名称'), { target: { value: '测试项目' } });
    // The owner is picked from the tree of my area (never typed) and starts as my own node, shown by name.
    expect(await screen.findByTitle('四川省', {}, { timeout: 10000 })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true), { timeout: 10000 });
    expect(await screen.findByText('不在你的管辖范围内', {}, { timeout: 10000 })).toBeInTheDocument();
    expect(await screen.findByText('学时须为 0.5 的倍数', {}, { timeout: 10000 })).toBeInTheDocument();
    const post = calls.find((c) => c.method === 'POST');
    expect(await post!.json()).toMatchObject({ name: '测试项目', level: 'provincial', owner_code: '510000', hour_rule: { kind: 'cumulative', caps: [] } });
    expect(onSaved).not.toHaveBeenCalled();
  });
});
