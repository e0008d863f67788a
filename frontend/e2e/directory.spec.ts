import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uniq } from './helpers';

interface School { id: number; code: string; name: string; county_code: string; county_name: string }
interface PageOf<T> { items: T[]; total: number }

test('province admin browses regions, schools, teachers and accounts', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('user-menu')).toContainText('省级管理员');
  await page.getByRole('link', { name: '行政区划' }).click();
  await expect(page.getByText('成都市').first()).toBeVisible();
  await checkPage(page, 'regions');
  await page.getByRole('link', { name: '学校管理' }).click();
  // Wait for the new page itself: the previous page's rows stay visible while the lazy chunk loads.
  await expect(page).toHaveURL(/\/schools$/);
  await expect(page.getByText('学校列表', { exact: true })).toBeVisible();
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  await checkPage(page, 'schools');
  await page.locator('.ant-table-row a').first().click();
  await expect(page).toHaveURL(/\/schools\/\d+$/);
  await checkPage(page, 'school-detail');
  await page.getByRole('link', { name: '教师管理' }).click();
  // Wait for the new page itself: the previous page's rows stay visible while the lazy chunk loads.
  await expect(page).toHaveURL(/\/teachers$/);
  await expect(page.getByText('教师列表', { exact: true })).toBeVisible();
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  await checkPage(page, 'teachers');
  await page.getByRole('link', { name: '账号管理' }).click();
  // Wait for the new page itself: the previous page's rows stay visible while the lazy chunk loads.
  await expect(page).toHaveURL(/\/accounts$/);
  await expect(page.getByText('账号列表', { exact: true })).toBeVisible();
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  await checkPage(page, 'accounts');
  await page.getByRole('link', { name: '个人中心' }).click();
  await checkPage(page, 'profile-admin');
  await page.goto('/change-password');
  await checkPage(page, 'change-password');
  await page.goto('/no-such-page');
  await expect(page.getByTestId('not-found')).toBeVisible();
  await checkPage(page, 'not-found');
});

test('revealing an ID number asks for confirmation first', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/teachers');
  const reveal = page.locator('[data-testid^="reveal-id_card-"]').first();
  await expect(reveal).toBeVisible();
  const testId = (await reveal.getAttribute('data-testid'))!;
  const id = testId.replace('reveal-id_card-', '');
  const cell = page.getByTestId(`id_card-${id}`);
  await expect(cell).toContainText('*');
  await reveal.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('审计');
  await checkPage(page, 'reveal-confirm');
  await dialog.getByRole('button', { name: /取\s*消/ }).click();
  await expect(cell).toContainText('*');
  await reveal.click();
  await page.getByRole('dialog').getByRole('button', { name: '确认查看' }).click();
  await expect(cell).not.toContainText('*');
  await expect(cell).toHaveText(/^\d{17}[\dX]$/);
});

test('province admin creates a county admin who sees only that county', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const all = await admin.get<PageOf<School>>('/api/schools', { page_size: 200 });
  const county = all.items[0].county_code;
  const countyName = all.items[0].county_name;
  const other = all.items.find((s) => s.county_code !== county);
  expect(other, 'demo data has schools in two counties').toBeTruthy();

  const username = `county${uniq()}`;
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/accounts');
  await page.getByTestId('create-account').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByLabel('初始密码').fill(STRONG_PASSWORD);
  await dialog.getByLabel('姓名').fill('区县管理员测试');
  const field = (label: string) => dialog.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) }).locator('.ant-select-selector');
  await field('角色').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '区县管理员' }).click();
  await field('管辖范围').click();
  await page.keyboard.type(countyName);
  await page.locator('.ant-select-tree-title', { hasText: countyName }).first().click();
  await checkPage(page, 'account-create');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(username)).toBeVisible();

  // The county admin signs in: the shell shows role and scope, lists are scoped.
  await page.evaluate(() => localStorage.clear());
  await uiLogin(page, username, STRONG_PASSWORD);
  await expect(page.getByTestId('user-menu')).toContainText('区县管理员');
  await expect(page.getByTestId('user-menu')).toContainText(countyName);
  await page.goto('/schools');
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  const counties = await page.locator('.ant-table-row td:nth-child(3)').allInnerTexts();
  expect(new Set(counties)).toEqual(new Set([countyName]));

  // Another county's school is "not found", exactly like a school that does not exist.
  await page.goto(`/schools/${other!.id}`);
  await expect(page.getByTestId('not-found')).toBeVisible();
});

test('a locked account is told so on the login page', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const username = `lock${uniq()}`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: '锁定测试', role: 'city_admin', scope_code: '510100' });
  await page.goto('/login');
  for (let i = 0; i < 5; i += 1) {
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(`wrong-${i}`);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByTestId('login-error')).toBeVisible();
  }
  await page.getByLabel('密码', { exact: true }).fill(STRONG_PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('login-error')).toContainText('锁定');
  await checkPage(page, 'login-locked');
});

test('the accounts table sorts by username', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/accounts');
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/accounts?') && r.url().includes('sort=username')),
    page.getByRole('columnheader', { name: '用户名' }).click(),
  ]);
  expect(res.status()).toBe(200);
  expect(res.url()).toContain('order=asc');
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  const names = await page.locator('.ant-table-row td:nth-child(1)').allInnerTexts();
  expect(names.length).toBeGreaterThan(1);
  const sorted = [...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  expect(names.map((n) => n.toLowerCase())).toEqual(sorted.map((n) => n.toLowerCase()));
});

test('an admin sets a password for an account: confirmation, policy error on the field, old sessions end', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const username = `setpw${uniq()}`;
  const account = await admin.post<{ id: number }>('/api/accounts', { username, password: STRONG_PASSWORD, display_name: '设置密码测试', role: 'county_admin', scope_code: '510104' });
  const victim = await apiAs(request, username, STRONG_PASSWORD);
  expect(await victim.status('/api/me')).toBe(200);

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/accounts');
  await page.getByPlaceholder('用户名或姓名').fill(username);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await page.getByTestId(`set-password-${account.id}`).click();
  const dialog = page.getByRole('dialog', { name: /设置新密码/ });
  await expect(dialog).toContainText('登录会话将立即结束');
  await dialog.getByLabel('新密码', { exact: true }).fill('abcdefgh');
  await dialog.getByLabel('确认新密码').fill('abcdefgh');
  await checkPage(page, 'account-set-password');
  await dialog.getByRole('button', { name: '确认设置' }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: '所有登录会话将结束' });
  await expect(confirm).toBeVisible();
  await checkPage(page, 'account-set-password-confirm');
  await confirm.getByRole('button', { name: '确认设置' }).click();
  await expect(dialog.locator('.ant-form-item-explain-error')).toContainText('至少 3 类');
  expect(await victim.status('/api/me')).toBe(200);

  const newPassword = 'N3w-Passw0rd!x';
  await dialog.getByLabel('新密码', { exact: true }).fill(newPassword);
  await dialog.getByLabel('确认新密码').fill(newPassword);
  await dialog.getByRole('button', { name: '确认设置' }).click();
  await page.getByRole('dialog').filter({ hasText: '所有登录会话将结束' }).getByRole('button', { name: '确认设置' }).click();
  await expect(page.getByText('密码已设置')).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(await victim.status('/api/me')).toBe(401);
  await apiAs(request, username, newPassword);
});
