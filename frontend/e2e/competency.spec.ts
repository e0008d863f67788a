import { expect, test, type Page } from '@playwright/test';
import { STRONG_PASSWORD, apiAs, checkPage, uiLogin, uniq } from './helpers';
import { PNG, adminApi, newAdmin, newSchool, newTeacher, toastsGone, type Api, type School, type Teacher } from './training';

const YEAR = new Date().getFullYear();
const CONFIRMED = ['A1', 'A3', 'B3', 'B6', 'C4'];
const DIMENSIONS = ['analysis', 'design', 'guidance', 'assessment'];

interface Point { code: string; name: string; dimension?: string | null }

/** The province fills the seeded draft's cards (keeping the five confirmed names) and publishes it, once a run. */
async function ensureCatalogue(admin: Api) {
  const published = await admin.get<{ total: number }>('/api/competency/catalogs', { status: 'published' });
  if (published.total > 0) return;
  const drafts = await admin.get<{ items: { id: number }[] }>('/api/competency/catalogs', { status: 'draft' });
  const id = drafts.items[0].id;
  const catalog = await admin.get<{ points: Point[] }>(`/api/competency/catalogs/${id}`);
  for (const [i, p] of catalog.points.entries()) {
    await admin.put(`/api/competency/catalogs/${id}/points/${p.code}`, {
      name: CONFIRMED.includes(p.code) ? p.name : `能力点${p.code}`,
      dimension: p.dimension ?? DIMENSIONS[i % 4],
      description: `${p.code} 的说明`,
      evidence_items: [
        { key: 'design', name: '教学设计', required: true },
        { key: 'reflection', name: '教学反思', required: false },
      ],
      excellent_criteria: ['技术运用恰当，设计新颖', '反思深入'],
      pass_criteria: ['材料完整', '符合能力点要求'],
    });
  }
  await admin.post(`/api/competency/catalogs/${id}/publish`, {});
}

interface Setup { admin: Api; school: School; teacher: Teacher }

/** A school of its own with a plan (A1 必修, A3 B3 选修) and a teacher. */
async function schoolWithPlan(request: Parameters<typeof adminApi>[0]): Promise<Setup> {
  const admin = await adminApi(request);
  await ensureCatalogue(admin);
  const school = await newSchool(admin);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const sa = await apiAs(request, schoolAdmin, STRONG_PASSWORD);
  await sa.put('/api/competency/plans', {
    school_code: school.code,
    year: YEAR,
    required_passes: 3,
    points: [
      { code: 'A1', compulsory: true },
      { code: 'A3', compulsory: false },
      { code: 'B3', compulsory: false },
    ],
  });
  return { admin, school, teacher: await newTeacher(admin, school) };
}

async function submitAsTeacher(request: Parameters<typeof adminApi>[0], teacher: Teacher): Promise<number> {
  const t = await apiAs(request, teacher.username, STRONG_PASSWORD);
  const s = await t.post<{ id: number }>('/api/competency/submissions', { year: YEAR, code: 'A1', items: [{ key: 'design', text: '《圆的面积》：用几何画板演示割补。' }] });
  return s.id;
}

async function newReviewer(admin: Api, scope: string): Promise<string> {
  const username = `rev${uniq()}`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: `评审${scope}`, role: 'reviewer', scope_code: scope });
  return username;
}

async function tick(page: Page, ids: string[]) {
  const dialog = page.getByRole('dialog');
  for (const id of ids) await dialog.getByTestId(id).click();
}

test('a school admin makes the year plan: A1 必修, A3 and B3 选修, 3 to pass', async ({ page, request }) => {
  const admin = await adminApi(request);
  await ensureCatalogue(admin);
  const school = await newSchool(admin);
  const username = await newAdmin(admin, 'school_admin', school.code);
  await uiLogin(page, username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '能力点计划' }).click();
  await expect(page).toHaveURL(/\/competency\/plan$/);
  await page.locator('tr[data-row-key="A1"]').getByText('必修', { exact: true }).click();
  await page.locator('tr[data-row-key="A3"]').getByText('选修', { exact: true }).click();
  await page.locator('tr[data-row-key="B3"]').getByText('选修', { exact: true }).click();
  await expect(page.getByText('已选 3 个能力点')).toBeVisible();
  await checkPage(page, 'competency-plan');
  await page.getByTestId('save-plan').click();
  await expect(page.getByText('计划已保存')).toBeVisible();
  const plans = await admin.get<{ items: { required_passes: number; points: { code: string; compulsory: boolean }[] }[] }>('/api/competency/plans', { year: YEAR, school_code: school.code });
  expect(plans.items[0].required_passes).toBe(3);
  expect(plans.items[0].points.map((p) => [p.code, p.compulsory])).toEqual([
    ['A1', true],
    ['A3', false],
    ['B3', false],
  ]);
});

