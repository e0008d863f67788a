import { describe, expect, it } from 'vitest';
import { makeAccess } from '../../access';
import { grantableRoles } from './roles';

describe('roles offered by the account form', () => {
  it('offers the three system roles and the administrators only to the security administrator', () => {
    expect(grantableRoles(makeAccess(['security.manage']))).toEqual([
      'province_admin',
      'city_admin',
      'county_admin',
      'school_admin',
      'system_admin',
      'security_admin',
      'audit_admin',
    ]);
  });

  it('offers a business administrator business roles only, without the province administrator', () => {
    const county = grantableRoles(makeAccess(['account.read', 'account.write']));
    expect(county).toEqual(['city_admin', 'county_admin', 'school_admin', 'teacher', 'reviewer', 'tutor', 'institution_admin']);
    expect(county).not.toContain('audit_admin');
  });

  it('offers nothing to the system and audit administrators', () => {
    expect(grantableRoles(makeAccess(['job.manage', 'system.manage']))).toEqual([]);
    expect(grantableRoles(makeAccess(['audit.verify']))).toEqual([]);
  });
});
