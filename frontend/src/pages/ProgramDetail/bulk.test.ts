import { describe, expect, it } from 'vitest';
import { bulkState, fileState, filterBody } from './bulk';

describe('批量指派 helpers', () => {
  it('filterBody trims the node and leaves blank stage / subject out', () => {
    expect(filterBody({ node: ' 2151000001 ', stage: undefined, subject: undefined }, true)).toEqual({ teacher_ids: [], node: '2151000001', dry_run: true });
    expect(filterBody({ node: '510104', stage: 'primary', subject: ' 数学 ' }, false)).toEqual({ teacher_ids: [], node: '510104', stage: 'primary', subject: '数学', dry_run: false });
  });

  it('a filter report: ready only when every teacher is assignable', () => {
    expect(bulkState({ total: 3, assignable: 3, committed: false, errors: [] })).toBe('ready');
    expect(bulkState({ total: 3, assignable: 2, committed: false, errors: [{ teacher_id: 1, teacher_name: '张三', code: 'conflict', message: '已报名' }] })).toBe('blocked');
    expect(bulkState({ total: 0, assignable: 0, committed: false, errors: [] })).toBe('empty');
    expect(bulkState({ total: 3, assignable: 3, committed: true, errors: [] })).toBe('committed');
  });

  it('a file report: any line error blocks the commit', () => {
    const base = { created: 0, updated: 0, committed: false };
    expect(fileState({ ...base, total_rows: 2, valid_rows: 2, errors: [] })).toBe('ready');
    expect(fileState({ ...base, total_rows: 2, valid_rows: 1, errors: [{ line: 3, column: '身份证号', code: 'no_teacher_with_id_card', message: '未找到教师' }] })).toBe('blocked');
    expect(fileState({ ...base, total_rows: 2, valid_rows: 2, errors: [{ line: 1, column: '身份证号', code: 'id_card_column_missing', message: '缺少列' }] })).toBe('blocked');
    expect(fileState({ ...base, total_rows: 0, valid_rows: 0, errors: [] })).toBe('empty');
    expect(fileState({ ...base, total_rows: 2, valid_rows: 2, created: 2, committed: true, errors: [] })).toBe('committed');
  });
});
