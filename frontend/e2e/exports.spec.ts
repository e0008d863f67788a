import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ADMIN, checkPage, uiLogin } from './helpers';

test('a large list is exported in the background, shown in 导出中心 while it is made, then downloaded; a weekly subscription is paused and ended', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/schools');
  await page.getByTestId('export-more').click();
  await page.getByTestId('export-background-csv').click();
  await expect(page.getByText('已在后台生成')).toBeVisible();

  await page.goto('/exports');
  await checkPage(page, 'exports');
  const list = page.getByTestId('my-exports');
  const firstRow = list.locator('tbody tr').filter({ hasText: '学校名录' }).first();
  // The list refreshes itself while the file is made by the worker.
  await expect(firstRow).toContainText('已完成', { timeout: 30_000 });
  const downloadLink = firstRow.getByText('下载');
  const [download] = await Promise.all([page.waitForEvent('download'), downloadLink.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.split('\n').length).toBeGreaterThan(2);

  // Subscribing from the list, then pausing and ending it on the scheduled-reports tab.
  await page.goto('/schools');
  await page.getByTestId('export-more').click();
  await page.getByTestId('export-subscribe-weekly').click();
  await expect(page.getByText('已订阅')).toBeVisible();
  await page.goto('/exports');
  await page.getByRole('tab', { name: '定期报表' }).click();
  const subs = page.getByTestId('report-subscriptions');
  const sub = subs.locator('tbody tr').filter({ hasText: '学校名录' }).first();
  await expect(sub).toContainText('每周一');
  await sub.getByRole('switch').click();
  await expect(sub).toContainText('已暂停');
  await checkPage(page, 'exports-subscriptions');
  // antd spaces two-character button labels (退 订, 删 除).
  await sub.getByRole('button', { name: /退\s*订/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /退\s*订/ }).click();
  await expect(page.getByText('已退订')).toBeVisible();

  // Removing the made file asks first.
  await page.getByRole('tab', { name: '我的导出' }).click();
  await firstRow.getByText('删除').click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /删\s*除/ }).click();
  await expect(page.getByText('已删除')).toBeVisible();
});
