import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { UploadFile } from 'antd';
import { toSupplementInput, type StoredFile } from './SupplementForm';

const file = (uid: string, status: UploadFile['status'], id?: number): UploadFile<StoredFile> => ({
  uid,
  name: `${uid}.png`,
  status,
  response: id ? { id, name: `${uid}.png`, size: 10, content_type: 'image/png', sha256: '00', purpose: 'evidence', created_at: '2026-11-29T00:00:00Z', has_poster: false } : undefined,
});

describe('补录 body', () => {
  it('sends the uploaded files’ ids, the date as YYYY-MM-DD and the enrolment', () => {
    const body = toSupplementInput(
      { category: 'ict', hours: 3.5, occurred_on: dayjs('2026-10-15'), note: '  讲座 ', evidence: [file('a', 'done', 11), file('b', 'error'), file('c', 'done', 12)] },
      42,
    );
    expect(body).toEqual({ category: 'ict', hours: 3.5, occurred_on: '2026-10-15', source: 'supplement', evidence: [11, 12], note: '讲座', enrollment_id: 42 });
  });
  it('leaves out an empty note and no enrolment', () => {
    const body = toSupplementInput({ category: 'online', hours: 1, occurred_on: dayjs('2026-01-02'), note: ' ', evidence: [file('a', 'done', 11)] });
    expect(body).not.toHaveProperty('note');
    expect(body).not.toHaveProperty('enrollment_id');
  });
});
