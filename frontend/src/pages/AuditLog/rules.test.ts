import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { auditQuery, detailText } from './rules';

describe('audit log search', () => {
  it('leaves blanks out and sends the range as instants', () => {
    const from = dayjs('2026-03-01T08:00:00+08:00');
    const to = dayjs('2026-03-02T08:00:00+08:00');
    expect(auditQuery({ actor: ' admin ', action: '', ip: '   ', at: [from, to] })).toEqual({
      actor: 'admin',
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-03-02T00:00:00.000Z',
    });
    expect(auditQuery({})).toEqual({});
  });

  it('shows a detail on one line and an empty one as a dash', () => {
    expect(detailText({ rows: 3 })).toBe('{"rows":3}');
    expect(detailText({})).toBe('—');
    expect(detailText(null)).toBe('—');
  });
});
