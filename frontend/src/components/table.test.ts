import { describe, expect, it } from 'vitest';
import { toListQuery } from './table';
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
