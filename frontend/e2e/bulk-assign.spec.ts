import { expect, test } from '@playwright/test';
import { ADMIN, checkPage, pickScope, uiLogin, uniq } from './helpers';
import { adminApi, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('the province admin assigns every teacher of a school in bulk: check (dry run), then confirm', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const first = await newTeacher(admin, school, `批量甲${uniq()}`);
  const second = await newTeacher(admin, school, `批量乙${uniq()}`);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 20, schools: [school.code] });

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/programs/${program.id}`);
  await expect(page.getByRole('heading', { name: program.name })).toBeVisible();
  await page.getByTestId('bulk-assign').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('不会写入任何数据')).toBeVisible();

  // 按条件: the school picked by its name (never its code typed), 学段 and 学科 left open; the check writes nothing.
  await pickScope(page, dialog.getByLabel('区划或学校代码'), school.name, school.name);
  await dialog.getByTestId('bulk-check').click();
  const report = dialog.getByTestId('bulk-report');
  await expect(report).toContainText('检查通过：2 位教师均可指派');
  await expect(report.locator('.ant-descriptions-item-content').first()).toHaveText('2');
  const before = await admin.get<{ items: { teacher_id: number }[] }>(`/api/programs/${program.id}/enrollments`);
  expect(before.items.filter((e) => e.teacher_id === first.id || e.teacher_id === second.id)).toEqual([]);
  await checkPage(page, 'bulk-assign-checked');

  await dialog.getByTestId('bulk-commit').click();
  await expect(report).toContainText('已指派 2 位教师');
  await dialog.getByRole('button', { name: /关\s*闭/ }).click();
  await expect(dialog).toBeHidden();

  for (const teacher of [first, second]) {
    await expect(page.locator('.ant-table-row', { hasText: teacher.name }).locator('.ant-badge-status-text')).toHaveText('通过');
  }
  await toastsGone(page);
  await checkPage(page, 'bulk-assign-done');
});
