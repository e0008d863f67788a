import { describe, expect, it } from 'vitest';
import { MAX_PAGE, pagerTotal, toListQuery, toTableResult } from './table';
import { fieldName } from './errors';

describe('list query', () => {
  it('maps ProTable params to page/page_size/sort/order and drops empty filters', () => {
    expect(toListQuery({ current: 3, pageSize: 50, keyword: ' 锦江 ', stage: '', region: undefined, active: 'true' }, { name: 'descend' })).toEqual({
      page: 3,
      page_size: 50,
      keyword: '锦江',
      active: 'true',
      sort: 'name',
      order: 'desc',
    });
    expect(toListQuery({}, {})).toEqual({ page: 1, page_size: 20 });
  });
});

describe('problem field names', () => {
  it('strips the location prefix the server may put on a field', () => {
    expect(fieldName('code')).toBe('code');
    expect(fieldName('body.county_code')).toBe('county_code');
    expect(fieldName('/id_card')).toBe('id_card');
  });
});

describe('long lists', () => {
  it('passes on whether the server counted every match', () => {
    expect(toTableResult({ items: [1, 2], total: 2, total_exact: true })).toEqual({ data: [1, 2], total: 2, success: true, totalExact: true });
    expect(toTableResult({ items: [], total: 10001, total_exact: false }).totalExact).toBe(false);
  });

  it('pages no further than the last page the server serves', () => {
    expect(pagerTotal(10001, 20)).toBe(MAX_PAGE * 20);
    expect(pagerTotal(10001, 200)).toBe(10001);
    expect(pagerTotal(7, 20)).toBe(7);
  });
});
