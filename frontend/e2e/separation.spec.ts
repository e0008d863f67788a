import { expect, test } from '@playwright/test';
import { SECURITY, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uniq } from './helpers';

test('the security administrator creates an audit administrator, whose menu shows no teachers', async ({ page, request }) => {
  const username = `audit${uniq()}`;
  await uiLogin(page, SECURITY.username, SECURITY.password);
  // The security administrator's pages sit under 系统管理; business pages are not theirs.
  const menu = page.getByTestId('side-menu');
  await expect(menu).toContainText('系统管理');
  await expect(menu).not.toContainText('教师管理');
  await page.getByRole('menuitem', { name: /管理员账号/ }).click();
  await expect(page).toHaveURL(/\/admin-accounts$/);
  // Other journeys add administrators too, so the list is only known to have rows.
  await expect(page.locator('.ant-table-row').first()).toBeVisible();

  await page.getByTestId('create-account').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('用户名').fill(username);
  await dialog.getByLabel('初始密码').fill(STRONG_PASSWORD);
  await dialog.getByLabel('姓名').fill('审计管理员测试');
  const field = (label: string) => dialog.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) }).locator('.ant-select-selector');
  await field('角色').click();
  // The form offers administrators' roles only: no teacher.
  await expect(page.locator('.ant-select-item-option').filter({ hasText: /^教师$/ })).toHaveCount(0);
  await page.locator('.ant-select-item-option').filter({ hasText: '审计管理员' }).click();
  await field('管辖范围').click();
  await page.locator('.ant-select-tree-title', { hasText: '四川省' }).first().click();
  // The tree's drop-down must have closed before the page is checked (an open one points at a list being removed).
  await expect(dialog.locator('#scope_code')).toHaveAttribute('aria-expanded', 'false');
  await checkPage(page, 'admin-account-create');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(username)).toBeVisible();
  await checkPage(page, 'admin-accounts');

  // The audit administrator signs in: no teachers, schools or accounts in the menu, and the API gives nothing.
  await page.evaluate(() => localStorage.clear());
  await uiLogin(page, username, STRONG_PASSWORD);
  await expect(page.getByTestId('user-menu')).toContainText('审计管理员');
  const auditMenu = page.getByTestId('side-menu');
  await expect(auditMenu).toBeVisible();
  await expect(auditMenu).not.toContainText('教师管理');
  await expect(auditMenu).not.toContainText('学校管理');
  await expect(auditMenu).not.toContainText('账号管理');
  const audit = await apiAs(request, username, STRONG_PASSWORD);
  const teachers = await audit.get<{ total: number }>('/api/teachers');
  expect(teachers.total).toBe(0);
});
