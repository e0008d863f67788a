import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, uniq } from './helpers';
import { idCard } from './global-setup';

export type Api = Awaited<ReturnType<typeof apiAs>>;
export interface Program { id: number; name: string }
export interface Teacher { id: number; name: string; username: string }
export interface School { id: number; code: string; name: string }

export const adminApi = (request: APIRequestContext) => apiAs(request, ADMIN.username, ADMIN.password);

const rand = (n: number) => Math.floor(Math.random() * n);

/** A school of its own in 锦江区 (510104), so a journey's counts are not disturbed by the others. */
export async function newSchool(admin: Api, name = `E2E实验小学${uniq()}`): Promise<School> {
  const code = `2151${String(rand(1_000_000)).padStart(6, '0')}`;
  return admin.post<School>('/api/schools', { code, name, county_code: '510104', stage: '小学', urban_rural: 'urban', teaching_point: false });
}

export async function schoolByCode(admin: Api, code: string): Promise<School> {
  return (await admin.get<{ items: School[] }>('/api/schools', { keyword: code })).items[0];
}

/** A teacher record with a sign-in account (password STRONG_PASSWORD). */
export async function newTeacher(admin: Api, school: School, name = `教师${uniq()}`): Promise<Teacher> {
  const birth = `19${70 + rand(25)}${String(1 + rand(12)).padStart(2, '0')}${String(1 + rand(28)).padStart(2, '0')}`;
  const t = await admin.post<{ id: number; name: string }>('/api/teachers', {
    name,
    id_card: idCard('510104', birth, rand(1000)),
    school_id: school.id,
    stage: '小学',
    subject: '数学',
    title: '一级教师',
    teaching_years: 8,
  });
  const username = `t${uniq()}`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: t.name, role: 'teacher', scope_code: school.code, teacher_id: t.id });
  return { id: t.id, name: t.name, username };
}

/** An administrator account bound to a region or school. */
export async function newAdmin(admin: Api, role: 'school_admin' | 'county_admin', scope: string): Promise<string> {
  const username = `${role.split('_')[0]}${uniq()}`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: `${role}-${scope}`, role, scope_code: scope });
  return username;
}

/** A published provincial program whose seats reach the given schools through 成都市 and 锦江区. */
export async function newProgram(admin: Api, opts: { mode: 'free' | 'assigned'; requiredHours: number; schools: string[]; name?: string }): Promise<Program> {
  const p = await admin.post<Program>('/api/programs', {
    name: opts.name ?? `E2E项目${uniq()}`,
    level: 'provincial',
    kind: '信息技术应用能力提升',
    year: 2026,
    enrolment_mode: opts.mode,
    hour_rule: { kind: 'cumulative', caps: [] },
    completion: { required_hours: opts.requiredHours, minimums: [] },
    owner_code: '510000',
    seats: 100,
  });
  await admin.post(`/api/programs/${p.id}/publish`, {});
  await admin.put(`/api/programs/${p.id}/quotas/510100`, { seats: 50 });
  await admin.put(`/api/programs/${p.id}/quotas/510104`, { seats: 30 });
  for (const code of opts.schools) await admin.put(`/api/programs/${p.id}/quotas/${code}`, { seats: 10 });
  return p;
}

/** Assigns a teacher (approved at once) and returns the enrolment id. */
export async function assign(admin: Api, program: Program, teacher: Teacher): Promise<number> {
  return (await admin.post<{ id: number }>(`/api/programs/${program.id}/enrollments`, { teacher_id: teacher.id })).id;
}

/** Credits hours an administrator records directly (course source: approved at once). */
export async function credit(admin: Api, teacher: Teacher, enrollmentId: number, category: string, hours: number) {
  return admin.post('/api/hours', { teacher_id: teacher.id, enrollment_id: enrollmentId, category, hours, occurred_on: '2026-09-01', source: 'course' });
}

/** Lets the toasts fade first: axe would catch one mid-fade (low contrast). */
export async function toastsGone(page: Page) {
  await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10_000 });
}

/** A teacher files a 补录 through the API: the evidence file first (raw body), then the entry. */
export async function fileSupplement(request: APIRequestContext, teacher: Teacher, note: string, hours = 2) {
  const login = await request.post('/api/auth/login', { data: { username: teacher.username, password: STRONG_PASSWORD } });
  const headers = { Authorization: `Bearer ${(await login.json()).access_token}` };
  const up = await request.post('/api/files', { headers: { ...headers, 'Content-Type': 'application/octet-stream' }, params: { purpose: 'evidence', name: 'evidence.png' }, data: PNG });
  expect(up.ok(), await up.text()).toBeTruthy();
  const file = (await up.json()) as { id: number };
  const r = await request.post('/api/hours', { headers, data: { category: 'practice', hours, occurred_on: '2026-10-01', source: 'supplement', note, evidence: [file.id] } });
  expect(r.ok(), await r.text()).toBeTruthy();
  return (await r.json()) as { id: number };
}

// A 1×1 PNG: real image bytes, so the upload's content check accepts it.
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
