import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { adminApi, newAdmin, newSchool, newTeacher, toastsGone } from './training';

test('a county administrator publishes to teachers; a teacher of the county reads it; the administrator sees the read count', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const county = await newAdmin(admin, 'county_admin', '510104');
  const title = `培训安排通知${uniq()}`;

  await uiLogin(page, county, STRONG_PASSWORD);
  await page.goto('/announcements');
  await page.getByRole('tab', { name: '发布管理' }).click();
  await page.getByTestId('publish-announcement').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('announcement-title').fill(title);
  await dialog.getByTestId('announcement-body').fill('请各校教师于本周五前完成线上学习。');
  await dialog.getByTestId('announcement-roles').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '教师' }).first().click();
  await page.keyboard.press('Escape');
  await checkPage(page, 'announcement-publish');
  await dialog.getByRole('button', { name: '发布公告' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.ant-table-row', { hasText: title })).toBeVisible();
  await toastsGone(page);
  await uiLogout(page);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto('/announcements');
  const row = page.locator('.ant-table-row', { hasText: title });
  await expect(row).toContainText('未读');
  await row.getByText(title).click();
  const reader = page.getByTestId('announcement-reader');
  await expect(reader).toContainText('请各校教师于本周五前完成线上学习。');
  await checkPage(page, 'announcement-read');
  await page.keyboard.press('Escape');
  await expect(row).toContainText('已读');
  await uiLogout(page);

  await uiLogin(page, county, STRONG_PASSWORD);
  await page.goto('/announcements');
  await page.getByRole('tab', { name: '发布管理' }).click();
  const managed = page.locator('.ant-table-row', { hasText: title });
  await managed.getByText('阅读统计').click();
  const counts = page.getByTestId('read-counts');
  await expect(page.getByText('阅读统计（共 1 人已读）')).toBeVisible();
  await expect(counts.locator('.ant-table-row', { hasText: school.name })).toContainText('1');
  await checkPage(page, 'announcement-read-counts');
});
