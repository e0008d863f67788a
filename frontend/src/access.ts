import type { Schemas } from './api/client';

/** Permission strings from GET /api/me, used as access keys of the route table (Ant Design Pro's access model). */
export type Permission = Schemas['Permission'];

export type Access = (perm: Permission | undefined) => boolean;

export function makeAccess(permissions: readonly string[] | undefined): Access {
  const set = new Set(permissions ?? []);
  return (perm) => perm === undefined || set.has(perm);
}
