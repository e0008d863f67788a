import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, checkPage, uiLogin, uiLogout } from './helpers';
import { adminApi, assign, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a county admin downloads the class sheet, uploads the results and another administrator confirms them', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 8, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);

  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  await page.getByTestId('open-results').click();
  await expect(page).toHaveURL(new RegExp(`/programs/${program.id}/results$`));
  const sheet = page.waitForEvent('download');
  await page.getByTestId('results-sheet-csv').click();
  const lines = readFileSync((await (await sheet).path())!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
  const header = lines[0];
  const row = lines.find((l) => l.startsWith(`${enrollmentId},`))!;
  expect(row).toContain(teacher.name);
  // 报名编号, 姓名, 学校, 身份证号, then the institution's columns.
  const fill = (status: string, note: string, grade: string, hours: string, category: string) =>
    Buffer.from(`${header}\n${row.split(',').slice(0, 4).join(',')},${status},${note},${grade},${hours},${category}\n`);

  // A bad row: reported on its line, nothing stored, no submitting.
  const input = page.locator('input[type=file]');
  await input.setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: fill('结业', 'JG-2026-001', '优秀', '1.3', '网络') });
  await page.getByTestId('results-check').click();
  const report = page.getByTestId('results-report');
  await expect(report).toContainText('未保存任何数据');
  await expect(report.locator('.ant-table-row').first()).toContainText('0.5');
  await expect(page.getByTestId('results-submit')).toBeDisabled();
  await toastsGone(page);
  await checkPage(page, 'results-errors');

  await input.setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: fill('结业', 'JG-2026-001', '优秀', '8', '网络') });
  await page.getByTestId('results-check').click();
  await expect(report).toContainText('全部 1 行均有效');
  await page.getByTestId('results-submit').click();
  const batchRow = page.getByTestId('result-batches').locator('.ant-table-row', { hasText: 'results.csv' });
  await expect(batchRow).toContainText('待确认');
  // The submitter does not confirm their own batch.
  await expect(batchRow.getByText('确认', { exact: true })).toHaveCount(0);
  await uiLogout(page);

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/programs/${program.id}/results`);
  const pending = page.getByTestId('result-batches').locator('.ant-table-row', { hasText: 'results.csv' }).first();
  await pending.getByText('查看').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('JG-2026-001');
  await expect(dialog).toContainText('网络');
  await dialog.getByRole('button', { name: /close|关闭/i }).click();
  await pending.getByText('确认', { exact: true }).click();
  await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
  await expect(pending).toContainText('已确认');
  await toastsGone(page);
  await checkPage(page, 'results-confirmed');

  const enrollment = await admin.get<{ training_status: string; counted_hours: number }>(`/api/enrollments/${enrollmentId}`);
  expect(enrollment).toMatchObject({ training_status: 'completed', counted_hours: 8 });
});
