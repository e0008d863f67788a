/** Permission strings from GET /api/me, used as access keys of the route table (Ant Design Pro's access model). */
export type Permission =
  | 'region.read'
  | 'school.read'
  | 'school.write'
  | 'teacher.read'
  | 'teacher.write'
  | 'teacher.reveal'
  | 'account.read'
  | 'account.write'
  | 'import.run'
  | 'export.run'
  | 'audit.read'
  | 'program.manage'
  | 'result.submit'
  | 'competency.catalog'
  | 'competency.plan'
  | 'competency.read'
  | 'competency.review'
  | 'competency.spot_check'
  | 'question.manage'
  | 'lesson.activity'
  | 'lesson.check'
  | 'lesson.round'
  | 'lesson.review'
  | 'job.manage'
  | 'system.manage'
  | 'security.manage'
  | 'audit.verify';

export type Access = (perm: Permission | undefined) => boolean;

export function makeAccess(permissions: readonly string[] | undefined): Access {
  const set = new Set(permissions ?? []);
  return (perm) => perm === undefined || set.has(perm);
}
