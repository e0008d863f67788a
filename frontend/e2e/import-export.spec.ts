import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { ADMIN, apiAs, checkPage, uiLogin } from './helpers';
import { SEED_SCHOOLS, idCard } from './global-setup';

interface School { id: number; code: string; county_code: string }

/** Builds a CSV matching the server's own template header, one row per school. */
function schoolsCsv(header: string[], rows: { code: string; name: string; county: string }[]): string {
  const cell = (h: string, r: (typeof rows)[number]) => {
    if (/标识码|code/i.test(h) && !/区县|county|region/i.test(h)) return r.code;
    if (/名称|name/i.test(h)) return r.name;
    if (/区县|county/i.test(h)) return r.county;
    if (/学段|stage/i.test(h)) return '小学';
    if (/城乡|urban/i.test(h)) return 'urban';
    if (/教学点|teaching/i.test(h)) return '否';
    return '';
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(h, r)).join(','))].join('\n') + '\n';
}

test('an import with a bad row shows the row and writes nothing; the corrected file imports', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const template = await admin.text('/api/import/schools/template', { format: 'csv' });
  const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',').map((h) => h.trim());
  const county = (await admin.get<{ items: School[] }>('/api/schools', { page_size: 1 })).items[0].county_code;
  const seq = String(Date.now()).slice(-6);
  const good = [
    { code: `2151${seq.slice(0, 5)}1`, name: `导入测试小学甲${seq}`, county },
    { code: `2151${seq.slice(0, 5)}2`, name: `导入测试小学乙${seq}`, county },
  ];
  const badRow = { code: '12345', name: `导入测试小学丙${seq}`, county };
  const fixedRow = { ...badRow, code: `2151${seq.slice(0, 5)}3` };
  const dir = tmpdir();
  const badFile = join(dir, `schools-bad-${seq}.csv`);
  const fixedFile = join(dir, `schools-fixed-${seq}.csv`);
  writeFileSync(badFile, schoolsCsv(header, [...good, badRow]));
  writeFileSync(fixedFile, schoolsCsv(header, [...good, fixedRow]));

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/schools');
  await page.getByTestId('import-schools').click();
  await expect(page).toHaveURL(/\/import\/schools$/);
  await checkPage(page, 'import-upload');
  await page.locator('input[type=file]').setInputFiles(badFile);
  await page.getByTestId('import-check').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toBeVisible();
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr td').first()).toHaveText('4');
  await expect(page.getByTestId('import-commit')).toHaveCount(0);
  await checkPage(page, 'import-preview-errors');
  const none = await admin.get<{ total: number }>('/api/schools', { keyword: `导入测试小学甲${seq}` });
  expect(none.total).toBe(0);

  await page.getByRole('button', { name: '重新选择文件' }).click();
  await page.locator('input[type=file]').setInputFiles(fixedFile);
  await page.getByTestId('import-check').click();
  await expect(page.getByText('全部 3 行数据检查通过')).toBeVisible();
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-done')).toContainText('新增 3 条');
  await checkPage(page, 'import-done');
  const created = await admin.get<{ total: number }>('/api/schools', { keyword: `导入测试小学` + '甲' + seq });
  expect(created.total).toBe(1);
});

interface TeacherRow { name: string; idCard: string; school: string; phone: string }

/** Builds a CSV matching the server's teacher template header, one row per teacher. */
function teachersCsv(header: string[], rows: TeacherRow[]): string {
  const cell = (h: string, r: TeacherRow) => {
    if (/姓名|^name/i.test(h)) return r.name;
    if (/身份证|id_card/i.test(h)) return r.idCard;
    if (/学校|school/i.test(h)) return r.school;
    if (/手机|phone/i.test(h)) return r.phone;
    if (/学段|stage/i.test(h)) return '小学';
    if (/学科|subject/i.test(h)) return '数学';
    if (/教龄|teaching_years/i.test(h)) return '5';
    return '';
  };
  return [header.join(','), ...rows.map((r) => header.map((h) => cell(h, r)).join(','))].join('\n') + '\n';
}

test('a teacher import with a bad row shows the row and writes nothing; the corrected file imports', async ({ page, request }) => {
  const admin = await apiAs(request, ADMIN.username, ADMIN.password);
  const template = await admin.text('/api/import/teachers/template', { format: 'csv' });
  const header = template.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',').map((h) => h.trim());
  const school = SEED_SCHOOLS[0];
  const seq = String(Date.now()).slice(-6);
  const n = Number(seq.slice(-3));
  // Birth dates no seeded teacher uses; day and sequence vary per run so reruns on one database do not collide.
  const birth = (day: number) => `1993${String(1 + (n % 12)).padStart(2, '0')}${String(day).padStart(2, '0')}`;
  const row = (tag: string, day: number): TeacherRow => ({
    name: `导入教师${tag}${seq}`,
    idCard: idCard(school.county_code, birth(day), n),
    school: school.code,
    phone: `1391${seq.slice(0, 3)}${String(day).padStart(4, '0')}`,
  });
  const good = [row('甲', 1), row('乙', 2)];
  const fixedRow = row('丙', 3);
  const valid = fixedRow.idCard;
  const wrongCheck = '10X98765432'[('10X98765432'.indexOf(valid[17]) + 1) % 11];
  const badRow = { ...fixedRow, idCard: valid.slice(0, 17) + wrongCheck };
  const dir = tmpdir();
  const badFile = join(dir, `teachers-bad-${seq}.csv`);
  const fixedFile = join(dir, `teachers-fixed-${seq}.csv`);
  writeFileSync(badFile, teachersCsv(header, [...good, badRow]));
  writeFileSync(fixedFile, teachersCsv(header, [...good, fixedRow]));

  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/teachers');
  await page.getByTestId('import-teachers').click();
  await expect(page).toHaveURL(/\/import\/teachers$/);
  await checkPage(page, 'import-teachers-upload');
  await page.locator('input[type=file]').setInputFiles(badFile);
  await page.getByTestId('import-check').click();
  const errors = page.getByTestId('import-errors');
  await expect(errors).toBeVisible();
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr td').first()).toHaveText('4');
  await expect(errors).toContainText('身份证号');
  await expect(page.getByTestId('import-commit')).toHaveCount(0);
  await checkPage(page, 'import-teachers-preview-errors');
  const none = await admin.get<{ total: number }>('/api/teachers', { keyword: `导入教师甲${seq}` });
  expect(none.total).toBe(0);

  await page.getByRole('button', { name: '重新选择文件' }).click();
  await page.locator('input[type=file]').setInputFiles(fixedFile);
  await page.getByTestId('import-check').click();
  await expect(page.getByText('全部 3 行数据检查通过')).toBeVisible();
  await page.getByTestId('import-commit').click();
  await expect(page.getByTestId('import-done')).toContainText('新增 3 条');
  await checkPage(page, 'import-teachers-done');
  for (const tag of ['甲', '乙', '丙']) {
    const created = await admin.get<{ total: number; items: { school_code: string; id_card_masked: string }[] }>('/api/teachers', { keyword: `导入教师${tag}${seq}` });
    expect(created.total, tag).toBe(1);
    expect(created.items[0].school_code).toBe(school.code);
  }
});

test('the schools list exports to XLSX', async ({ page }) => {
  await uiLogin(page, ADMIN.username, ADMIN.password);
  await page.goto('/schools');
  await expect(page.locator('.ant-table-row').first()).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xlsx').click()]);
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect(bytes.subarray(0, 2).toString()).toBe('PK'); // an XLSX is a zip
});
