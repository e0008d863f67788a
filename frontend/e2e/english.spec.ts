import { expect, test, type Page } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, uniq } from './helpers';
import { adminApi, newAdmin, newSchool, newTeacher, type Api } from './training';

// English mode end to end: the SPA's own text comes from the English locale and the server's text is rendered in
// the language the SPA asks for, so no CJK character may reach the page except inside data values (names the
// directory holds, catalogue nodes, …). Server text is recognised by its keys (`detail`, `message`, and a
// problem's `title`); every other string in an API answer is data.
test.slow();

const CJK = /[\u3400-\u9fff]/;
const CJK_RUNS = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g;
const SERVER_TEXT_KEYS = new Set(['detail', 'message']);

interface Watch {
  /** Every string of an API answer that is data, not server text. */
  data: Set<string>;
  /** Server text in a language other than English, with where it came from. */
  defects: string[];
}

function collect(value: unknown, path: string, problem: boolean, w: Watch) {
  if (typeof value === 'string') {
    const key = path.split('.').pop()!.replace(/\[\d+\]$/, '');
    const serverText = SERVER_TEXT_KEYS.has(key) || (problem && key === 'title');
    if (serverText) {
      if (CJK.test(value)) w.defects.push(`${path}: ${value}`);
    } else if (CJK.test(value)) {
      w.data.add(value);
    }
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => collect(v, `${path}[${i}]`, problem, w));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) collect(v, `${path}.${k}`, problem, w);
  }
}

/** Switches the SPA to English before its first script runs and watches every API answer. */
async function english(page: Page): Promise<Watch> {
  const w: Watch = { data: new Set(), defects: [] };
  await page.addInitScript(() => localStorage.setItem('yanxiu.lang', 'en-US'));
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (!url.pathname.startsWith('/api/')) return;
    const type = res.headers()['content-type'] ?? '';
    if (!type.includes('json')) return;
    try {
      const body = await res.json();
      collect(body, `${res.request().method()} ${url.pathname}`, type.includes('problem'), w);
    } catch {
      // a body already gone (navigation) or not JSON after all: nothing to read
    }
  });
  return w;
}

/** The CJK runs of the visible page that are not part of any data value the API sent. */
async function foreignText(page: Page, w: Watch): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  // What is read out: decorative marks (aria-hidden, e.g. the logo's 研) are nobody's text.
  const text = await page.evaluate(() => {
    const hidden = [...document.querySelectorAll<HTMLElement>('[aria-hidden="true"]')];
    const saved = hidden.map((e) => e.style.display);
    hidden.forEach((e) => (e.style.display = 'none'));
    const visible = document.body.innerText;
    hidden.forEach((e, i) => (e.style.display = saved[i]));
    return visible;
  });
  const data = [...w.data];
  return [...new Set(text.match(CJK_RUNS) ?? [])].filter((run) => CJK.test(run) && !data.some((d) => d.includes(run)));
}

async function expectEnglish(page: Page, w: Watch, where: string) {
  expect(w.defects, `server text in Chinese (${where})`).toEqual([]);
  expect(await foreignText(page, w), `CJK text on ${where} that is no data value`).toEqual([]);
}

