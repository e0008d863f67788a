import { expect, test } from '@playwright/test';
import { ADMIN, SECURITY, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { adminApi } from './training';

test('the system administrator finds the mail jobs on 后台任务; the province admin has no such page', async ({ page, request }) => {
  const admin = await adminApi(request);
  // The security administrator creates the system administrator (三员分立).
  const security = await apiAs(request, SECURITY.username, SECURITY.password);
  const systemName = `sys${uniq()}`;
  await security.post('/api/accounts', { username: systemName, password: STRONG_PASSWORD, display_name: '系统管理员测试', role: 'system_admin', scope_code: '510000' });
  const system = await apiAs(request, systemName, STRONG_PASSWORD);

  // A reset mail to a fresh address: the server's worker sends it (as a file here), so its job ends as done.
  const username = `jobs${uniq()}`;
  const email = `${username}@sc.example.cn`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: '任务测试', role: 'county_admin', scope_code: '510104', email });
  const forgot = await request.post('/api/auth/forgot', { data: { login: username } });
  expect(forgot.status()).toBe(202);
  await expect(async () => {
    const done = await system.get<{ items: { recipient?: string }[] }>('/api/jobs', { status: 'done', kind: 'mail', page_size: 100 });
    expect(done.items.some((j) => j.recipient === email)).toBe(true);
  }).toPass({ timeout: 30_000 });

  await uiLogin(page, systemName, STRONG_PASSWORD);
  await page.getByRole('menuitem', { name: /后台任务/ }).click();
  await expect(page).toHaveURL(/\/jobs$/);
  await expect(page.getByTestId('side-menu')).toContainText('系统管理');
  // It opens on the failures, of which there are none.
  await expect(page.getByText('没有符合条件的任务')).toBeVisible();
  await checkPage(page, 'jobs-failed-empty');

  const filter = (label: string) => page.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) }).locator('.ant-select-selector');
  await filter('状态').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '已完成' }).click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.locator('.ant-table-row', { hasText: email });
  await expect(row).toContainText('已完成');
  await expect(row).toContainText('邮件');
  // A sent mail has nothing to retry, and its body is never shown.
  await expect(row.getByText('重试')).toHaveCount(0);
  await expect(row.getByRole('checkbox')).toBeDisabled();
  await checkPage(page, 'jobs-done');
  await uiLogout(page);

  // The queue is the system administrator's: the province's business administrator has no menu entry and gets 403.
  expect(await admin.status('/api/jobs')).toBe(403);
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('side-menu')).toBeVisible();
  await expect(page.getByRole('menuitem', { name: /后台任务/ })).toHaveCount(0);
});
