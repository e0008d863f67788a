import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ADMIN = { username: process.env.E2E_ADMIN_USER ?? 'admin', password: process.env.E2E_ADMIN_PASSWORD ?? 'Admin-Passw0rd!' };
/** The security administrator the first start creates (its password comes from scripts/e2e-server.mjs's env). */
export const SECURITY = { username: 'security', password: process.env.E2E_SECURITY_PASSWORD ?? 'Security-Passw0rd!' };
export const SHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Axe with WCAG 2 A/AA rules: no serious or critical violation is allowed. Also saves a screenshot. */
export async function checkPage(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  // Colours are judged at rest: a notice still fading in has a contrast it never keeps (endless spinners aside).
  await page
    .waitForFunction(
      () => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
      undefined,
      { timeout: 5000 },
    )
    .catch(() => undefined);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .map((v) => ({ ...v, nodes: v.nodes.filter((n) => !knownAntdQuirk(v.id, n.html)) }))
    .filter((v) => v.nodes.length > 0 && (v.impact === 'serious' || v.impact === 'critical'));
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ") + " " + n.html.split(">")[0].replace(/class="[^"]*"/, "")).slice(0, 3).join(' | ')}`),
    `axe violations on ${name}`,
  ).toEqual([]);
}

/**
 * antd 5's Form.Item copies `aria-required` onto a Select's wrapper <div> as well as onto its inner
 * role="combobox" input (which is where it belongs and where screen readers read it). Only that duplicate is
 * ignored; every other violation on a Select still fails. Likewise the empty, hidden row antd's table adds to
 * measure column widths (`ant-table-measure-row`, aria-hidden with tabindex -1, never reachable by Tab).
 */
function knownAntdQuirk(rule: string, html: string): boolean {
  const tag = html.split(">")[0];
  if (rule === "aria-hidden-focus") return /class="[^"]*ant-table-measure-row\b/.test(tag);
  return rule === "aria-allowed-attr" && /class="[^"]*ant-(tree-)?select\b/.test(tag) && /aria-required="true"/.test(tag) && !/aria-(?!required|describedby)[a-z]+=/.test(tag);
}

export async function uiLogin(page: Page, username: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

export async function uiLogout(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** A tiny API client for test setup, signed in as the given user. */
export async function apiAs(request: APIRequestContext, username: string, password: string) {
  const res = await request.post('/api/auth/login', { data: { username, password } });
  expect(res.status(), await res.text()).toBe(200);
  const { access_token } = (await res.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${access_token}` };
  return {
    token: access_token,
    async get<T = any>(path: string, params?: Record<string, string | number | boolean>): Promise<T> {
      const r = await request.get(path, { headers, params });
      expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
      return (await r.json()) as T;
    },
    async status(path: string): Promise<number> {
      return (await request.get(path, { headers })).status();
    },
    async post<T = any>(path: string, data: unknown): Promise<T> {
      const r = await request.post(path, { headers, data });
      expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
      return (r.status() === 204 ? undefined : await r.json()) as T;
    },
    async put<T = any>(path: string, data: unknown): Promise<T> {
      const r = await request.put(path, { headers, data });
      expect(r.ok(), `${path}: ${r.status()} ${await r.text()}`).toBeTruthy();
      return (await r.json()) as T;
    },
    async text(path: string, params?: Record<string, string>): Promise<string> {
      const r = await request.get(path, { headers, params });
      expect(r.ok()).toBeTruthy();
      return r.text();
    },
  };
}

export const STRONG_PASSWORD = 'E2e-Passw0rd!';
export const uniq = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

/**
 * Picks a region or school in a ScopePicker (the tree of my area): types part of its name into the picker's search,
 * then chooses the node by name. Codes are never typed.
 */
export async function pickScope(page: Page, field: Locator, search: string, name: string) {
  await field.click();
  await field.fill(search);
  await page.locator('.ant-select-tree-node-content-wrapper').filter({ hasText: name }).first().click();
}
