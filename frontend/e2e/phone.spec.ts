import { expect, test, type Page } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, uiLogin, uniq } from './helpers';
import { adminApi, newSchool, newTeacher } from './training';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };

/** How far the page itself scrolls sideways (0 when everything wide scrolls inside its own box). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

async function settled(page: Page, path: string) {
  await expect(page).toHaveURL(new RegExp(`${path.replace(/[/]/g, '\\/')}(\\?.*)?$`));
  await expect(page.locator('main main').getByRole('heading', { level: 1 }).first()).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
}

/** The menu's pages, each opened from the drawer on a phone: none may make the page scroll sideways. */
async function everyMenuPageFits(page: Page, who: string) {
  await page.setViewportSize(PHONE);
  const sideMenu = page.getByTestId('side-menu');
  await expect(sideMenu).toBeHidden();
  await page.getByTestId('menu-button').click();
  await expect(sideMenu).toBeVisible();
  const paths = await sideMenu.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  expect(paths.length, `${who} has a menu`).toBeGreaterThan(2);
  const wide: string[] = [];
  for (const path of paths) {
    if (!(await sideMenu.isVisible())) await page.getByTestId('menu-button').click();
    await sideMenu.locator(`a[href="${path}"]`).click();
    // The drawer closes on the way.
    await expect(sideMenu).toBeHidden();
    await settled(page, path);
    const by = await overflow(page);
    if (by > 0) wide.push(`${path} +${by}px`);
  }
  expect(wide, `${who}'s pages wider than a 390 px phone`).toEqual([]);

  await page.setViewportSize(DESKTOP);
  await expect(sideMenu).toBeVisible();
  await expect(page.getByTestId('menu-button')).toHaveCount(0);
  for (const path of paths) {
    await sideMenu.locator(`a[href="${path}"]`).click();
    await settled(page, path);
    const by = await overflow(page);
    if (by > 0) wide.push(`${path} +${by}px`);
  }
  expect(wide, `${who}'s pages wider than a 1440 px screen`).toEqual([]);
}

test.describe('phones', () => {
  test.setTimeout(300_000);

  test('the menu is a drawer below 768 px that opens and closes', async ({ page }) => {
    await page.setViewportSize(PHONE);
    await uiLogin(page, ADMIN.username, ADMIN.password);
    const sideMenu = page.getByTestId('side-menu');
    await expect(sideMenu).toBeHidden();
    const button = page.getByTestId('menu-button');
    await expect(button).toHaveAttribute('aria-expanded', 'false');
    await button.click();
    await expect(sideMenu).toBeVisible();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    // Escape (or the mask) closes it without navigating.
    const before = page.url();
    await page.keyboard.press('Escape');
    await expect(sideMenu).toBeHidden();
    expect(page.url()).toBe(before);
    await button.click();
    await sideMenu.getByRole('link', { name: '学校管理' }).click();
    await expect(sideMenu).toBeHidden();
    await settled(page, '/schools');
    // The list keeps its key column in view across and scrolls inside its own box (the page may scroll down to it).
    const keyCell = page.locator('.ant-table-tbody tr.ant-table-row').first().locator('td').nth(1);
    await expect(keyCell).toBeVisible();
    const box = await keyCell.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + Math.min(box!.width, 40)).toBeLessThanOrEqual(PHONE.width);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
  });

  test("no page of the administrator's menu scrolls sideways, on a phone or a desktop", async ({ page }) => {
    await uiLogin(page, ADMIN.username, ADMIN.password);
    await everyMenuPageFits(page, 'the province administrator');
  });

  test("no page of a teacher's menu scrolls sideways, on a phone or a desktop", async ({ page, request }) => {
    const admin = await adminApi(request);
    const teacher = await newTeacher(admin, await newSchool(admin));
    await uiLogin(page, teacher.username, STRONG_PASSWORD);
    await everyMenuPageFits(page, 'a teacher');
  });

  test("no page of a reviewer's menu scrolls sideways, on a phone or a desktop", async ({ page, request }) => {
    const admin = await adminApi(request);
    const username = `rev${uniq()}`;
    await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: `评审${uniq()}`, role: 'reviewer', scope_code: '510104' });
    await uiLogin(page, username, STRONG_PASSWORD);
    await everyMenuPageFits(page, 'a reviewer');
  });
});
