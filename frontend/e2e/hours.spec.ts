import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout } from './helpers';
import { PNG, adminApi, assign, fileSupplement, newAdmin, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a teacher files 补录 hours with evidence; the school admin approves them in the queue', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '学时', exact: true }).click();
  await expect(page).toHaveURL(/\/hours$/);
  await expect(page.getByText('我的学时', { exact: true })).toBeVisible();
  await page.getByTestId('file-supplement').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();

  // Bad input is refused on the fields before anything is sent.
  await dialog.getByLabel('学时', { exact: true }).fill('1.3');
  await dialog.getByRole('button', { name: /提交审核/ }).click();
  await expect(dialog.getByText('学时须为 0.5 的整数倍')).toBeVisible();
  await expect(dialog.getByText('补录需上传证明材料')).toBeVisible();

  await dialog.locator('.ant-form-item').filter({ has: page.locator('label[title="学时类别"]') }).locator('.ant-select-selector').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '信息技术' }).click();
  await dialog.getByLabel('学时', { exact: true }).fill('3.5');
  await dialog.getByLabel('培训日期').fill('2026-10-15');
  await dialog.getByLabel('培训日期').press('Enter');
  await dialog.getByLabel('计入项目').fill(program.name);
  await page.locator('.ant-select-item-option').filter({ hasText: program.name }).click();
  await dialog.getByLabel('说明').fill('市级信息技术专题讲座');
  await dialog.locator('input[type=file]').setInputFiles({ name: '结业证明.png', mimeType: 'image/png', buffer: PNG });
  await expect(dialog.locator('.ant-upload-list-item-done')).toHaveCount(1);
  await checkPage(page, 'hours-supplement-form');
  await dialog.getByRole('button', { name: /提交审核/ }).click();
  await expect(dialog).toBeHidden();
  const mine = page.locator('.ant-table-row', { hasText: '市级信息技术专题讲座' });
  await expect(mine).toContainText('待审核');
  await expect(mine).toContainText('3.5');
  await expect(mine).toContainText('补录');
  await toastsGone(page);
  await checkPage(page, 'hours-teacher');
  await uiLogout(page);

  // The school admin's queue opens on what waits for a decision.
  await uiLogin(page, schoolAdmin, STRONG_PASSWORD);
  await page.goto('/hours');
  const queued = page.locator('.ant-table-row', { hasText: '市级信息技术专题讲座' });
  await expect(queued).toContainText(teacher.name);
  await expect(queued).toContainText(school.name);
  await expect(queued).toContainText('待审核');
  const download = page.waitForEvent('download');
  await queued.getByText('结业证明.png').click();
  expect((await download).suggestedFilename()).toBeTruthy();
  await toastsGone(page);
  await checkPage(page, 'hours-queue');
  await queued.getByText('通过', { exact: true }).click();
  await page.getByRole('tooltip').getByRole('button', { name: /确\s*定/ }).click();
  // Approved, it leaves the pending queue.
  await expect(queued).toHaveCount(0);

  const entries = await admin.get<{ items: { note?: string; status: string; hours: number }[] }>('/api/hours', { teacher_id: teacher.id });
  expect(entries.items.find((e) => e.note === '市级信息技术专题讲座')?.status).toBe('approved');
  const enrollment = await admin.get<{ counted_hours: number }>(`/api/enrollments/${enrollmentId}`);
  expect(enrollment.counted_hours).toBe(3.5);
});

test('an administrator rejects a 补录 with a reason and voids an approved entry; the hours stop counting', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const schoolAdmin = await newAdmin(admin, 'school_admin', school.code);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  const credited = await admin.post<{ id: number }>('/api/hours', { teacher_id: teacher.id, enrollment_id: enrollmentId, category: 'online', hours: 6, occurred_on: '2026-09-01', source: 'course', note: '网络课程第一单元' });

  const filed = await fileSupplement(request, teacher, '未经认可的外部培训');
  const countyAdmin = await newAdmin(admin, 'county_admin', '510104');

  // The county sees its schools' 补录 too, and can narrow the queue to an area.
  await uiLogin(page, countyAdmin, STRONG_PASSWORD);
  await page.goto('/hours');
  await page.locator('.ant-form-item').filter({ has: page.locator('label[title="区域"]') }).locator('.ant-select-selector').click();
  await page.keyboard.type('锦江');
  await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '锦江区' }).click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.locator('.ant-table-row', { hasText: '未经认可的外部培训' })).toContainText(school.name);
  await checkPage(page, 'hours-queue-county');
  await uiLogout(page);

  await uiLogin(page, schoolAdmin, STRONG_PASSWORD);
  await page.goto('/hours');
  const pending = page.locator('.ant-table-row', { hasText: '未经认可的外部培训' });
  await expect(pending).toContainText('evidence.png');
  await pending.getByTestId(`reject-hours-${filed.id}`).click();
  const rejectDialog = page.getByRole('dialog');
  await rejectDialog.getByLabel('原因').fill('证明材料与培训内容不符');
  await rejectDialog.getByRole('button', { name: /不通过/ }).click();
  await expect(rejectDialog).toBeHidden();
  await expect(pending).toHaveCount(0);
  const rejected = await admin.get<{ items: { id: number; status: string; decision_reason?: string }[] }>('/api/hours', { teacher_id: teacher.id, status: 'rejected' });
  expect(rejected.items.find((e) => e.id === filed.id)?.decision_reason).toBe('证明材料与培训内容不符');

  // Every status: the credited course hours are there to void.
  const filter = (label: string) => page.locator('.ant-form-item').filter({ has: page.locator(`label[title="${label}"]`) }).locator('.ant-select-selector');
  await filter('教师').click();
  await page.keyboard.type(teacher.name);
  await page.locator('.ant-select-item-option').filter({ hasText: teacher.name }).click();
  await filter('状态').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '已生效' }).click();
  await filter('学时类别').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '网络' }).click();
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.locator('.ant-table-row', { hasText: '网络课程第一单元' });
  await expect(row).toContainText('已生效');
  await row.getByTestId(`void-hours-${credited.id}`).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('6 学时不再计入');
  await dialog.getByRole('button', { name: /作\s*废/ }).click();
  await expect(dialog.getByText('请填写原因')).toBeVisible();
  await dialog.getByLabel('原因').fill('重复录入');
  await dialog.getByRole('button', { name: /作\s*废/ }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('已作废');
  expect((await admin.get<{ counted_hours: number }>(`/api/enrollments/${enrollmentId}`)).counted_hours).toBe(0);
});
