import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { hourFormField, hoursProblem, isFutureDate, toHoursQuery } from './rules';

describe('hours in half-hour steps', () => {
  it('accepts 0.5 steps within 0.5‥200', () => {
    for (const v of [0.5, 1, 1.5, 2, 12.5, 199.5, 200, '3.5']) expect(hoursProblem(v)).toBeNull();
  });
  it('rejects other fractions', () => {
    for (const v of [0.7, 1.25, 2.75, 10.1, 'abc']) expect(hoursProblem(v)).toBe('step');
  });
  it('rejects zero, negatives and more than 200', () => {
    for (const v of [0, -1, -0.5, 200.5, 1000]) expect(hoursProblem(v)).toBe('range');
  });
  it('asks for a value when empty', () => {
    for (const v of [undefined, null, '']) expect(hoursProblem(v)).toBe('required');
  });
});

describe('training date', () => {
  const today = dayjs('2026-11-29T10:00:00');
  it('today and earlier are fine', () => {
    expect(isFutureDate(dayjs('2026-11-29T23:59:00'), today)).toBe(false);
    expect(isFutureDate(dayjs('2025-01-01'), today)).toBe(false);
    expect(isFutureDate(null, today)).toBe(false);
  });
  it('tomorrow is in the future', () => {
    expect(isFutureDate(dayjs('2026-11-30T00:00:00'), today)).toBe(true);
  });
});

describe('server field names', () => {
  it('map onto the form', () => {
    expect(hourFormField('body.occurred_on')).toBe('occurred_on');
    expect(hourFormField('evidence[0]')).toBe('evidence');
    expect(hourFormField('enrollment_id')).toBe('program_id');
    expect(hourFormField('/hours')).toBe('hours');
  });
});

describe('ledger query', () => {
  it('keeps the filters the API knows and maps the column sort', () => {
    expect(toHoursQuery({ current: 2, pageSize: 50, status: 'pending', category: 'ict', source: 'supplement', teacher_id: 7, keyword: 'x' }, { occurred_on: 'ascend' })).toEqual({
      page: 2,
      page_size: 50,
      status: 'pending',
      category: 'ict',
      source: 'supplement',
      teacher_id: 7,
      sort: 'occurred_on',
      order: 'asc',
    });
  });
  it('drops empty or unknown values and unsortable columns', () => {
    expect(toHoursQuery({ status: '', category: 'nope', node: 'x' }, { hours: 'descend' })).toEqual({ page: 1, page_size: 20 });
    expect(toHoursQuery({ node: '510104' }).node).toBe('510104');
    expect(toHoursQuery({}, { created_at: 'descend' })).toEqual({ page: 1, page_size: 20, sort: 'created', order: 'desc' });
  });
});
