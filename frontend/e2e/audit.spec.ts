import { expect, test } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { STRONG_PASSWORD, checkPage, uiLogin, uniq } from './helpers';
import { adminApi, newSchool } from './training';

// The audit administrator is one of the three province system administrators: no business administrator may
// create one through the API, so the test makes it the way an operator does, with `yanxiu admin create` on the
// server's own data dir (the same database and audit key as the running server).
function createAuditAdmin(username: string) {
  const bin = process.env.YANXIU_BIN ?? resolve(import.meta.dirname, '..', '..', 'target', 'debug', 'yanxiu');
  const made = spawnSync(
    bin,
    ['admin', 'create', '--username', username, '--password', STRONG_PASSWORD, '--role', 'audit_admin', '--scope', '510000', '--display-name', '审计员'],
    { env: { ...process.env, YANXIU_DATA_DIR: process.env.E2E_DATA_DIR, RUST_LOG: 'warn' }, encoding: 'utf8' },
  );
  expect(made.status, `${made.stdout}\n${made.stderr}`).toBe(0);
}

test('the audit administrator searches the whole log and verifies the chain', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const auditor = `audit${uniq()}`;
  createAuditAdmin(auditor);

  await uiLogin(page, auditor, STRONG_PASSWORD);
  // The only page of an audit administrator besides the workbench: 审计管理 under 系统管理.
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('menuitem', { name: /审计管理/ }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(page.getByRole('menuitem', { name: /学校管理/ })).toHaveCount(0);
  await expect(page.getByRole('menuitem', { name: /审计管理/ })).toBeVisible();

  // Search: the province admin's creation of the school.
  await page.getByLabel('操作', { exact: true }).fill('school.create');
  await page.getByLabel('对象编号').fill(String(school.id));
  await page.getByRole('button', { name: /查\s*询/ }).click();
  const row = page.locator('.ant-table-row', { hasText: 'school.create' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('admin');
  await expect(row).toContainText(school.name);
  await checkPage(page, 'audit-search');

  // Export the same range as CSV.
  const download = page.waitForEvent('download');
  await page.getByTestId('audit-export').click();
  expect((await download).suggestedFilename()).toMatch(/^audit-.*\.csv$/);

  // Verify the chain: intact.
  await page.getByTestId('audit-verify').click();
  const result = page.getByTestId('audit-verify-result');
  await expect(result).toContainText('审计链完整');
  await expect(result).toContainText(/已校验 \d+ 条记录/);
  await checkPage(page, 'audit-verified');
});
