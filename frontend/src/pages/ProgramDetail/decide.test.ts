import { describe, expect, it } from 'vitest';
import { mayDecide } from '.';

describe('who may decide a pending enrolment', () => {
  const role = (r: string) => [{ role: r }];
  it('the school level: any administrator', () => {
    for (const r of ['school_admin', 'county_admin', 'city_admin', 'province_admin']) expect(mayDecide(role(r), 'school')).toBe(true);
  });
  it('the county level: county and above, not the school', () => {
    expect(mayDecide(role('school_admin'), 'county')).toBe(false);
    expect(mayDecide(role('county_admin'), 'county')).toBe(true);
    expect(mayDecide(role('province_admin'), 'county')).toBe(true);
  });
  it('never a teacher, nor a decided enrolment', () => {
    expect(mayDecide(role('teacher'), 'school')).toBe(false);
    expect(mayDecide(role('county_admin'), undefined)).toBe(false);
  });
});
