import { expect, test } from '@playwright/test';
import { ADMIN, STRONG_PASSWORD, apiAs, checkPage, uiLogin, uniq } from './helpers';

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
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId('user-menu')).toContainText('教师');
  const card = page.getByTestId('teacher-card');
  await expect(card).toContainText(teacher.name);
  await expect(card).toContainText(teacher.school_name);
  await expect(page.getByTestId('side-menu')).not.toContainText('账号管理');
  await checkPage(page, 'profile-teacher');
});
