import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout } from './helpers';
import { sheetRows } from './xlsx';
import { adminApi, assign, credit, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a county admin drills the annual report down to a school and exports it; a teacher opens their training record', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const trained = await newTeacher(admin, school, `年报教师${Date.now() % 10000}`);
  const idle = await newTeacher(admin, school, `年报空闲${Date.now() % 10000}`);
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  await credit(admin, trained, await assign(admin, program, trained), 'online', 12);

  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.getByTestId('side-menu').getByRole('link', { name: '年度报表' }).click();
  await expect(page.getByTestId('crumb-current')).toHaveText('锦江区');
  await expect(page.getByTestId('annual-cards')).toBeVisible();
  const schoolRow = page.locator('.ant-table-row', { hasText: school.name });
  await expect(schoolRow).toBeVisible();
  // teachers, took part, 参训率: 2 teachers, 1 took part.
  expect((await schoolRow.locator('td').allInnerTexts()).slice(1, 4).map((s) => s.trim())).toEqual(['2', '1', '50.0%']);
  await checkPage(page, 'annual-county');

  // Down to the school with empty rows hidden: the idle teacher drops out; the breadcrumb leads back.
  await page.getByTestId('annual-hide-empty').click();
  await schoolRow.getByRole('link', { name: school.name }).click();
  await expect(page.getByTestId('crumb-current')).toHaveText(school.name);
  await expect(page.locator('.ant-table-row', { hasText: trained.name })).toBeVisible();
  await expect(page.locator('.ant-table-row', { hasText: idle.name })).toHaveCount(0);
  await checkPage(page, 'annual-school');

  // Exports of what is on screen: the spreadsheet lists the trained teacher; the PDF downloads.
  const xlsx = page.waitForEvent('download');
  await page.getByTestId('annual-export-xlsx').click();
  const sheet = sheetRows(readFileSync((await (await xlsx).path())!));
  expect(sheet.some((r) => r.includes(trained.name))).toBe(true);
  expect(sheet.some((r) => r.includes(idle.name))).toBe(false);
  const pdf = page.waitForEvent('download');
  await page.getByTestId('annual-export-pdf').click();
  const pdfFile = await pdf;
  expect(pdfFile.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync((await pdfFile.path())!).subarray(0, 5).toString()).toBe('%PDF-');
  await page.getByTestId('crumb-510104').click();
  await expect(page.getByTestId('crumb-current')).toHaveText('锦江区');
  await toastsGone(page);
  await uiLogout(page);

  // The teacher opens their own record from the menu: the program, its hours, the cycle.
  await uiLogin(page, trained.username, STRONG_PASSWORD);
  await page.getByTestId('side-menu').getByRole('link', { name: '我的培训档案' }).click();
  await expect(page.getByTestId('record-programs')).toContainText(program.name);
  await expect(page.getByTestId('record-hours')).toContainText('12.0');
  await expect(page.getByTestId('record-cycles')).toContainText('2026');
  await checkPage(page, 'teacher-record');
  const recordPdf = page.waitForEvent('download');
  await page.getByTestId('record-pdf').click();
  expect((await recordPdf).suggestedFilename()).toMatch(/\.pdf$/);
});
