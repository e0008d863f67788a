/** Pure helpers of the 我的个人信息 page (kept apart from the components so they are unit-tested). */

export interface RoleAtLike {
  role: string;
  scope_name: string;
}

export interface AccessEntryLike {
  kind: 'reveal' | 'export';
}

/** `省级管理员 · 四川省；区县管理员 · 锦江区` — who acted, by role and area only (never a name). */
export function actorLabel(roles: readonly RoleAtLike[], roleName: (role: string) => string, unknown: string): string {
  if (roles.length === 0) return unknown;
  return roles.map((r) => `${roleName(r.role)} · ${r.scope_name}`).join('；');
}

/** How many reveals and exports the history holds, for the summary above the table. */
export function accessTally(entries: readonly AccessEntryLike[]): { reveal: number; export: number } {
  return entries.reduce(
    (tally, e) => {
      tally[e.kind] += 1;
      return tally;
    },
    { reveal: 0, export: 0 },
  );
}
