import { expect, test } from '@playwright/test';
import { checkPage } from './helpers';
import { adminApi, assign, credit, newProgram, newSchool, newTeacher } from './training';

interface Certificate { number: string; teacher_id: number }

test('anyone, signed out, verifies a certificate by its number', async ({ page, request }) => {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school, `欧阳${String.fromCharCode(0x4e00 + Math.floor(Math.random() * 500))}明`);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 2, schools: [school.code] });
  await credit(admin, teacher, await assign(admin, program, teacher), 'online', 2);
  const cert = (await admin.get<{ items: Certificate[] }>('/api/certificates', { page_size: 100 })).items.find((c) => c.teacher_id === teacher.id)!;

  // No sign-in: the page is outside the signed-in shell.
  await page.goto('/verify');
  await expect(page).toHaveURL(/\/verify$/);
  await page.getByLabel('证书编号').fill(cert.number);
  await page.getByTestId('verify-submit').click();
  await expect(page).toHaveURL(new RegExp(`/verify/${encodeURIComponent(cert.number)}$`));
  const result = page.getByTestId('verify-result');
  await expect(result).toContainText('证书有效');
  await expect(result).toContainText(program.name);
  // The holder's name is masked: only the first character shows.
  await expect(result).toContainText('欧');
  await expect(result).not.toContainText(teacher.name);
  await checkPage(page, 'verify-valid');

  // The QR code's link opens the answer directly; an unknown number is "not found".
  await page.goto(`/verify/${encodeURIComponent(cert.number)}`);
  await expect(result).toContainText('证书有效');
  await page.goto('/verify/NO-SUCH-0000');
  await expect(result).toContainText('未找到该证书');
  await checkPage(page, 'verify-not-found');

  // A revoked certificate says so.
  await admin.post(`/api/certificates/${encodeURIComponent(cert.number)}/revoke`, { reason: '材料不实' });
  await page.goto(`/verify/${encodeURIComponent(cert.number)}`);
  await expect(result).toContainText('证书已撤销');
});
