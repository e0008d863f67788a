import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import SchoolForm from './SchoolForm';
import { json, mockApi, problem, renderWithProviders } from '../../test/utils';
import type { School } from '../../api/types';

const school: School = {
  id: 7,
  code: '2151000007',
  name: '锦江区实验小学',
  county_code: '510104',
  county_name: '锦江区',
  city_name: '成都市',
  stage: 'primary',
  urban_rural: 'urban',
  teaching_point: false,
  active: true,
};

describe('school form', () => {
  it('puts problem+json field errors on the matching fields', async () => {
    const calls = mockApi({
      'GET /api/regions/tree': () => json([{ code: '510104', name: '锦江区', level: 'county', children: [] }]),
      'PUT /api/schools/7': () =>
        problem(422, 'validation_failed', { errors: [{ field: 'name', message: '同一区县内已有同名学校' }] }),
    });
    const onSaved = vi.fn();
    renderWithProviders(<SchoolForm open school={school} onClose={() => undefined} onSaved={onSaved} />);
    expect(await screen.findByDisplayValue('锦江区实验小学')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(await screen.findByText('同一区县内已有同名学校')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(await put!.json()).toMatchObject({ code: '2151000007', name: '锦江区实验小学', county_code: '510104', urban_rural: 'urban' });
    await waitFor(() => expect(onSaved).not.toHaveBeenCalled());
  });
});
