import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import TeacherForm from './TeacherForm';
import { json, mockApi, renderWithProviders } from '../../test/utils';
import type { Teacher } from '../../api/types';

const teacher: Teacher = {
  id: 5,
  name: '张明',
  gender: 'male',
  school_id: 3,
  school_code: '2151990001',
  school_name: 'E2E锦江实验小学',
  id_card_masked: '510104********1234',
  phone_masked: '138****0011',
  email: 't11@example.com',
  birth_date: '1985-03-12',
  stage: 'primary',
  subject: '数学',
  title: '一级教师',
  active: true,
};

function setup() {
  const calls = mockApi({
    'GET /api/schools': () => json({ items: [], total: 0, page: 1, page_size: 20 }),
    'PUT /api/teachers/5': async (req) => json({ ...teacher, ...(await req.json()) }),
  });
  const onSaved = vi.fn();
  renderWithProviders(<TeacherForm open teacher={teacher} onClose={() => undefined} onSaved={onSaved} />);
  return { calls, onSaved };
}

async function putBody(calls: Request[]) {
  await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
  return (await calls.find((c) => c.method === 'PUT')!.json()) as Record<string, unknown>;
}

describe('teacher edit form', () => {
  it('shows the masked values and saves without re-typing the ID number or phone', async () => {
    const { calls, onSaved } = setup();
    expect(await screen.findByDisplayValue('510104********1234')).toBeInTheDocument();
    expect(screen.getByDisplayValue('138****0011')).toBeInTheDocument();
    expect(screen.queryByText(/重新输入/)).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    const body = await putBody(calls);
    expect(body).toMatchObject({ name: '张明', school_id: 3, stage: 'primary', subject: '数学' });
    expect(body).not.toHaveProperty('id_card');
    expect(body).not.toHaveProperty('phone');
    expect(body).not.toHaveProperty('remove_phone');
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
  });

  it('sends a new phone only when one is typed, and "" when the phone is removed', async () => {
    const { calls } = setup();
    await screen.findByDisplayValue('138****0011');
    fireEvent.click(screen.getByLabelText('删除手机号'));
    expect(screen.getByLabelText('修改手机号')).toBeDisabled();
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    const body = await putBody(calls);
    expect(body.phone).toBe('');
    expect(body).not.toHaveProperty('id_card');
  });

  it('sends a typed new ID number', async () => {
    const { calls } = setup();
    fireEvent.change(await screen.findByLabelText('修改身份证号'), { target: { value: '11010519491231002X' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    const body = await putBody(calls);
    expect(body.id_card).toBe('11010519491231002X');
    expect(body).not.toHaveProperty('phone');
  });
});
