import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { PNG, adminApi, assign, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('a teacher submits coursework and the class tutor grades it; the hours count once passed', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  const tutorName = `tutor${uniq()}`;
  const tutor = await admin.post<{ id: number }>('/api/accounts', { username: tutorName, password: STRONG_PASSWORD, display_name: '辅导教师', role: 'tutor', scope_code: '510104' });
  const klass = await admin.post<{ id: number }>(`/api/programs/${program.id}/classes`, { name: `一班${uniq()}`, institution: '四川师范大学' });
  await admin.put(`/api/classes/${klass.id}/tutors`, { account_ids: [tutor.id] });
  await admin.post(`/api/classes/${klass.id}/members`, { enrollment_ids: [enrollmentId] });
  const title = `教学设计作业${uniq()}`;
  await admin.post(`/api/programs/${program.id}/assignments`, {
    class_id: klass.id,
    title,
    instructions: '提交一份融合信息技术的教学设计。',
    deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    category: 'practice',
    hours: 4,
  });

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '作业', exact: true }).click();
  await expect(page).toHaveURL(/\/coursework$/);
  const mine = page.locator('.ant-table-row', { hasText: title });
  await expect(mine).toContainText('未提交');
  await mine.getByText('提交', { exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('作业内容').fill('《圆的面积》：用几何画板演示割补，学生分组探究并在平板上提交结论。');
  await dialog.locator('input[type=file]').setInputFiles({ name: '教学设计.png', mimeType: 'image/png', buffer: PNG });
  await expect(dialog.locator('.ant-upload-list-item-done')).toHaveCount(1);
  await checkPage(page, 'coursework-submit');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await expect(dialog).toBeHidden();
  await expect(mine).toContainText('已提交');
  await uiLogout(page);

  await uiLogin(page, tutorName, STRONG_PASSWORD);
  await page.goto('/coursework');
  await page.locator('.ant-table-row', { hasText: title }).getByText(title).click();
  const drawer = page.getByRole('dialog');
  const submission = drawer.locator('.ant-table-row', { hasText: teacher.name });
  await expect(submission).toContainText('圆的面积');
  await expect(submission.getByText('附件 1')).toBeVisible();
  await submission.getByText('批改', { exact: true }).click();
  const grade = page.getByRole('dialog').filter({ hasText: '批改：' });
  await grade.getByLabel('成绩（0–100）').fill('86');
  await grade.getByText('通过', { exact: true }).click();
  await toastsGone(page);
  await checkPage(page, 'coursework-grade');
  await grade.getByRole('button', { name: /保\s*存/ }).click();
  await expect(grade).toBeHidden();
  await expect(submission).toContainText('通过 · 86');
  await page.locator('.ant-drawer-close').click();
  await expect(drawer).toBeHidden();
  await uiLogout(page);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto('/coursework');
  await expect(page.locator('.ant-table-row', { hasText: title })).toContainText('通过 · 86');
  expect((await admin.get<{ counted_hours: number }>(`/api/enrollments/${enrollmentId}`)).counted_hours).toBe(4);
});
