import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uniq } from './helpers';
import { SEED_SCHOOLS, idCard } from './global-setup';

interface Teacher { id: number; name: string; school_id: number; school_name: string }

test('a teacher signs in and sees their own teacher record on the profile page', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const teacher = (await admin.get<{ items: Teacher[] }>('/api/teachers', { page_size: 1 })).items[0];
  const school = await admin.get<{ code: string }>(`/api/schools/${teacher.school_id}`);
  const username = `teacher${uniq()}`;
  await admin.post('/api/accounts', {
    username,
    password: STRONG_PASSWORD,
    display_name: teacher.name,
    role: 'teacher',
    scope_code: school.code,
    teacher_id: teacher.id,
  });

  await uiLogin(page, username, STRONG_PASSWORD);
  // Every role lands on the workbench; the profile is one menu entry away.
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole('link', { name: '个人中心' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId('user-menu')).toContainText('教师');
  const card = page.getByTestId('teacher-card');
  await expect(card).toContainText(teacher.name);
  await expect(card).toContainText(teacher.school_name);
  await expect(page.getByTestId('side-menu')).not.toContainText('账号管理');
  await checkPage(page, 'profile-teacher');
});

test('editing a teacher keeps the ID number and phone without re-typing them; the phone can be removed', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const school = SEED_SCHOOLS[0];
  const seq = Number(String(Date.now()).slice(-3));
  const name = `编辑测试${uniq()}`;
  const created = await admin.post<Teacher & { id_card_masked: string; phone_masked?: string }>('/api/teachers', {
    name,
    id_card: idCard(school.county_code, `1994${String(1 + (seq % 12)).padStart(2, '0')}15`, seq),
    school_id: (await admin.get<{ items: { id: number }[] }>('/api/schools', { keyword: school.code })).items[0].id,
    phone: `1370000${String(seq).padStart(4, '0')}`,
    stage: school.stage,
    subject: '数学',
  });
  expect(created.phone_masked).toBeTruthy();

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto(`/teachers/${created.id}`);
  await page.getByRole('button', { name: /^编\s*辑$/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('id-card-current')).toHaveValue(created.id_card_masked);
  await expect(dialog.getByTestId('phone-current')).toHaveValue(created.phone_masked!);
  await expect(dialog).not.toContainText('重新输入');
  await dialog.getByLabel('职称').fill('高级教师');
  await checkPage(page, 'teacher-edit');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const after = await admin.get<{ title?: string; id_card_masked: string; phone_masked?: string }>(`/api/teachers/${created.id}`);
  expect(after).toMatchObject({ title: '高级教师', id_card_masked: created.id_card_masked, phone_masked: created.phone_masked });

  await page.getByRole('button', { name: /^编\s*辑$/ }).click();
  await dialog.getByLabel('删除手机号').check();
  await expect(dialog.getByTestId('phone-current')).toHaveValue('将被删除');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const removed = await admin.get<{ id_card_masked: string; phone_masked?: string }>(`/api/teachers/${created.id}`);
  expect(removed.phone_masked ?? '').toBe('');
  expect(removed.id_card_masked).toBe(created.id_card_masked);
});
