import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, apiAs, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { PNG, adminApi, assign, newProgram, newSchool, newTeacher, toastsGone } from './training';

test('班级: the admin sets up a class from the program page; its tutor grades coursework and records attendance there', async ({ page, request }) => {
  test.slow(); // three sign-ins and five axe checks on a busy 2-core machine
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  const tutorName = `tutor${uniq()}`;
  const tutorDisplay = `辅导${uniq()}`;
  await admin.post('/api/accounts', { username: tutorName, password: STRONG_PASSWORD, display_name: tutorDisplay, role: 'tutor', scope_code: '510104' });
  const className = `信息技术一班${uniq()}`;

  // The province admin: program page → 班级 → new class → tutor → members.
  await uiLogin(page, 'admin', process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Passw0rd!');
  await page.goto(`/programs/${program.id}`);
  await page.getByTestId('open-classes').click();
  await expect(page).toHaveURL(new RegExp(`/classes\\?program=${program.id}$`));
  await checkPage(page, 'classes-list');
  await page.getByTestId('create-class').click();
  const create = page.getByRole('dialog');
  // The form inside the opening dialog must be mounted before 保存 can validate it (a click in its first frames
  // reaches a form that is not there yet).
  await expect(create.getByLabel('班级名称')).toBeEditable();
  await create.getByRole('button', { name: /保\s*存/ }).click();
  await expect(create.getByText('此项为必填项')).toBeVisible();
  await create.getByLabel('班级名称').fill(className);
  await create.getByLabel('承训机构').fill('四川师范大学');
  await create.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page).toHaveURL(/\/classes\/\d+$/);
  const classId = Number(page.url().split('/').pop());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(className);

  await page.getByTestId('set-tutors').click();
  const tutors = page.getByRole('dialog');
  await tutors.locator('.ant-select-selector').click();
  await page.keyboard.type(tutorDisplay);
  await page.locator('.ant-select-item-option', { hasText: tutorDisplay }).click();
  await tutors.getByText('设置辅导教师', { exact: true }).click();
  await tutors.getByRole('button', { name: /保\s*存/ }).click();
  await expect(tutors).toBeHidden();
  await expect(page.locator('.ant-descriptions')).toContainText(tutorDisplay);

  await page.getByRole('tab', { name: '学员' }).click();
  await page.getByTestId('place-members').click();
  const place = page.getByRole('dialog');
  await place.locator('.ant-select-selector').click();
  await page.keyboard.type(teacher.name);
  await page.locator('.ant-select-item-option', { hasText: teacher.name }).click();
  await place.getByText('安排学员', { exact: true }).click();
  await place.getByRole('button', { name: /保\s*存/ }).click();
  await expect(place).toBeHidden();
  await expect(page.locator('.ant-table-row', { hasText: teacher.name })).toContainText('*');
  await toastsGone(page);
  await checkPage(page, 'class-members');
  await uiLogout(page);

  // An assignment of the class, and the teacher's submission with a file (their own /coursework page is tested elsewhere).
  const title = `信息化教学设计${uniq()}`;
  const assignment = await admin.post<{ id: number }>(`/api/programs/${program.id}/assignments`, {
    class_id: classId,
    title,
    instructions: '提交一份融合信息技术的教学设计。',
    deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    category: 'practice',
    hours: 4,
  });
  const me = await apiAs(request, teacher.username, STRONG_PASSWORD);
  const up = await request.post('/api/files', { headers: { Authorization: `Bearer ${me.token}`, 'Content-Type': 'application/octet-stream' }, params: { purpose: 'coursework', name: '教学设计.png' }, data: PNG });
  expect(up.ok(), await up.text()).toBeTruthy();
  await me.post(`/api/assignments/${assignment.id}/submissions`, { body: '初稿：《圆的面积》导入环节。', attachments: [] });
  await me.post(`/api/assignments/${assignment.id}/submissions`, { body: '《圆的面积》：用几何画板演示割补，学生分组探究。', attachments: [((await up.json()) as { id: number }).id] });

  // The tutor opens the class, grades the latest submission (history kept), and records a session's attendance.
  await uiLogin(page, tutorName, STRONG_PASSWORD);
  await page.goto('/classes');
  await checkPage(page, 'classes-tutor');
  await page.getByRole('link', { name: className }).click();
  await expect(page).toHaveURL(new RegExp(`/classes/${classId}$`));
  await page.getByTestId(`open-assignment-${assignment.id}`).click();
  const drawer = page.getByRole('dialog');
  const row = drawer.locator('.ant-table-row', { hasText: teacher.name });
  await expect(row).toContainText('几何画板');
  await expect(row).toContainText('待批改');
  const file = row.getByText('教学设计.png');
  await expect(file).toBeVisible();
  const download = page.waitForEvent('download');
  await file.click();
  // The saved name is only checked for its extension: Content-Disposition carries the UTF-8 name raw, read as Latin-1 (reported).
  expect((await download).suggestedFilename()).toMatch(/\.png$/);
  await row.locator('.ant-table-row-expand-icon').click();
  await expect(drawer.getByText('之前的 1 次提交')).toBeVisible();
  await expect(drawer.getByText('初稿')).toBeVisible();
  await row.getByText('批改', { exact: true }).click();
  const grade = page.getByRole('dialog').filter({ hasText: '批改：' });
  await grade.getByLabel('成绩（0–100）').fill('86');
  await grade.getByText('未通过', { exact: true }).click();
  await grade.getByRole('button', { name: /保\s*存/ }).click();
  await expect(grade.getByText('未通过须填写评语')).toBeVisible();
  await grade.getByText('通过', { exact: true }).click();
  await grade.getByLabel('评语').fill('设计完整，技术融合自然。');
  await toastsGone(page);
  await checkPage(page, 'class-grade');
  await grade.getByRole('button', { name: /保\s*存/ }).click();
  await expect(grade).toBeHidden();
  await expect(row).toContainText('通过 · 86');
  await expect(row).toContainText('设计完整');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  await page.getByRole('tab', { name: '面授与考勤' }).click();
  await page.getByTestId('create-session').click();
  const session = page.getByRole('dialog');
  await session.getByLabel('日期').fill('2026-10-15');
  await session.getByLabel('日期').press('Enter');
  await session.getByLabel('面授主题').fill('交互式课件制作');
  await session.getByRole('button', { name: /保\s*存/ }).click();
  await expect(session).toBeHidden();
  const sessionRow = page.locator('.ant-table-row', { hasText: '交互式课件制作' });
  await sessionRow.getByText('登记考勤').click();
  const attendance = page.getByRole('dialog');
  await attendance.getByTestId(`present-${enrollmentId}`).click();
  await expect(attendance).toContainText('出勤 1 / 1 人');
  await toastsGone(page);
  await checkPage(page, 'class-attendance');
  await attendance.getByRole('button', { name: /保\s*存/ }).click();
  await expect(attendance).toBeHidden();
  await uiLogout(page);

  // The teacher: passed with the comment, and the coursework (4) and attendance (3) hours credited.
  const mine = await me.get<{ items: { assignment: { id: number }; status: string; passed?: boolean; score?: number }[] }>('/api/my/coursework');
  expect(mine.items.find((i) => i.assignment.id === assignment.id)).toMatchObject({ status: 'graded', passed: true, score: 86 });
  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto('/coursework');
  await expect(page.locator('.ant-table-row', { hasText: title })).toContainText('通过');
  await page.goto('/hours');
  await expect(page.locator('.ant-table-row', { hasText: '作业' }).first()).toContainText('4');
  await expect(page.locator('.ant-table-row', { hasText: '线下考勤' }).first()).toContainText('3');
  await checkPage(page, 'class-teacher-hours');
  expect((await admin.get<{ counted_hours: number }>(`/api/enrollments/${enrollmentId}`)).counted_hours).toBe(7);
});
