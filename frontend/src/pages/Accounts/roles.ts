import type { Access } from '../../access';
import type { Role } from '../../api/types';

/** Every role, in the order the role filter lists them. */
export const ROLES: Role[] = [
  'province_admin',
  'city_admin',
  'county_admin',
  'school_admin',
  'teacher',
  'reviewer',
  'tutor',
  'institution_admin',
  'system_admin',
  'security_admin',
  'audit_admin',
];

/** The three province system administrators (三员分立): each held alone, granted by the security administrator only. */
export const SYSTEM_THREE: Role[] = ['system_admin', 'security_admin', 'audit_admin'];

const BUSINESS_ADMINS: Role[] = ['province_admin', 'city_admin', 'county_admin', 'school_admin'];

/**
 * The roles the account form offers: a security administrator grants administrators' roles (the three system
 * roles and every business administrator's); a business administrator grants business roles below the province
 * (the server still checks each grant against the caller's rank and area).
 */
export function grantableRoles(access: Access): Role[] {
  const roles = new Set<Role>();
  if (access('security.manage')) [...SYSTEM_THREE, ...BUSINESS_ADMINS].forEach((r) => roles.add(r));
  if (access('account.write')) ROLES.filter((r) => r !== 'province_admin' && !SYSTEM_THREE.includes(r)).forEach((r) => roles.add(r));
  return ROLES.filter((r) => roles.has(r));
}
