import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uiLogout, uniq } from './helpers';

interface Teacher { id: number; name: string; school_id: number; id_card_masked: string }
interface Access { kind: string; actor_roles: { role: string; scope_name: string }[] }

test('an admin reveals a teacher’s ID number; the teacher sees it in 我的个人信息 and downloads the file', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  // A seeded teacher further down the list than the ones other journeys use.
  const teacher = (await admin.get<{ items: Teacher[] }>('/api/teachers', { page: 3, page_size: 7 })).items[0];
  const school = await admin.get<{ code: string }>(`/api/schools/${teacher.school_id}`);
  const username = `pipl${uniq()}`;
  await admin.post('/api/accounts', {
    username,
    password: STRONG_PASSWORD,
    display_name: teacher.name,
    role: 'teacher',
    scope_code: school.code,
    teacher_id: teacher.id,
  });
  const own = await apiAs(request, username, STRONG_PASSWORD);
  const revealsBefore = (await own.get<{ access_history: Access[] }>('/api/me/personal-data')).access_history.filter((e) => e.kind === 'reveal').length;

  // The province admin reveals the ID number on the teacher's page.
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/teachers/${teacher.id}`);
  await page.getByTestId(`reveal-id_card-${teacher.id}`).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认查看' }).click();
  await expect(page.getByTestId(`id_card-${teacher.id}`)).toHaveText(/^\d{17}[\dX]$/);
  await uiLogout(page);

  // The teacher opens 我的个人信息 from the profile.
  await uiLogin(page, username, STRONG_PASSWORD);
  await page.goto('/profile');
  await page.getByRole('button', { name: '我的个人信息' }).click();
  await expect(page).toHaveURL(/\/profile\/personal-data$/);
  await expect(page.getByRole('heading', { name: '我的个人信息' })).toBeVisible();
  await expect(page.getByTestId('personal-id-card')).toHaveText(teacher.id_card_masked);
  const revealRows = page.locator('.ant-table-row', { hasText: '查看了您的完整身份证号' });
  await expect(revealRows).toHaveCount(revealsBefore + 1);
  await expect(revealRows.first()).toContainText('省级管理员');
  await expect(revealRows.first()).not.toContainText(ADMIN.username);
  await checkPage(page, 'personal-data');

  // The full number on request.
  await page.getByLabel('显示完整号码').click();
  await expect(page.getByTestId('personal-id-card')).toHaveText(/^\d{17}[\dX]$/);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /下载我的个人信息/ }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^personal-data-${username}-\\d{8}\\.json$`));
  const saved = JSON.parse(readFileSync((await file.path())!, 'utf8')) as { teacher: { name: string }; access_history: Access[] };
  expect(saved.teacher.name).toBe(teacher.name);
  expect(saved.access_history.filter((e) => e.kind === 'reveal')).toHaveLength(revealsBefore + 1);
  // The download itself is audited.
  const audit = await admin.get<{ total: number }>('/api/audit', { action: 'personal_data.download', target_id: String(teacher.id) });
  expect(audit.total).toBeGreaterThanOrEqual(1);
});
