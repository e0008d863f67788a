import { expect, test, type Page } from '@playwright/test';
import { ADMIN, apiAs, checkPage, uiLogin } from './helpers';
import { adminApi, assign, newProgram, newSchool, newTeacher } from './training';

interface School { id: number; name: string }

const rows = (page: Page) => page.locator('.ant-table-tbody tr.ant-table-row');

test('a list whose server stops answering shows the error, never the last page or the empty text; retry loads the page asked for', async ({ page, request }) => {
  test.setTimeout(180_000);
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const page1 = await admin.get<{ items: School[]; total: number }>('/api/schools', { page: 1, page_size: 20 });
  expect(page1.total, 'the demo data needs more than one page of schools').toBeGreaterThan(20);
  const page2 = await admin.get<{ items: School[] }>('/api/schools', { page: 2, page_size: 20 });

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/schools');
  await expect(rows(page).first()).toContainText(page1.items[0].name, { timeout: 30_000 });

  // The server is gone mid-session.
  await page.route('**/api/**', (r) => r.abort());
  await page.locator('.ant-pagination-item-2').click();
  const failed = page.getByTestId('list-error');
  await expect(failed).toBeVisible();
  await expect(failed).toContainText('无法连接服务器');
  await expect(rows(page)).toHaveCount(0);
  await expect(page.getByText('暂无学校')).toHaveCount(0);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  await checkPage(page, 'list-unreachable');

  // Another list opened while the server is away says so as well (not "no schools").
  await page.getByTestId('side-menu').getByRole('link', { name: '教师管理' }).click();
  await expect(page.getByTestId('list-error')).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
  await page.goBack();
  await expect(page.getByTestId('list-error')).toBeVisible();

  // Back again: retry brings the rows of the page the pager shows, and the banner goes.
  await page.unroute('**/api/**');
  await page.getByTestId('retry').click();
  await expect(page.getByTestId('list-error')).toHaveCount(0);
  const shown = (await page.locator('.ant-pagination-item-active').innerText()) === '2' ? page2 : page1;
  await expect(rows(page).first()).toContainText(shown.items[0].name);
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await page.locator('.ant-pagination-item-1').click();
  await expect(rows(page).first()).toContainText(page1.items[0].name);

  // Page 2 once the server answers: its own rows, not page 1's.
  const schoolList = (url: URL) => url.pathname === '/api/schools';
  await page.route(schoolList, (r) => r.abort());
  await page.locator('.ant-pagination-item-2').click();
  await expect(page.getByTestId('list-error')).toBeVisible();
  await page.unroute(schoolList);
  await page.getByTestId('retry').click();
  await expect(rows(page).first()).toContainText(page2.items[0].name);
  await expect(page.getByText(page1.items[0].name, { exact: true })).toHaveCount(0);
});

test('a page whose code cannot be downloaded shows a way back, not a white screen, even after the automatic reload', async ({ page }) => {
  test.setTimeout(120_000);
  await uiLogin(page, ADMIN.username, ADMIN.password);
  // Everything this tab has fetched so far keeps working (the entry, the first page); any other chunk is "gone",
  // as after a redeploy that removed the old build's files.
  const loaded = new Set<string>();
  page.on('response', (r) => {
    if (r.ok() && /\/assets\/.*\.js$/.test(new URL(r.url()).pathname)) loaded.add(r.url());
  });
  await page.goto('/profile');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.route('**/assets/*.js', (r) => (loaded.has(r.request().url()) ? r.continue() : r.fulfill({ status: 404, body: 'not found' })));

  let reloads = 0;
  page.on('load', () => reloads++);
  await page.getByTestId('side-menu').getByRole('link', { name: '题库' }).click();
  // The first failure reloads the tab once (a stale build); the chunk is still missing, so the boundary says so.
  const boundary = page.getByTestId('error-boundary');
  await expect(boundary).toBeVisible({ timeout: 20_000 });
  expect(reloads, 'the tab reloads exactly once').toBe(1);
  await expect(boundary).toContainText('页面仍未能加载');
  await expect(boundary).toContainText('已自动重新加载过一次');
  await expect(page.getByTestId('side-menu')).toBeVisible();
  await checkPage(page, 'chunk-missing');

  // The way back: home works, and once the files are there again a reload opens the page.
  await page.unroute('**/assets/*.js');
  await page.getByTestId('boundary-reload').click();
  await expect(page.getByRole('heading', { level: 1, name: '题库' })).toBeVisible({ timeout: 30_000 });
});

test("a refused action shows the server's own reason (该报名不能撤销), not a generic conflict", async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  const enrolment = await assign(admin, program, teacher);

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/programs/${program.id}`);
  await expect(page.getByTestId(`withdraw-${enrolment}`)).toBeVisible();
  // Someone else withdraws it meanwhile; this page still offers the action.
  await admin.post(`/api/enrollments/${enrolment}/withdraw`, {});

  await page.getByTestId(`withdraw-${enrolment}`).click();
  await page.getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.locator('.ant-message')).toContainText('该报名不能撤销');
  await expect(page.locator('.ant-message')).not.toContainText('数据冲突');
});
