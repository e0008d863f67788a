import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, checkPage, uiLogin } from './helpers';
import { adminApi, assign, fileSupplement, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('the school admin approves several 补录 at once: one confirmation, then a summary', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const first = await newTeacher(admin, school);
  const second = await newTeacher(admin, school);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  for (const teacher of [first, second]) await assign(admin, program, teacher);
  await fileSupplement(request, first, '批量审核甲');
  await fileSupplement(request, second, '批量审核乙');

  await uiLogin(page, schoolAdmin, STRONG_PASSWORD);
  await page.goto('/hours');
  for (const note of ['批量审核甲', '批量审核乙']) {
    await page.locator('.ant-table-row', { hasText: note }).locator('.ant-checkbox-input').check();
  }
  await expect(page.getByText('已选 2 项')).toBeVisible();
  await page.getByTestId('bulk-approve-hours').click();
  await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
  const result = page.getByTestId('bulk-result');
  await expect(result).toContainText('完成 2 项，未处理 0 项');
  await checkPage(page, 'bulk-hours-result');
  await page.getByRole('dialog').getByRole('button', { name: /确\s*定/ }).click();
  await expect(page.locator('.ant-table-row', { hasText: '批量审核甲' })).toHaveCount(0);

  for (const teacher of [first, second]) {
    const entries = await admin.get<{ items: { status: string }[] }>('/api/hours', { teacher_id: teacher.id });
    expect(entries.items.map((e) => e.status)).toEqual(['approved']);
  }
});

test('the province admin deactivates a school\'s teachers at once after a confirmation', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const first = await newTeacher(admin, school);
  const second = await newTeacher(admin, school);

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/teachers?school_id=${school.id}`);
  for (const teacher of [first, second]) {
    await page.locator('.ant-table-row', { hasText: teacher.name }).locator('.ant-checkbox-input').check();
  }
  await page.getByTestId('bulk-deactivate').click();
  const confirm = page.locator('.ant-modal-confirm');
  await expect(confirm.locator('.ant-modal-confirm-title')).toContainText('停用所选的 2 位教师？');
  await confirm.getByRole('button', { name: /确\s*定/ }).click();
  const result = page.getByTestId('bulk-result');
  await expect(result).toContainText('完成 2 项，未处理 0 项');
  await toastsGone(page);
  await checkPage(page, 'bulk-teachers-result');
  await page.getByRole('dialog').filter({ has: result }).getByRole('button', { name: /确\s*定/ }).click();
  for (const teacher of [first, second]) {
    await expect(page.locator('.ant-table-row', { hasText: teacher.name })).toContainText('停用');
    expect((await admin.get<{ active: boolean }>(`/api/teachers/${teacher.id}`)).active).toBe(false);
  }
});
