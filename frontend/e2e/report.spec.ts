import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin } from './helpers';
import { sheetRows } from './xlsx';
import { adminApi, assign, credit, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a county admin drills the completion report down to teachers and exports it; the numbers are the set-up ones', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const [done, halfway] = [await newTeacher(admin, school, '完成教师'), await newTeacher(admin, school, '在训教师')];
  await newTeacher(admin, school, '未参训教师');
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  const e1 = await assign(admin, program, done);
  await credit(admin, done, e1, 'online', 6);
  await credit(admin, done, e1, 'practice', 4);
  await credit(admin, halfway, await assign(admin, program, halfway), 'online', 3);
  // 3 teachers, 2 enrolled (66.7 %), 1 completed (50.0 %); per enrolled teacher online (6+3)/2 = 4.5, practice 4/2 = 2.

  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  await page.getByTestId('open-report').click();
  await expect(page).toHaveURL(new RegExp(`/programs/${program.id}/report$`));
  await expect(page.getByTestId('crumb-current')).toHaveText('锦江区');
  const schoolRow = page.locator('.ant-table-row', { hasText: school.name });
  const cells = async () => (await schoolRow.locator('td').allInnerTexts()).map((s) => s.trim());
  await expect(schoolRow).toBeVisible();
  // name, teachers, enrolled, 参训率, completed, 完成率, then centralized, online, ict, regional, school_based, practice
  expect(await cells()).toEqual([school.name, '3', '2', '66.7%', '1', '50.0%', '0', '4.5', '0', '0', '0', '2']);
  await checkPage(page, 'report-county');

  // Down to the school's teachers; the breadcrumb leads back up.
  await schoolRow.getByRole('link', { name: school.name }).click();
  await expect(page).toHaveURL(new RegExp(`node=${school.code}`));
  await expect(page.getByTestId('crumb-current')).toHaveText(school.name);
  const doneRow = page.locator('.ant-table-row', { hasText: '完成教师' });
  await expect(doneRow).toContainText('100.0%');
  expect((await doneRow.locator('td').allInnerTexts()).map((s) => s.trim()).slice(7)).toEqual(['6', '0', '0', '0', '4']);
  await expect(page.getByTestId('report-total')).toContainText('66.7%');
  await checkPage(page, 'report-school');
  // The teacher-level export lists every active teacher of the school, the one not enrolled too.
  const teachersCsv = page.waitForEvent('download');
  await page.getByTestId('export-teachers-csv').click();
  const teacherLines = readFileSync((await (await teachersCsv).path())!, 'utf8').split(/\r?\n/);
  for (const name of ['完成教师', '在训教师', '未参训教师']) expect(teacherLines.filter((l) => l.includes(name))).toHaveLength(1);

  // Back up through the breadcrumb; the exports carry the numbers on the screen.
  await page.getByTestId('crumb-510104').click();
  await expect(page.getByTestId('crumb-current')).toHaveText('锦江区');
  await expect(schoolRow).toBeVisible();
  const expected = [3, 2, 66.67, 1, 50, 0, 4.5, 0, 0, 0, 2];
  const num = (s: string) => Number(s.replace('%', ''));
  const xlsx = page.waitForEvent('download');
  await page.getByTestId('export-xlsx').click();
  const xlsxFile = await xlsx;
  expect(xlsxFile.suggestedFilename()).toMatch(/\.xlsx$/);
  const sheet = sheetRows(readFileSync((await xlsxFile.path())!));
  const xlsxRow = sheet.find((r) => r.includes(school.name))!;
  expect(xlsxRow[0]).toBe(school.code);
  expect(xlsxRow.slice(2).map(num)).toEqual(expected);
  const csv = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const text = readFileSync((await (await csv).path())!, 'utf8');
  const csvRow = text.split(/\r?\n/).find((l) => l.includes(school.name))!.split(',');
  expect(csvRow.slice(2).map(num)).toEqual(expected);
  await toastsGone(page);
});
