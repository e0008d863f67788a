import { createHmac } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import jsQR from 'jsqr';
import { ADMIN, apiAs, checkPage, uiLogout } from './helpers';

/** RFC 4648 base32 (the otpauth `secret`) to bytes. */
function fromBase32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const c of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(out);
}

/** RFC 6238 TOTP: HMAC-SHA1 over the 30-second step, dynamic truncation, 6 digits. */
function totp(secret: Buffer, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

const stepNow = () => Math.floor(Date.now() / 30_000);

/** Draws the QR code's SVG onto a canvas in the page and decodes the pixels here: the otpauth URI it carries. */
async function scanQr(page: Page): Promise<string> {
  const qr = page.getByTestId('totp-qr');
  await expect(qr.locator('svg')).toBeVisible();
  const image = await qr.evaluate(async (el) => {
    const svg = el.querySelector('svg')!.outerHTML;
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    await img.decode();
    const size = 400;
    const canvas = document.createElement('canvas');
    canvas.width = size;
    canvas.height = size;
    const ctx = canvas.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(img, 0, 0, size, size);
    return { size, data: Array.from(ctx.getImageData(0, 0, size, size).data) };
  });
  const decoded = jsQR(Uint8ClampedArray.from(image.data), image.size, image.size);
  expect(decoded, 'the QR code decodes').not.toBeNull();
  return decoded!.data;
}

test('an administrator enrols an authenticator from the QR code, signs in with a code, and is warned before the idle timeout', async ({ page, request }) => {
  // A fresh account of its own, so no other spec meets its second factor.
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const username = `e2e-mfa-${Date.now()}`;
  const password = 'Mfa-Passw0rd!';
  await admin.post('/api/accounts', { username, password, display_name: '双因素测试', role: 'county_admin', scope_code: '510104' });

  // The browser clock is Playwright's, so the idle warning can be brought forward; it runs in real time until then.
  await page.clock.install();
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).not.toHaveURL(/\/login/);

  await page.goto('/profile/security');
  await expect(page.getByTestId('second-factor-status')).toHaveText('未启用');
  await page.getByTestId('start-enrolment').click();
  const uri = await scanQr(page);
  expect(uri).toContain(`otpauth://totp/Yanxiu:${username}?`);
  const secret = fromBase32(new URL(uri).searchParams.get('secret')!);
  expect(new URL(uri).searchParams.get('secret')).toBe(await page.getByTestId('totp-key').innerText());
  await checkPage(page, 'second-factor-enrolment');
  let used = stepNow();
  await page.getByTestId('enrol-code').fill(totp(secret, used));
  await page.getByRole('button', { name: '确认绑定' }).click();
  const codes = page.getByTestId('recovery-codes');
  await expect(codes).toBeVisible();
  await expect(codes.locator('code')).toHaveCount(10);
  await page.getByRole('button', { name: '我已保存恢复码' }).click();
  await expect(page.getByTestId('second-factor-status')).toHaveText('已启用');

  // Out and in again: the password step now asks for a code (a later step than the one just used).
  await uiLogout(page);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  const codeInput = page.getByTestId('second-factor-code');
  await expect(codeInput).toBeVisible();
  await codeInput.fill('000000');
  await page.getByRole('button', { name: /验\s*证/ }).click();
  await expect(page.getByTestId('login-error')).toContainText('验证码不正确');
  used = Math.max(stepNow(), used + 1);
  await codeInput.fill(totp(secret, used));
  await page.getByRole('button', { name: /验\s*证/ }).click();
  await expect(page).not.toHaveURL(/\/login/);
  // The notice of the previous sign-in.
  await expect(page.getByTestId('last-sign-in')).toContainText('上次登录');

  // A minute before the 30-minute idle timeout the warning appears; 继续登录 keeps the session.
  await page.clock.runFor('29:05');
  const warning = page.getByRole('dialog', { name: '即将退出登录' });
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: '继续登录' }).click();
  await expect(warning).toBeHidden();
  await expect(page).not.toHaveURL(/\/login/);
});
