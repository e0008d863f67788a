import { expect, test } from '@playwright/test';
import { ADMIN, checkPage, uiLogin, uiLogout } from './helpers';

test('login page: wrong credentials are reported and the page is accessible', async ({ page }) => {
  await page.goto('/login');
  await checkPage(page, 'login');
  await page.getByLabel('用户名').fill('nobody-here');
  await page.getByLabel('密码', { exact: true }).fill('wrong-password');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
});

test('an unknown route while signed out leads to the login page, then back after sign-in', async ({ page }) => {
  await page.goto('/schools');
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).toHaveURL(/\/schools$/);
  await uiLogout(page);
  await page.goto('/schools');
  await expect(page).toHaveURL(/\/login/);
});

test('forgot and reset password pages are accessible', async ({ page }) => {
  await page.goto('/forgot-password');
  await checkPage(page, 'forgot-password');
  await page.getByLabel('用户名或邮箱').fill('someone@example.com');
  await page.getByRole('button', { name: '发送重置邮件' }).click();
  await expect(page.getByText('请查收邮件')).toBeVisible();
  await page.goto('/reset-password?token=not-a-real-token');
  await checkPage(page, 'reset-password');
  await page.getByLabel('新密码', { exact: true }).fill('Another-Passw0rd!');
  await page.getByLabel('确认新密码').fill('Another-Passw0rd!');
  await page.getByRole('button', { name: '重置密码' }).click();
  // The server's own words (重设链接无效或已过期), not the app's generic text for the code.
  await expect(page.getByRole('alert')).toContainText('链接无效或已过期');
});

test('language switch changes the UI and is remembered', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await expect(page.getByTestId('side-menu')).toContainText('学校管理');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('menuitem', { name: 'English' }).click();
  await expect(page.getByTestId('side-menu')).toContainText('Schools');
  await page.reload();
  await expect(page.getByTestId('side-menu')).toContainText('Teachers');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en-US');
  await checkPage(page, 'english-shell');
  await page.getByTestId('lang-switch').click();
  await page.getByRole('menuitem', { name: '简体中文' }).click();
  await expect(page.getByTestId('side-menu')).toContainText('教师管理');
});
