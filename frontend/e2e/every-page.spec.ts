import { expect, test, type Page } from '@playwright/test';
import { ADMIN, SECURITY, STRONG_PASSWORD, checkPage, uiLogin, uniq } from './helpers';
import { adminApi, assign, newAdmin, newProgram, newSchool, newTeacher, type Api } from './training';

// Every page of every role, on a phone and on a desktop: the page never scrolls sideways (wide tables scroll in
// their own box) and axe finds nothing serious (checkPage: WCAG 2.1 A/AA, serious and critical).
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1440, height: 900 },
] as const;

interface Who {
  role: string;
  username: string;
  password: string;
  /** Detail pages of this role (its list pages come from its own menu). */
  details: string[];
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function menuPaths(page: Page): Promise<string[]> {
  await page.setViewportSize({ width: 1440, height: 900 });
  const links = page.getByTestId('side-menu').getByRole('link');
  await expect(links.first()).toBeVisible();
  return links.evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? '').filter(Boolean));
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await expect(page.locator('.page-title').first()).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
}

async function everyPage(page: Page, who: Who) {
  await uiLogin(page, who.username, who.password);
  const paths = [...(await menuPaths(page)), ...who.details];
  expect(paths.length, `${who.role} has pages`).toBeGreaterThan(1);
  const wide: string[] = [];
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    for (const path of paths) {
      await open(page, path);
      const by = await overflow(page);
      if (by > 0) wide.push(`${viewport.name} ${path} +${by}px`);
      await checkPage(page, `every-page-${who.role}-${viewport.name}-${path.replace(/\W+/g, '_')}`);
    }
  }
  expect(wide, `${who.role}'s pages wider than the screen`).toEqual([]);
}

async function account(admin: Api, role: 'reviewer' | 'tutor', scope: string): Promise<string> {
  const username = `${role}${uniq()}`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: `${role}-${scope}`, role, scope_code: scope });
  return username;
}

test.describe('every page fits and passes axe', () => {
  test.setTimeout(900_000);
  let people: Who[] = [];

  test.beforeAll(async ({ request }) => {
    const admin = await adminApi(request);
    const school = await newSchool(admin);
    const teacher = await newTeacher(admin, school);
    const program = await newProgram(admin, { mode: 'assigned', requiredHours: 10, schools: [school.code] });
    await assign(admin, program, teacher);
    const programPages = [`/programs/${program.id}`, `/programs/${program.id}/report`, `/quizzes/new?program=${program.id}`];
    people = [
      { role: 'province_admin', ...ADMIN, details: [`/schools/${school.id}`, `/teachers/${teacher.id}`, ...programPages] },
      { role: 'security_admin', ...SECURITY, details: ['/profile/sessions'] },
      { role: 'county_admin', username: await newAdmin(admin, 'county_admin', '510104'), password: STRONG_PASSWORD, details: [`/schools/${school.id}`, `/teachers/${teacher.id}`, `/programs/${program.id}`] },
      { role: 'school_admin', username: await newAdmin(admin, 'school_admin', school.code), password: STRONG_PASSWORD, details: [`/teachers/${teacher.id}`, `/programs/${program.id}`] },
      { role: 'teacher', username: teacher.username, password: STRONG_PASSWORD, details: [`/programs/${program.id}`, '/profile/personal-data', '/change-password'] },
      { role: 'reviewer', username: await account(admin, 'reviewer', '510104'), password: STRONG_PASSWORD, details: ['/profile/security'] },
      { role: 'tutor', username: await account(admin, 'tutor', '510104'), password: STRONG_PASSWORD, details: [`/programs/${program.id}`] },
    ];
  });

  for (const role of ['province_admin', 'security_admin', 'county_admin', 'school_admin', 'teacher', 'reviewer', 'tutor']) {
    test(`${role}: every page at 390 and 1440 px`, async ({ page }) => {
      await everyPage(page, people.find((p) => p.role === role)!);
    });
  }

  test("a teacher's program page shows the hours, what is missing, and no quota table", async ({ page }) => {
    const teacher = people.find((p) => p.role === 'teacher')!;
    await uiLogin(page, teacher.username, teacher.password);
    await open(page, teacher.details[0]);
    await expect(page.getByTestId('my-hours')).toHaveText('已计入 0 / 10 学时');
    await expect(page.getByTestId('my-missing')).toContainText('再获得 10 学时');
    await expect(page.getByTestId('quotas')).toHaveCount(0);
    // Names, not codes: the owner is 四川省.
    await expect(page.getByText('四川省')).toBeVisible();
    // Its trail leads back to the list, and its help opens the guide at its own section.
    await expect(page.locator('.page-trail').getByRole('link', { name: '培训项目' })).toHaveAttribute('href', '/programs');
    const [guide] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('page-help').click()]);
    await expect(guide).toHaveURL(/\/guide\/zh-CN#programs-detail$/);
    await expect(guide.locator('#programs-detail')).toBeInViewport();
    await checkPage(guide, 'guide-zh');
  });
});