async function login(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: /Sign\s*in/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

async function logout(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
}

async function walk(page: Page, w: Watch, paths: string[]) {
  for (const path of paths) {
    await page.goto(path);
    await expect(page).toHaveURL(new RegExp(`${path.replace(/[/?]/g, '\\$&')}`));
    await expectEnglish(page, w, path);
  }
}

/** One activity per year: a year no activity has yet. */
async function freeYear(admin: Api, not: number[] = []): Promise<number> {
  const taken = new Set((await admin.get<{ items: { year: number }[] }>('/api/lesson-activities', { page_size: 100 })).items.map((a) => a.year));
  not.forEach((y) => taken.add(y));
  let year = 2030 + Math.floor(Math.random() * 60);
  while (taken.has(year)) year = year >= 2100 ? 2030 : year + 1;
  return year;
}

test('the province admin works in English: the main pages and a 409 on a form field', async ({ page, request }) => {
  const admin = await adminApi(request);
  const window = [{ stage: 'Primary', opens_at: new Date(Date.now() - 86_400_000).toISOString(), closes_at: new Date(Date.now() + 86_400_000).toISOString() }];
  const first = await admin.post<{ id: number; year: number }>('/api/lesson-activities', { year: await freeYear(admin), name: `E2E Lessons ${uniq()}`, windows: window });
  const second = await admin.post<{ id: number; year: number }>('/api/lesson-activities', { year: await freeYear(admin, [first.year]), name: `E2E Lessons ${uniq()}`, windows: window });

  const w = await english(page);
  await login(page, ADMIN.username, ADMIN.password);
  await expectEnglish(page, w, 'home');
  await walk(page, w, [
    '/regions',
    '/schools',
    '/teachers',
    '/accounts',
    '/programs',
    '/hours',
    '/quizzes',
    '/questions',
    '/competency/catalog',
    '/competency/report',
    '/lesson-activities',
    '/lesson-rounds',
    '/jobs',
    '/audit',
    '/profile',
  ]);

  // a 409 the server explains on the field: moving an activity onto a year another activity holds
  await page.goto('/lesson-activities');
  await page.getByTestId(`edit-activity-${second.id}`).click();
  const dialog = page.getByRole('dialog');
  const year = dialog.getByLabel('Year');
  await year.fill(String(first.year));
  const answer = page.waitForResponse((r) => r.url().includes(`/api/lesson-activities/${second.id}`) && r.request().method() !== 'GET');
  await dialog.getByTestId('save-activity').click();
  const res = await answer;
  expect(res.status()).toBe(409);
  const problem = await res.json();
  expect(problem.detail).not.toMatch(CJK);
  await expect(dialog.locator('.ant-form-item-explain-error').first()).toBeVisible();
  await expect(dialog.locator('.ant-form-item-explain-error').first()).not.toHaveText(CJK);
  await expectEnglish(page, w, 'the activity dialog after a 409');
});

test('a school admin, a teacher and a reviewer work in English; a 422 shows its field reasons in English', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin, `E2E English School ${uniq()}`);
  const teacher = await newTeacher(admin, school, `Teacher ${uniq()}`);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const reviewer = `reviewer${uniq()}`;
  await admin.post('/api/accounts', { username: reviewer, password: STRONG_PASSWORD, display_name: `Reviewer ${uniq()}`, role: 'reviewer', scope_code: '510104' });

  const w = await english(page);

  await login(page, schoolAdmin, STRONG_PASSWORD);
  await expectEnglish(page, w, 'school admin home');
  await walk(page, w, ['/teachers', '/programs', '/competency/plan', '/competency/review', '/lesson-check', '/quizzes', '/profile']);
  await logout(page);

  await login(page, teacher.username, STRONG_PASSWORD);
  await expectEnglish(page, w, 'teacher home');
  await walk(page, w, ['/programs', '/hours', '/quizzes', '/competency/mine', '/lessons', '/certificates', '/profile']);

  // a 422 with field reasons: a new password the rules refuse
  await page.goto('/change-password');
  await page.getByLabel('Current password').fill(STRONG_PASSWORD);
  // the password in use again: the history rule refuses it
  await page.getByLabel('New password', { exact: true }).fill(STRONG_PASSWORD);
  await page.getByLabel('Confirm new password').fill(STRONG_PASSWORD);
  const answer = page.waitForResponse((r) => r.url().includes('/api/auth/') && r.request().method() !== 'GET');
  await page.getByRole('button', { name: /Change password/ }).click();
  const res = await answer;
  expect(res.status()).toBe(422);
  const problem = await res.json();
  expect(problem.errors.length).toBeGreaterThan(0);
  for (const e of problem.errors) expect(e.message).not.toMatch(CJK);
  await expect(page.locator('.ant-form-item-explain-error').first()).toBeVisible();
  await expectEnglish(page, w, 'change password after a 422');
  await logout(page);

  await login(page, reviewer, STRONG_PASSWORD);
  await expectEnglish(page, w, 'reviewer home');
  await walk(page, w, ['/lesson-reviews', '/profile']);

  // the API answers English problems to an English client and Chinese ones by default
  const api = await apiAs(request, teacher.username, STRONG_PASSWORD);
  const en = await request.get('/api/lessons/999999999', { headers: { Authorization: `Bearer ${api.token}`, 'Accept-Language': 'en-US,en;q=0.9' } });
  expect(en.status()).toBe(404);
  expect((await en.json()).detail).not.toMatch(CJK);
  const zh = await request.get('/api/lessons/999999999', { headers: { Authorization: `Bearer ${api.token}` } });
  expect((await zh.json()).detail).toMatch(CJK);
});
