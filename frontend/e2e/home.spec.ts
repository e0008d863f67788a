import { expect, test } from '@playwright/test';
import { STRONG_PASSWORD, checkPage, uiLogin } from './helpers';
import { adminApi, assign, credit, fileSupplement, newAdmin, newProgram, newSchool, newTeacher } from './training';

test('a county admin lands on the workbench: cards, the schools as chart and table, a 待办 leading to its queue', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  await credit(admin, teacher, enrollmentId, 'online', 4);
  await fileSupplement(request, teacher, '工作台补录', 2);
  const county = await newAdmin(admin, 'county_admin', '510104');

  await uiLogin(page, county, STRONG_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: '工作台' })).toBeVisible();
  const figures = page.getByTestId('home-figures');
  await expect(figures).toContainText('锦江区');
  await expect(figures).toContainText('教师数');
  await expect(figures).toContainText('参训率');
  await expect(page.getByTestId('home-chart')).toBeVisible();
  // The chart's numbers as a table: the new school is one of its rows.
  await figures.getByRole('tab', { name: '表格' }).click();
  await expect(page.getByTestId('home-children-table')).toContainText(school.name);
  await checkPage(page, 'home-county');

  // The menu is grouped and carries the 待办 count as a badge.
  const menu = page.getByTestId('side-menu');
  await expect(menu).toContainText('目录');
  await expect(menu).toContainText('培训');
  await expect(menu.getByRole('link', { name: /^学时（\d+ 项待办）$/ })).toBeVisible();

  // The 补录 waits in the county's queue: the 待办 link opens it.
  const todos = page.getByTestId('home-todos');
  await todos.getByRole('link', { name: '学时待审核（含补录）' }).click();
  await expect(page).toHaveURL(/\/hours$/);
  await expect(page.locator('.ant-table-row', { hasText: '工作台补录' })).toBeVisible();
});

test('a teacher lands on the workbench with their program, progress and what is missing', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  await credit(admin, teacher, enrollmentId, 'online', 4);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await expect(page).toHaveURL(/\/$/);
  const programs = page.getByTestId('home-programs');
  await expect(programs.getByRole('link', { name: program.name })).toBeVisible();
  await expect(programs).toContainText('4 / 10 学时');
  await expect(programs).toContainText('距结业还差 6 学时');
  await expect(page.getByTestId('home-figures')).toHaveCount(0);
  // Teachers do not see the region tree.
  await expect(page.getByTestId('side-menu')).not.toContainText('行政区划');
  await checkPage(page, 'home-teacher');

  // Phone-sized: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(programs).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
