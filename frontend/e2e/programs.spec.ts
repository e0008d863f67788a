import { expect, test } from '@playwright/test';
import { ADMIN, checkPage, pickScope, uiLogin, uniq } from './helpers';

test('province admin creates a program, publishes it and gives seats to 成都市', async ({ page }) => {
  const name = `信息技术提升培训 ${uniq()}`;
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.getByTestId('side-menu').getByRole('link', { name: '培训项目' }).click();
  await expect(page).toHaveURL(/\/programs$/);
  await expect(page.getByText('项目列表', { exact: true })).toBeVisible();

  await page.getByTestId('create-program').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('项目名称').fill(name);
  await dialog.getByLabel('要求学时').fill('50');
  await dialog.getByLabel('名额', { exact: true }).fill('300');
  // The owner starts as my own node, shown by its name.
  await expect(dialog.getByTestId('program-owner')).toContainText('四川省');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();

  // Saving opens the new program's detail page.
  await expect(page).toHaveURL(/\/programs\/\d+$/);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText('草稿')).toBeVisible();
  await page.getByTestId('publish-program').click();
  await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.getByTestId('publish-program')).toHaveCount(0);
  await expect(page.locator('.page-header').getByText('已发布')).toBeVisible();

  await page.getByTestId('allocate-quota').click();
  const quota = page.getByRole('dialog');
  await pickScope(page, quota.getByLabel('下级单位代码'), '成都', '成都市');
  await quota.getByLabel('名额').fill('120');
  await quota.getByRole('button', { name: /保\s*存/ }).click();
  await expect(quota).toBeHidden();
  const row = page.getByTestId('quotas').locator('tr', { hasText: '510100' });
  await expect(row).toContainText('成都市');
  await expect(row).toContainText('120');
  // Axe would catch the "已保存" toasts mid-fade (low contrast): let them go first.
  await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10000 });
  await checkPage(page, 'program-detail');

  await page.getByTestId('side-menu').getByRole('link', { name: '培训项目' }).click();
  await expect(page).toHaveURL(/\/programs$/);
  await expect(page.locator('.ant-table-row', { hasText: name })).toContainText('已发布');
  await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10000 });
  await checkPage(page, 'programs');
});
