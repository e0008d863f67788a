import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout } from './helpers';
import { adminApi, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a teacher enrols in a free-choice program; the school admin, then the county admin approve', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');
  const program = await newProgram(admin, { mode: 'free', requiredHours: 20, schools: [school.code] });

  // The teacher finds the program and enrols.
  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '培训项目' }).click();
  await page.getByRole('link', { name: program.name }).click();
  await expect(page.getByRole('heading', { name: program.name })).toBeVisible();
  await page.getByTestId('enroll').click();
  await expect(page.getByTestId('enroll')).toHaveCount(0);
  await expect(page.locator('.page-header').getByText('未审核')).toBeVisible();
  const row = page.locator('.ant-table-row', { hasText: teacher.name });
  await expect(row).toContainText('学校');
  await toastsGone(page);
  await checkPage(page, 'enrolment-teacher');
  await uiLogout(page);

  // The school decides first; the county's turn follows.
  await uiLogin(page, schoolAdmin, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  const pending = page.locator('.ant-table-row', { hasText: teacher.name });
  await expect(pending).toContainText('未审核');
  await checkPage(page, 'enrolment-school-admin');
  await pending.getByText('通过', { exact: true }).click();
  await expect(pending).toContainText('区县');
  // A school admin cannot decide at the county's level: no more decision links for them.
  await expect(pending.getByText('通过', { exact: true })).toHaveCount(0);
  await uiLogout(page);

  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  const atCounty = page.locator('.ant-table-row', { hasText: teacher.name });
  await expect(atCounty).toContainText('区县');
  await atCounty.getByText('通过', { exact: true }).click();
  await expect(atCounty.locator('.ant-badge-status-text')).toHaveText('通过');
  await toastsGone(page);
  await checkPage(page, 'enrolment-county-admin');
  await uiLogout(page);

  // The teacher sees the approval.
  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  await expect(page.locator('.page-header').getByText('通过')).toBeVisible();
  const decided = await admin.get<{ items: { teacher_id: number; review_status: string; decisions: { level: string; decision: string }[] }[] }>(`/api/programs/${program.id}/enrollments`);
  const mine = decided.items.find((e) => e.teacher_id === teacher.id)!;
  expect(mine.review_status).toBe('approved');
  expect(mine.decisions.map((d) => d.level)).toEqual(['school', 'county']);
});
