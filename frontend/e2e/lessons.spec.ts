import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { STRONG_PASSWORD, apiAs, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { adminApi, newAdmin, newSchool, newTeacher, toastsGone, type Api, type School, type Teacher } from './training';

// 一师一优课 journeys: fixtures (activity, catalogue, accounts, pool) through the API, the steps under test in the UI.
test.slow();

const VIDEO_DIR = join(import.meta.dirname, '..', 'test-results', 'media');
// A real 30-minute H.264/AAC MP4 at one frame per second: ~180 KB, made in about two seconds.
function lessonVideo(): string {
  const out = join(VIDEO_DIR, 'lesson-720x576-30min.mp4');
  if (existsSync(out)) return out;
  mkdirSync(VIDEO_DIR, { recursive: true });
  const tmp = `${out}.${process.pid}.mp4`;
  execFileSync(
    'ffmpeg',
    ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=720x576:r=1', '-f', 'lavfi', '-i', 'anullsrc=r=8000:cl=mono', '-t', '1800', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '8k', tmp],
    { stdio: 'inherit' },
  );
  execFileSync('mv', [tmp, out]);
  return out;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const HEADER = '学段,学科,教材版本,年级,册次,章节,知识节点';

interface Activity { id: number; name: string }
interface Fixture {
  admin: Api;
  activity: Activity;
  school: School;
  teacher: Teacher;
  schoolAdmin: string;
  node: string;
}

async function confirmPopover(page: Page) {
  const pop = page.locator('.ant-popconfirm:visible');
  await expect(pop).toBeVisible();
  await pop.getByRole('button', { name: /确\s*定/ }).click();
}

/** Picks an option of an antd Select opened by clicking `trigger`. */
async function choose(page: Page, trigger: ReturnType<Page['locator']>, option: string) {
  const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first();
  // a Select holding a value covers its input with the selected item: the click is meant for the whole control.
  // In a dialog's first frames a click may open nothing: open it until the option shows.
  await expect(async () => {
    if (!(await item.isVisible())) await trigger.click({ force: true });
    await expect(item).toBeVisible({ timeout: 1_500 });
  }).toPass({ timeout: 15_000 });
  await item.click();
  await expect(page.locator('.ant-select-dropdown:visible')).toHaveCount(0);
}

/** One activity per year: each journey takes a year no activity has yet. */
async function freeYear(admin: Api): Promise<number> {
  const taken = new Set((await admin.get<{ items: { year: number }[] }>('/api/lesson-activities', { page_size: 100 })).items.map((a) => a.year));
  let year = 2030 + Math.floor(Math.random() * 60);
  while (taken.has(year)) year = year >= 2100 ? 2030 : year + 1;
  return year;
}

async function importCatalogue(request: APIRequestContext, admin: Api, activityId: number, csv: string, dryRun: boolean) {
  const r = await request.post(`/api/lesson-activities/${activityId}/catalogue/import`, {
    headers: { Authorization: `Bearer ${admin.token}` },
    params: { dry_run: dryRun },
    multipart: { file: { name: 'catalogue.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } },
  });
  expect(r.ok(), await r.text()).toBeTruthy();
  return r.json();
}

/** An activity whose 小学 window is open, a catalogue of three nodes, a school with a verified teacher and its admin. */
async function fixture(request: APIRequestContext): Promise<Fixture> {
  const admin = await adminApi(request);
  const mark = uniq();
  const activity = await admin.post<Activity>('/api/lesson-activities', {
    year: await freeYear(admin),
    name: `E2E晒课${mark}`,
    windows: [{ stage: '小学', opens_at: new Date(Date.now() - 86_400_000).toISOString(), closes_at: new Date(Date.now() + 30 * 86_400_000).toISOString() }],
  });
  const node = `圆的面积${mark}`;
  const csv = [HEADER, `小学,数学,人教版,六年级,上册,第五单元 圆,${node}`, `小学,数学,人教版,六年级,上册,第五单元 圆,圆的周长${mark}`, `小学,语文,统编版,三年级,下册,第一单元,古诗三首${mark}`].join('\n');
  const report = await importCatalogue(request, admin, activity.id, csv, false);
  expect(report.committed).toBe(true);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const sa = await apiAs(request, schoolAdmin, STRONG_PASSWORD);
  const v = await request.post(`/api/lesson-activities/${activity.id}/teachers/${teacher.id}/verify`, { headers: { Authorization: `Bearer ${sa.token}` } });
  expect(v.ok(), await v.text()).toBeTruthy();
  return { admin, activity, school, teacher, schoolAdmin, node };
}

/** The teacher creates the lesson in the editor: activity, cascading pickers, node, title, 教学设计. Returns its id. */
async function createLessonInUi(page: Page, f: Fixture, title: string): Promise<number> {
  await page.goto('/lessons');
  await page.getByTestId('new-lesson').click();
  await expect(page).toHaveURL(/\/lessons\/new$/);
  await choose(page, page.getByTestId('lesson-activity'), f.activity.name);
  const picker = page.getByTestId('catalogue-picker');
  await choose(page, picker.getByTestId('facet-stage'), '小学');
  await choose(page, picker.getByTestId('facet-subject'), '数学');
  // only 数学 nodes remain under the picks
  await expect(picker.getByTestId('catalogue-nodes')).not.toContainText('古诗三首');
  await picker.locator('tr', { hasText: f.node }).click();
  await expect(picker.locator('tr.ant-table-row-selected', { hasText: f.node })).toBeVisible();
  await page.getByTestId('lesson-title').fill(title);
  await page.getByTestId('design-objectives').fill('理解圆的面积公式的推导过程。');
  await page.getByTestId('design-learner_analysis').fill('学生已掌握长方形、平行四边形的面积。');
  await page.getByTestId('design-key_points').fill('重点：公式推导；难点：化曲为直。');
  await page.getByTestId('design-activities').fill('剪拼圆形，转化为近似长方形。');
  await page.getByTestId('save-lesson').click();
  await expect(page).toHaveURL(/\/lessons\/\d+$/);
  return Number(/\/lessons\/(\d+)$/.exec(page.url())![1]);
}

test('the province imports a lesson catalogue: the dry run lists row errors, a clean file is committed and browsable', async ({ page, request }) => {
  const admin = await adminApi(request);
  const mark = uniq();
  const activity = await admin.post<Activity>('/api/lesson-activities', {
    year: await freeYear(admin),
    name: `E2E目录${mark}`,
    windows: [{ stage: '初中', opens_at: new Date().toISOString(), closes_at: new Date(Date.now() + 86_400_000).toISOString() }],
  });
  await uiLogin(page, 'admin', 'Admin-Passw0rd!');
  await page.getByRole('link', { name: '晒课活动' }).click();
  await expect(page).toHaveURL(/\/lesson-activities$/);
  await page.getByTestId(`import-catalogue-${activity.id}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  // a row without its 知识节点: reported by line and column, nothing written
  const bad = [HEADER, `初中,物理,人教版,八年级,上册,第一章 机械运动,长度和时间的测量${mark}`, '初中,物理,人教版,八年级,上册,第一章 机械运动,'].join('\n');
  await dialog.locator('input[type=file]').setInputFiles({ name: 'catalogue.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await dialog.getByTestId('import-check').click();
  await expect(dialog.getByTestId('import-errors')).toContainText('3');
  await checkPage(page, 'lesson-catalogue-errors');
  await dialog.getByRole('button', { name: /重新选择/ }).click();
  const good = [HEADER, `初中,物理,人教版,八年级,上册,第一章 机械运动,长度和时间的测量${mark}`, `初中,物理,人教版,八年级,上册,第一章 机械运动,运动的描述${mark}`].join('\n');
  await dialog.locator('input[type=file]').setInputFiles({ name: 'catalogue.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await dialog.getByTestId('import-check').click();
  await dialog.getByTestId('import-commit').click();
  await expect(dialog.getByTestId('import-done')).toBeVisible();
  await dialog.getByRole('button', { name: /返回列表/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('activities-table').locator(`tr[data-row-key="${activity.id}"]`)).toContainText('2');
  await page.getByTestId(`browse-catalogue-${activity.id}`).click();
  await expect(page.getByTestId('catalogue-nodes')).toContainText(`运动的描述${mark}`);
  await toastsGone(page);
  await checkPage(page, 'lesson-catalogue');
});

test('a teacher drafts a lesson on a catalogue node; the checklist lists what is missing and submitting stays disabled', async ({ page, request }) => {
  const f = await fixture(request);
  await uiLogin(page, f.teacher.username, STRONG_PASSWORD);
  await expect(page.getByRole('link', { name: '我的晒课' })).toBeVisible();
  const id = await createLessonInUi(page, f, `圆的面积（草稿）${uniq()}`);
  await expect(page.getByTestId('lesson-status')).toHaveText('草稿');
  await expect(page.getByTestId('req-r-item_video')).toHaveAttribute('data-passed', 'false');
  await expect(page.getByTestId('req-r-design_sections')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('req-r-teacher_verified')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('submit-lesson')).toBeDisabled();
  await expect(page.getByTestId('submit-blockers')).toContainText('课堂实录');
  // a small item goes up as a single file and is listed at once
  await page.locator('tr[data-row-key="design"] input[type=file]').setInputFiles({ name: '教学设计.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(page.locator('tr[data-row-key="design"]')).toContainText('教学设计.pdf');
  await expect(page.getByTestId('req-r-item_design')).toHaveAttribute('data-passed', 'true');
  await toastsGone(page);
  await checkPage(page, 'lesson-editor');
  const t = await apiAs(request, f.teacher.username, STRONG_PASSWORD);
  const lesson = await t.get<{ items: { kind: string }[]; status: string }>(`/api/lessons/${id}`);
  expect(lesson.items.map((i) => i.kind)).toEqual(['design']);
});

// ——— The whole flow: needs the resumable uploads and the rounds (contract Part B) in the server. ———

interface Round { id: number; status: string }
interface Review { assignment_id: number; round_id: number; criteria: { key: string; max_points: number }[] }

// The whole flow in two steps: the first needs Part A and the resumable uploads, the second the review rounds.
test.describe.serial('from 晒课 to the county award', () => {
  let f: Fixture;
  let title = '';
  let lessonId = 0;

  test('the teacher uploads the four items (the MP4 with its progress reaching 100%) and submits; the school passes the lesson', async ({ page, request }) => {
    const video = lessonVideo();
    f = await fixture(request);
    title = `圆的面积${uniq()}`;

    // 1. the teacher: lesson, the four items (the MP4 through the resumable upload, its progress reaching 100%), submit
    await uiLogin(page, f.teacher.username, STRONG_PASSWORD);
    lessonId = await createLessonInUi(page, f, title);
    for (const [kind, name] of [
      ['design', '教学设计.pdf'],
      ['courseware', '课件.pdf'],
      ['exercise', '评测练习.pdf'],
    ] as const) {
      await page.locator(`tr[data-row-key="${kind}"] input[type=file]`).setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
      await expect(page.locator(`tr[data-row-key="${kind}"]`)).toContainText(name);
    }
    await page.locator('tr[data-row-key="video"] input[type=file]').setInputFiles(video);
    const progress = page.getByTestId('progress-video');
    await expect(progress).toBeVisible();
    await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
    await expect(progress).toHaveAttribute('data-phase', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('progress-text-video')).toContainText('100%');
    await expect(page.locator('tr[data-row-key="video"]')).toContainText('.mp4');
    await expect(page.getByTestId('video-card')).toBeVisible();
    await expect(page.getByTestId('video-player')).toBeVisible();
    await expect(page.getByTestId('media-summary')).toContainText('720×576');
    await expect(page.getByTestId('submit-lesson')).toBeEnabled();
    await toastsGone(page);
    await checkPage(page, 'lesson-ready');
    await page.getByTestId('submit-lesson').click();
    await page.getByTestId('confirm-submit').click();
    await expect(page.getByTestId('lesson-status')).toHaveText('待审查');

    // 2. the school checks (审查) and passes it
    await uiLogout(page);
    await uiLogin(page, f.schoolAdmin, STRONG_PASSWORD);
    await page.getByRole('link', { name: '晒课审查' }).click();
    await choose(page, page.getByRole('combobox', { name: '晒课活动' }), f.activity.name);
    const row = page.getByTestId('check-lessons-table').locator('tr', { hasText: title });
    await expect(row).toContainText('待审查');
    await row.getByTestId(`check-${lessonId}`).click();
    const drawer = page.locator('.ant-drawer-content');
    await expect(drawer.getByTestId('check-items')).toContainText('教学设计.pdf');
    await expect(drawer.getByTestId('video-player')).toBeVisible();
    await checkPage(page, 'lesson-check');
    await drawer.getByTestId('check-pass').click();
    await confirmPopover(page);
    await expect(drawer).toBeHidden();
    const sa = await apiAs(request, f.schoolAdmin, STRONG_PASSWORD);
    await expect.poll(async () => (await sa.get<{ status: string }>(`/api/lessons/${lessonId}`)).status).toBe('checked');
  });

  test('the county round: auto-assigned reviewers score, the admin confirms the set, 公示, publishes; the teacher sees the result', async ({ page, request }) => {
    expect(lessonId, 'the lesson of the first steps').toBeGreaterThan(0);
    const admin = await adminApi(request); // the first step's request context is gone
    const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
    const ca = await apiAs(request, countyAdmin, STRONG_PASSWORD);
    // three reviewers certified into the county's pool
    const reviewers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const username = `lrev${uniq()}`;
      const account = await admin.post<{ id: number }>('/api/accounts', { username, password: STRONG_PASSWORD, display_name: `评审专家${i + 1}`, role: 'reviewer', scope_code: '510104' });
      await ca.post('/api/lesson-reviewers', { account_id: account.id });
      reviewers.push(username);
    }

    // 3. the county admin creates the round and auto-assigns three reviewers, then starts it
    await uiLogin(page, countyAdmin, STRONG_PASSWORD);
    await page.getByRole('link', { name: '优课评审组织' }).click();
    await page.getByTestId('new-round').click();
    const form = page.getByTestId('round-form');
    await expect(form).toBeVisible();
    await choose(page, form.getByRole('combobox', { name: '晒课活动' }), f.activity.name);
    await form.getByTestId('round-name').fill(`锦江区县级评审${uniq()}`);
    // A county round: same-county 回避 is off and cannot be turned on (its pool is all of this county).
    await expect(form.getByRole('switch', { name: '同区县回避' })).toBeDisabled();
    await form.getByText('固定名额').click();
    await form.getByRole('spinbutton', { name: '名额数' }).fill('1');
    await page.getByTestId('save-round').click();
    await expect(page).toHaveURL(/\/lesson-rounds\/\d+$/);
    await expect(page.getByRole('dialog')).toHaveCount(0);
    const roundId = Number(/\/lesson-rounds\/(\d+)$/.exec(page.url())![1]);
    await expect(page.getByTestId('round-status')).toHaveText('筹备中');
    await page.getByTestId('auto-assign').click();
    const entry = page.getByTestId('entries-table').locator('tr', { hasText: title });
    await expect(entry.locator('[data-testid^="assignment-"]')).toHaveCount(3);
    await toastsGone(page);
    await checkPage(page, 'lesson-round-assigned');
    await page.getByTestId('start-round').click();
    await confirmPopover(page);
    await expect(page.getByTestId('round-status')).toHaveText('评审中');

    // 4. the reviewers score: the first in the UI, the other two through the API
    await uiLogout(page);
    await uiLogin(page, reviewers[0], STRONG_PASSWORD);
    await page.getByRole('link', { name: '优课评审', exact: true }).click();
    const r0 = await apiAs(request, reviewers[0], STRONG_PASSWORD);
    const mine = (await r0.get<{ items: Review[] }>('/api/lesson-reviews', { round_id: roundId })).items[0];
    await page.getByTestId(`review-${mine.assignment_id}`).click();
    await expect(page.getByTestId('review-lesson')).toContainText(f.node);
    await expect(page.getByTestId('review-lesson')).not.toContainText(f.teacher.name); // blind
    let expected = 0;
    for (const c of mine.criteria) {
      const points = c.max_points - 1;
      expected += points;
      await page.getByTestId(`points-${c.key}`).fill(String(points));
      await page.getByTestId(`comment-${c.key}`).fill('目标清晰');
    }
    await expect(page.getByTestId('live-total')).toContainText(String(expected));
    await page.getByTestId('overall-comment').fill('化曲为直的过程清楚，学生参与充分。');
    await page.getByTestId('save-draft').click();
    await expect(page.getByText('草稿已保存')).toBeVisible();
    await checkPage(page, 'lesson-score');
    await page.getByTestId('submit-review').click();
    await page.getByTestId('confirm-review').click();
    await expect(page.getByTestId('review-submitted')).toBeVisible();
    await expect(page.getByTestId(`points-${mine.criteria[0].key}`)).toBeDisabled();
    for (const username of reviewers.slice(1)) {
      const r = await apiAs(request, username, STRONG_PASSWORD);
      const a = (await r.get<{ items: Review[] }>('/api/lesson-reviews', { round_id: roundId })).items[0];
      await r.put(`/api/lesson-reviews/${a.assignment_id}`, { scores: a.criteria.map((c) => ({ key: c.key, points: c.max_points - 2, comment: '' })), comment: '结构完整。', submit: true });
    }

    // 5. the county admin closes, confirms the recommended set (公示), and publishes
    await uiLogout(page);
    await uiLogin(page, countyAdmin, STRONG_PASSWORD);
    await page.goto(`/lesson-rounds/${roundId}`);
    await expect(page.getByTestId('round-progress')).toContainText('3 / 3');
    await page.getByTestId('close-round').click();
    await confirmPopover(page);
    await expect(page.getByTestId('round-status')).toHaveText('评审结束');
    await expect(entry.getByTestId(/^score-/)).toContainText(/\d/);
    await page.getByTestId('confirm-set').click();
    await expect(page.getByRole('dialog')).toContainText('确认推荐名单并开始公示');
    await page.getByTestId('confirm-set-ok').click();
    await expect(page.getByTestId('round-status')).toHaveText('公示中');
    await expect(entry.getByTestId(/^recommended-/)).toBeVisible();
    await page.goto('/lesson-publicity');
    await expect(page.getByTestId(`publicity-${roundId}`)).toContainText(title);
    await checkPage(page, 'lesson-publicity');
    await page.goto(`/lesson-rounds/${roundId}`);
    await page.getByTestId('publish-round').click();
    await confirmPopover(page);
    await expect(page.getByTestId('round-status')).toHaveText('已公布');
    await expect.poll(async () => (await ca.get<Round>(`/api/lesson-rounds/${roundId}`)).status).toBe('published');

    // 6. the teacher sees the result
    await uiLogout(page);
    await uiLogin(page, f.teacher.username, STRONG_PASSWORD);
    await page.goto(`/lessons/${lessonId}`);
    // the published round's result (score, rank, award, comments); the award alone if the API gives no results
    const results = page.getByTestId(/^lesson-(results|awards)$/);
    await expect(results).toContainText('县级');
    if ((await page.getByTestId('lesson-results').count()) > 0) await expect(results).toContainText('化曲为直');
    await checkPage(page, 'lesson-result');
  });
});