test('a teacher submits evidence for A1 with an uploaded file and sees it pending', async ({ page, request }) => {
  const { admin, teacher } = await schoolWithPlan(request);
  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '我的能力点' }).click();
  await expect(page).toHaveURL(/\/competency\/mine$/);
  const card = page.locator('.ant-card', { hasText: 'A1 技术支持的学情分析' });
  await expect(card).toContainText('必修');
  await expect(card).toContainText('未提交');
  await card.getByTestId('submit-A1').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('text-design').fill('《圆的面积》：课前用问卷星做学情诊断，课上分层任务。');
  await dialog.locator('input[type=file]').first().setInputFiles({ name: '教学设计.png', mimeType: 'image/png', buffer: PNG });
  await expect(dialog.locator('.ant-upload-list-item-done')).toHaveCount(1);
  await checkPage(page, 'competency-submit');
  await dialog.getByTestId('submit-evidence').click();
  await expect(dialog).toBeHidden();
  await expect(card).toContainText('待评');
  await card.getByTestId('history-A1').click();
  await expect(page.getByTestId('history-entry')).toHaveCount(1);
  await expect(page.getByRole('dialog')).toContainText('教学设计.png');
  await toastsGone(page);
  await checkPage(page, 'competency-history');
  const list = await admin.get<{ items: { items: { files: { name: string }[] }[] }[] }>('/api/competency/submissions', { teacher_id: teacher.id });
  expect(list.items[0].items[0].files[0].name).toBe('教学设计.png');
});

test('a school reviewer grades with the checklist; the grade follows the ticks', async ({ page, request }) => {
  const { admin, school, teacher } = await schoolWithPlan(request);
  const id = await submitAsTeacher(request, teacher);
  const reviewer = await newReviewer(admin, school.code);
  await uiLogin(page, reviewer, STRONG_PASSWORD);
  await page.getByRole('link', { name: '能力点评审' }).click();
  await expect(page).toHaveURL(/\/competency\/review$/);
  const row = page.locator('.ant-table-row', { hasText: teacher.name });
  await expect(row).toContainText('待评审');
  await row.getByTestId(`grade-${id}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('几何画板');
  await expect(dialog.getByTestId('derived-grade')).toHaveText('不合格');
  await tick(page, ['pass-0', 'pass-1']);
  await expect(dialog.getByTestId('derived-grade')).toHaveText('合格');
  await tick(page, ['excellent-0', 'excellent-1']);
  await expect(dialog.getByTestId('derived-grade')).toHaveText('优秀');
  await checkPage(page, 'competency-review');
  await dialog.getByTestId('confirm-grade').click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('优秀');
  const s = await admin.get<{ final_grade: string; school_review: { grade: string } }>(`/api/competency/submissions/${id}`);
  expect(s.final_grade).toBe('excellent');
});

test('a county reviewer draws a spot-check and overrides a school grade with a reason', async ({ page, request }) => {
  const { admin, school, teacher } = await schoolWithPlan(request);
  const id = await submitAsTeacher(request, teacher);
  const schoolReviewer = await apiAs(request, await newReviewer(admin, school.code), STRONG_PASSWORD);
  await schoolReviewer.post(`/api/competency/submissions/${id}/review`, { excellent: [false, false], pass: [true, true] });
  const county = await newReviewer(admin, '510104');
  await uiLogin(page, county, STRONG_PASSWORD);
  await page.getByRole('link', { name: '能力点抽查' }).click();
  await expect(page).toHaveURL(/\/competency\/spot-checks$/);
  await page.getByTestId('draw-share').fill('100');
  await page.getByTestId('draw-seed').fill('20261129');
  await page.getByTestId('draw').click();
  await expect(page.getByText(/从 \d+ 份中抽取 \d+ 份/)).toBeVisible();
  const row = page.locator('.ant-table-row', { hasText: teacher.name });
  await expect(row).toContainText('已抽中');
  await row.getByTestId(`grade-${id}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('学校评定');
  await tick(page, ['pass-0']);
  await expect(dialog.getByTestId('derived-grade')).toHaveText('不合格');
  await expect(dialog).toContainText('区县改判');
  await dialog.getByTestId('confirm-grade').click();
  await expect(dialog).toContainText('须填写改判理由');
  await dialog.getByTestId('grade-comment').fill('课堂实录与教学设计不符');
  await toastsGone(page);
  await checkPage(page, 'competency-spot-check');
  await dialog.getByTestId('confirm-grade').click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('不合格');
  await expect(row).toContainText('区县改判');
  const s = await admin.get<{ final_grade: string; overridden: boolean; county_review: { comment: string } }>(`/api/competency/submissions/${id}`);
  expect(s.final_grade).toBe('fail');
  expect(s.overridden).toBe(true);
  expect(s.county_review.comment).toBe('课堂实录与教学设计不符');
});
