import { request as pwRequest, type FullConfig } from '@playwright/test';
import { ADMIN } from './helpers';

/** 身份证号 with its ISO 7064 MOD 11-2 check character. */
export function idCard(area: string, birth: string, seq: number): string {
  const first17 = `${area}${birth}${String(seq).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

export const SEED_SCHOOLS = [
  { code: '2151990001', name: 'E2E锦江实验小学', county_code: '510104', stage: '小学', urban_rural: 'urban' },
  { code: '3151990002', name: 'E2E锦江第一初级中学', county_code: '510104', stage: '初中', urban_rural: 'urban' },
  { code: '2151990003', name: 'E2E青羊实验小学', county_code: '510105', stage: '小学', urban_rural: 'town' },
  { code: '2151990004', name: 'E2E青羊乡村小学', county_code: '510105', stage: '小学', urban_rural: 'rural' },
] as const;

/**
 * Makes sure the directory has schools in two counties and teachers, whatever `yanxiu demo-data` provides:
 * everything is created through the public API as the province admin, and only when missing.
 */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0].use.baseURL!;
  const ctx = await pwRequest.newContext({ baseURL });
  const login = await ctx.post('/api/auth/login', { data: ADMIN });
  if (!login.ok()) throw new Error(`admin login failed: ${login.status()} ${await login.text()}`);
  const headers = { Authorization: `Bearer ${(await login.json()).access_token}` };
  const ids: number[] = [];
  for (const s of SEED_SCHOOLS) {
    const found = await (await ctx.get('/api/schools', { headers, params: { keyword: s.code } })).json();
    if (found.total > 0) {
      ids.push(found.items[0].id);
      continue;
    }
    const r = await ctx.post('/api/schools', { headers, data: { ...s, teaching_point: false } });
    if (!r.ok()) throw new Error(`seed school ${s.code}: ${r.status()} ${await r.text()}`);
    ids.push((await r.json()).id);
  }
  const teachers = [
    { name: '张明', school: 0, birth: '19850312', seq: 11, subject: '数学' },
    { name: '李华', school: 0, birth: '19900521', seq: 22, subject: '语文' },
    { name: '王芳', school: 1, birth: '19880909', seq: 32, subject: '英语' },
    { name: '赵强', school: 2, birth: '19791130', seq: 41, subject: '信息技术' },
  ];
  for (const t of teachers) {
    const id_card = idCard(SEED_SCHOOLS[t.school].county_code, t.birth, t.seq);
    const found = await (await ctx.get('/api/teachers', { headers, params: { keyword: t.name, school_id: ids[t.school] } })).json();
    if (found.total > 0) continue;
    const r = await ctx.post('/api/teachers', {
      headers,
      data: {
        name: t.name,
        id_card,
        school_id: ids[t.school],
        phone: `1380000${String(t.seq).padStart(4, '0')}`,
        email: `t${t.seq}@example.com`,
        stage: SEED_SCHOOLS[t.school].stage,
        subject: t.subject,
        title: '一级教师',
        education: '本科',
        teaching_years: 10,
      },
    });
    if (!r.ok()) throw new Error(`seed teacher ${t.name}: ${r.status()} ${await r.text()}`);
  }
  await ctx.dispose();
}
