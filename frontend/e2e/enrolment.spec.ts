import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { adminApi, assign, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

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

test('the school admin gives an approved seat to another teacher of the school (替换) with a reason', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const leaving = await newTeacher(admin, school, `调离教师${uniq()}`);
  const taking = await newTeacher(admin, school, `接替教师${uniq()}`);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 20, schools: [school.code] });
  const enrollmentId = await assign(admin, program, leaving);

  await uiLogin(page, schoolAdmin, STRONG_PASSWORD);
  await page.goto(`/programs/${program.id}`);
  await page.getByTestId(`substitute-${enrollmentId}`).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /替\s*换/ }).click();
  await expect(dialog.getByText('请填写原因')).toBeVisible();
  await dialog.locator('.ant-form-item').filter({ has: page.locator('label[title="替换为"]') }).locator('.ant-select-selector').click();
  await page.keyboard.type(taking.name);
  await page.locator('.ant-select-item-option').filter({ hasText: taking.name }).click();
  await dialog.getByLabel('原因').fill('工作调动');
  await checkPage(page, 'enrolment-substitute');
  await dialog.getByRole('button', { name: /替\s*换/ }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('.ant-table-row', { hasText: taking.name }).locator('.ant-badge-status-text')).toHaveText('通过');
  await expect(page.locator('.ant-table-row', { hasText: leaving.name }).locator('.ant-badge-status-text')).toHaveText('撤销');
});
