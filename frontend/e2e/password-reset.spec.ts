import { expect, test } from '@playwright/test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, STRONG_PASSWORD, apiAs, uiLogin, uiLogout, uniq } from './helpers';

/** The mail body as text, whether sent base64, quoted-printable or plain. */
function decodeBody(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head)) return head + Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head)) return head + body.replace(/=\r?\n/g, '').replace(/=3D/gi, '=');
  return raw;
}

/** Reads the reset link out of the .eml files the server writes into <data dir>/mail (no SMTP configured). */
async function resetLinkFor(email: string): Promise<string> {
  const dir = join(process.env.E2E_DATA_DIR!, 'mail');
  for (let i = 0; i < 60; i += 1) {
    if (existsSync(dir)) {
      for (const f of readdirSync(dir)) {
        const raw = readFileSync(join(dir, f), 'utf8');
        const text = decodeBody(raw);
        if (!text.includes(email)) continue;
        const m = /\/reset-password\?token=([A-Za-z0-9_\-.~%]+)/.exec(text);
        if (m) return `/reset-password?token=${m[1]}`;
      }
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no reset mail for ${email} in ${dir}`);
}

test('forgot password → mail → reset link → sign in with the new password', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const username = `reset${uniq()}`;
  const email = `${username}@example.com`;
  await admin.post('/api/accounts', { username, password: STRONG_PASSWORD, display_name: '重置测试', email, role: 'city_admin', scope_code: '510100' });

  await page.goto('/login');
  await page.getByRole('link', { name: '忘记密码？' }).click();
  await page.getByLabel('用户名或邮箱').fill(email);
  await page.getByRole('button', { name: '发送重置邮件' }).click();
  await expect(page.getByText('请查收邮件')).toBeVisible();

  await page.goto(await resetLinkFor(email));
  const newPassword = 'Brand-New-Passw0rd!';
  await page.getByLabel('新密码', { exact: true }).fill(newPassword);
  await page.getByLabel('确认新密码').fill(newPassword);
  await page.getByRole('button', { name: '重置密码' }).click();
  await expect(page.getByText('密码已重置')).toBeVisible();

  await uiLogin(page, username, newPassword);
  await expect(page.getByTestId('user-menu')).toContainText('重置测试');

  // change it again from inside the app (not back to the first one: the last passwords cannot be reused); the
  // session stays signed in
  const third = 'Third-Passw0rd!';
  await page.goto('/change-password');
  await page.getByLabel('当前密码').fill(newPassword);
  await page.getByLabel('新密码', { exact: true }).fill(third);
  await page.getByLabel('确认新密码').fill(third);
  await page.getByRole('button', { name: '修改密码' }).click();
  await expect(page.getByText('密码已修改')).toBeVisible();
  await page.goto('/profile');
  await expect(page.getByTestId('user-menu')).toContainText('重置测试');
  await uiLogout(page);
  await uiLogin(page, username, third);
});
