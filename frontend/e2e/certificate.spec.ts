import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout } from './helpers';
import { adminApi, assign, credit, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

interface Certificate { number: string; teacher_id: number; status: string }

/** The PDF endpoint is in the contract (the SPA offers the download only then). */
const pdfInContract = readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8').includes('/api/certificates/{number}/pdf');

test('a teacher completes a program and sees and downloads the certificate', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  await credit(admin, teacher, enrollmentId, 'online', 6);
  await credit(admin, teacher, enrollmentId, 'practice', 4);
  const cert = (await admin.get<{ items: Certificate[] }>('/api/certificates', { page_size: 100 })).items.find((c) => c.teacher_id === teacher.id)!;
  expect(cert.status).toBe('valid');

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '证书', exact: true }).click();
  await expect(page).toHaveURL(/\/certificates$/);
  const row = page.locator('.ant-table-row', { hasText: cert.number });
  await expect(row).toContainText(program.name);
  await expect(row).toContainText('有效');
  await checkPage(page, 'certificates-teacher');
  if (pdfInContract) {
    const download = page.waitForEvent('download');
    await row.getByTestId(`pdf-${cert.number}`).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.pdf$/);
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  }
  // The program page shows the completion too.
  await page.goto(`/programs/${program.id}`);
  await expect(page.locator('.ant-table-row', { hasText: teacher.name })).toContainText('已合格');
});

test('a county admin revokes a certificate with a reason; the teacher sees it revoked', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 4, schools: [school.code] });
  await credit(admin, teacher, await assign(admin, program, teacher), 'ict', 4);
  const cert = (await admin.get<{ items: Certificate[] }>('/api/certificates', { page_size: 100 })).items.find((c) => c.teacher_id === teacher.id)!;

  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.goto('/certificates');
  await page.getByLabel('证书编号').fill(cert.number.slice(-8));
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.locator('.ant-table-row')).toHaveCount(1);
  const row = page.locator('.ant-table-row', { hasText: cert.number });
  await expect(row).toContainText(teacher.name);
  await row.getByTestId(`revoke-${cert.number}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(cert.number);
  await dialog.getByLabel('原因').fill('学时材料不实');
  await checkPage(page, 'certificate-revoke');
  await dialog.getByRole('button', { name: /撤\s*销/ }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('已撤销');
  await expect(row).toContainText('学时材料不实');
  await toastsGone(page);
  await uiLogout(page);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto('/certificates');
  await expect(page.locator('.ant-table-row', { hasText: cert.number })).toContainText('已撤销');
});
