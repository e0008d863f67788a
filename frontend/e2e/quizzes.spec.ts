import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { STRONG_PASSWORD, apiAs, checkPage, uiLogin, uiLogout, uniq } from './helpers';
import { adminApi, assign, newProgram, newSchool, newTeacher, toastsGone, type Api, type Program } from './training';

interface Question { id: number; stem: string }

/** A bank question of the province (the admin's own node), through the API. */
async function newQuestion(admin: Api, body: Record<string, unknown>): Promise<Question> {
  return admin.post<Question>('/api/questions', { subject: '数学', difficulty: 2, tags: ['e2e'], explanation: '', points: 2, options: [], ...body });
}

/** A published program-wide fixed quiz, open from a minute ago for a day. */
async function publishedQuiz(admin: Api, program: Program, title: string, items: { question_id: number; points?: number }[], passScore: number) {
  const quiz = await admin.post<{ id: number }>(`/api/programs/${program.id}/quizzes`, {
    title,
    mode: 'fixed',
    items,
    opens_at: new Date(Date.now() - 60_000).toISOString(),
    closes_at: new Date(Date.now() + 86_400_000).toISOString(),
    time_limit_minutes: 30,
    attempts_allowed: 2,
    pass_score: passScore,
    shuffle_options: false,
    // The journeys below read keys and explanations right after handing in.
    key_review: 'after_each_attempt',
  });
  await admin.post(`/api/quizzes/${quiz.id}/publish`, {});
  return quiz;
}

/** A program with one approved teacher and a class tutored by a new tutor account. */
async function setting(request: APIRequestContext) {
  const admin = await adminApi(request);
  const school = await newSchool(admin);
  const teacher = await newTeacher(admin, school);
  const program = await newProgram(admin, { mode: 'assigned', requiredHours: 40, schools: [school.code] });
  const enrollmentId = await assign(admin, program, teacher);
  const tutorName = `tutor${uniq()}`;
  const tutor = await admin.post<{ id: number }>('/api/accounts', { username: tutorName, password: STRONG_PASSWORD, display_name: '辅导教师', role: 'tutor', scope_code: '510104' });
  const klass = await admin.post<{ id: number }>(`/api/programs/${program.id}/classes`, { name: `一班${uniq()}`, institution: '四川师范大学' });
  await admin.put(`/api/classes/${klass.id}/tutors`, { account_ids: [tutor.id] });
  await admin.post(`/api/classes/${klass.id}/members`, { enrollment_ids: [enrollmentId] });
  return { admin, school, teacher, program, tutorName };
}

// Several sign-ins and axe checks per journey on a busy 2-core machine.
test.slow();

async function confirmPopover(page: Page) {
  await page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定/ }).click();
}

test('an administrator adds questions to the bank and builds and publishes a fixed paper from it', async ({ page, request }) => {
  const { admin, program } = await setting(request);
  const mark = uniq();
  const tf = await newQuestion(admin, { kind: 'true_false', stem: `判断${mark}：0.5 与 1/2 相等。`, answer: { value: true } });

  await uiLogin(page, 'admin', 'Admin-Passw0rd!');
  await page.getByRole('link', { name: '题库', exact: true }).click();
  await expect(page).toHaveURL(/\/questions$/);
  await page.getByTestId('create-question').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('学科').fill('数学');
  await dialog.getByLabel('题干').fill(`单选${mark}：1/2 + 1/4 = ?`);
  await dialog.getByRole('textbox', { name: '选项 A', exact: true }).fill('2/6');
  await dialog.getByRole('textbox', { name: '选项 B', exact: true }).fill('3/4');
  await dialog.getByRole('textbox', { name: '选项 C', exact: true }).fill('1/8');
  await dialog.getByRole('textbox', { name: '选项 D', exact: true }).fill('1');
  await dialog.getByText('B. 3/4').click();
  await dialog.getByLabel('解析').fill('先通分：2/4 + 1/4 = 3/4。');
  await checkPage(page, 'question-form');
  await dialog.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dialog).toBeHidden();
  const row = page.locator('.ant-table-row', { hasText: `单选${mark}` });
  await expect(row).toContainText('单选题');
  await expect(row).toContainText('B');
  await toastsGone(page);
  await checkPage(page, 'questions');

  // Build the paper from the program page.
  await page.goto(`/programs/${program.id}`);
  await page.getByTestId('create-quiz').click();
  await expect(page).toHaveURL(new RegExp(`/quizzes/new\\?program=${program.id}$`));
  const title = `单元测验${mark}`;
  await page.getByLabel('测验名称').fill(title);
  await page.getByLabel('及格分').fill('3');
  await page.getByTestId('pick-questions').click();
  const picker = page.getByRole('dialog');
  await picker.getByLabel('关键字').fill(mark);
  await picker.getByRole('button', { name: /查\s*询/ }).click();
  await expect(picker.locator('.ant-table-row')).toHaveCount(2);
  await picker.locator('.ant-table-row', { hasText: `单选${mark}` }).locator('.ant-checkbox-input').check();
  await picker.locator('.ant-table-row', { hasText: `判断${mark}` }).locator('.ant-checkbox-input').check();
  await checkPage(page, 'quiz-picker');
  await picker.getByTestId('pick-confirm').click();
  await expect(picker).toBeHidden();
  const items = page.getByTestId('paper-items');
  await expect(items.locator('.ant-table-row')).toHaveCount(2);
  await page.getByLabel('第 2 题本卷分值').fill('3');
  await expect(page.getByText('共 2 题，总分 4')).toBeVisible();
  await checkPage(page, 'quiz-builder');
  // A new quiz is saved as a draft and opens on its own page, where it is published.
  await page.getByTestId('save-quiz').click();
  await expect(page).toHaveURL(/\/quizzes\/\d+$/);
  await expect(page.getByText('草稿', { exact: true })).toBeVisible();
  await expect(items.locator('.ant-table-row', { hasText: `单选${mark}` })).toBeVisible();
  await expect(page.getByLabel('第 2 题本卷分值')).toHaveValue('3.0');
  await page.getByTestId('publish-quiz').click();
  await confirmPopover(page);
  await expect(page).toHaveURL(/\/quizzes\/\d+$/);
  await expect(page.getByText('进行中')).toBeVisible();
  await expect(page.getByText('2 题 · 总分 4 · 及格 3')).toBeVisible();
  const quizId = Number(page.url().split('/').pop());
  const saved = await admin.get<{ status: string; items: { question_id: number; points?: number }[] }>(`/api/quizzes/${quizId}`);
  expect(saved.status).toBe('published');
  expect(saved.items.map((i) => i.question_id)).toContain(tf.id);
  expect(saved.items.find((i) => i.question_id === tf.id)?.points).toBe(3);
  await toastsGone(page);
  await checkPage(page, 'quiz-detail-manager');
});

test('a teacher takes a quiz, reloads in the middle and finds the same attempt with the answers, then hands in and sees the result', async ({ page, request }) => {
  const { admin, teacher, program } = await setting(request);
  const mark = uniq();
  const single = await newQuestion(admin, { kind: 'single', stem: `单选${mark}：圆的面积公式是？`, options: ['2πr', 'πr²', 'πd'], answer: { choice: 1 }, explanation: 'S = πr²' });
  const multiple = await newQuestion(admin, { kind: 'multiple', stem: `多选${mark}：下列是质数的有？`, options: ['2', '4', '7', '9'], answer: { choices: [0, 2] } });
  const tf = await newQuestion(admin, { kind: 'true_false', stem: `判断${mark}：0 是自然数。`, answer: { value: true } });
  const blank = await newQuestion(admin, { kind: 'blank', stem: `填空${mark}：圆周率约为 ___。`, answer: { blanks: ['3.14|π'] } });
  const title = `随堂测验${mark}`;
  await publishedQuiz(admin, program, title, [single, multiple, tf, blank].map((q) => ({ question_id: q.id })), 6);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.getByRole('link', { name: '测验', exact: true }).click();
  await expect(page).toHaveURL(/\/quizzes$/);
  await checkPage(page, 'quizzes-teacher');
  await page.getByRole('link', { name: title }).click();
  await page.getByTestId('start-attempt').click();
  await confirmPopover(page);
  await expect(page).toHaveURL(/\/attempts\/\d+$/);
  const url = page.url();
  await expect(page.getByTestId('countdown')).toContainText(/^剩余时间.*(29|30):\d\d/);

  const q1 = page.getByTestId('question-1');
  const q2 = page.getByTestId('question-2');
  const q4 = page.getByTestId('question-4');
  await q1.getByText('B. πr²').click();
  await q2.getByText('A. 2').click();
  await q2.getByText('C. 7').click();
  await q4.getByLabel('第 4 题答案 第 1 空').fill('3.14');
  for (const q of [q1, q2, q4]) await expect(q.getByTestId('save-state')).toContainText(/已保存 \d\d:\d\d:\d\d/);
  await checkPage(page, 'attempt-taking');

  // A reload resumes the same attempt with what was saved.
  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(q1.getByRole('radio', { name: 'B. πr²' })).toBeChecked();
  await expect(q2.getByRole('checkbox', { name: 'A. 2' })).toBeChecked();
  await expect(q2.getByRole('checkbox', { name: 'C. 7' })).toBeChecked();
  await expect(q2.getByRole('checkbox', { name: 'B. 4' })).not.toBeChecked();
  await expect(q4.getByLabel('第 4 题答案 第 1 空')).toHaveValue('3.14');
  await expect(q1.getByTestId('save-state')).toContainText('已保存');

  // The quiz page offers to resume the running attempt, not a new one.
  await page.goto('/quizzes');
  await page.getByRole('link', { name: title }).click();
  await page.getByTestId('resume-attempt').click();
  await expect(page).toHaveURL(url);

  await page.getByTestId('submit-attempt').click();
  await expect(page.getByRole('dialog')).toContainText('还有 1 题未作答');
  await page.getByRole('button', { name: /取\s*消/ }).click();
  await page.getByTestId('question-3').getByText('对', { exact: true }).click();
  await expect(page.getByTestId('question-3').getByTestId('save-state')).toContainText('已保存');
  await page.getByTestId('submit-attempt').click();
  await expect(page.getByRole('dialog')).toContainText('所有题目均已作答');
  await page.getByTestId('confirm-submit').click();

  const result = page.getByTestId('attempt-result');
  await expect(result).toContainText('通过 · 8 / 8 分');
  await expect(page.getByTestId('result-1')).toContainText('正确答案：B. πr²');
  await expect(page.getByTestId('result-1')).toContainText('S = πr²');
  await expect(page.getByTestId('result-4')).toContainText('(1) 3.14 / π');
  await toastsGone(page);
  await checkPage(page, 'attempt-result');

  await page.goto('/quizzes');
  await expect(page.locator('.ant-table-row', { hasText: title })).toContainText('最高 8 分 · 通过');
});

test('a tutor grades a short answer with a comment and the teacher then sees the final score and the comment', async ({ page, request }) => {
  const { admin, teacher, program, tutorName } = await setting(request);
  const mark = uniq();
  const single = await newQuestion(admin, { kind: 'single', stem: `单选${mark}：1 + 1 = ?`, options: ['1', '2'], answer: { choice: 1 } });
  const short = await newQuestion(admin, { kind: 'short', stem: `简答${mark}：如何在课堂上用几何画板讲圆的面积？`, answer: { text: '割补为近似长方形，观察极限。' }, points: 10 });
  const title = `简答测验${mark}`;
  const quiz = await publishedQuiz(admin, program, title, [{ question_id: single.id }, { question_id: short.id }], 6);

  // The teacher answers through the API and hands in: the short answer waits for the tutor.
  const me = await apiAs(request, teacher.username, STRONG_PASSWORD);
  const attempt = await me.post<{ id: number }>(`/api/quizzes/${quiz.id}/attempts`, {});
  await me.put(`/api/attempts/${attempt.id}/answers/${single.id}`, { response: { choice: 1 } });
  await me.put(`/api/attempts/${attempt.id}/answers/${short.id}`, { response: { text: '先把圆分成 16 份拼成近似长方形，再让学生拖动滑块增加份数。' } });
  const handed = await me.post<{ status: string }>(`/api/attempts/${attempt.id}/submit`, {});
  expect(handed.status).toBe('grading');

  await uiLogin(page, tutorName, STRONG_PASSWORD);
  await page.goto('/quizzes');
  await page.getByRole('link', { name: title }).click();
  const queue = page.getByTestId('attempts-table');
  const line = queue.locator('.ant-table-row', { hasText: teacher.name });
  await expect(line).toContainText('待阅卷');
  await checkPage(page, 'quiz-grading-queue');
  await line.getByTestId(`open-attempt-${attempt.id}`).click();
  await expect(page).toHaveURL(new RegExp(`/attempts/${attempt.id}$`));
  await expect(page.getByTestId('attempt-result')).toContainText('1 道简答题等待辅导教师评分');
  const form = page.getByTestId('grade-form-2');
  // The score cannot exceed the question's points; a comment is required.
  await form.getByLabel('得分（≤ 10）').fill('8');
  await form.getByTestId('grade-save-2').click();
  await expect(form).toContainText('请填写评语');
  await form.getByLabel('评语').fill('割补思路清楚，可再补充极限思想的提问设计。');
  await checkPage(page, 'attempt-grade');
  await form.getByTestId('grade-save-2').click();
  await expect(page.getByTestId('attempt-result')).toContainText('通过 · 10 / 12 分');
  await expect(page.getByTestId('score-2')).toContainText('8 / 10 分');
  await uiLogout(page);

  await uiLogin(page, teacher.username, STRONG_PASSWORD);
  await page.goto('/quizzes');
  await page.getByRole('link', { name: title }).click();
  await expect(page.getByTestId('my-standing')).toContainText('最高 10 分 · 通过');
  await page.getByTestId(`open-attempt-${attempt.id}`).click();
  await expect(page.getByTestId('attempt-result')).toContainText('通过 · 10 / 12 分');
  await expect(page.getByTestId('score-2')).toContainText('8 / 10 分');
  await expect(page.getByTestId('comment-2')).toContainText('割补思路清楚');
  await expect(page.getByTestId('result-2')).toContainText('参考答案：割补为近似长方形');
  await checkPage(page, 'attempt-graded-teacher');
});

test('an administrator imports questions (a bad line is reported by line and column, nothing written) and a random paper the bank cannot fill is refused at publish, naming the section', async ({ page, request }) => {
  const { program } = await setting(request);
  const mark = uniq();
  const tag = `导入${mark}`;
  const header = '题型,学科,标签,难度,题干,选项A,选项B,选项C,选项D,选项E,选项F,答案,解析,分值';
  const csv = (difficulty: number) =>
    Buffer.from(`${header}\n单选,数学,${tag},2,导入单选${mark}：2 + 3 = ?,4,5,6,,,,B,,2\n判断,数学,${tag},${difficulty},导入判断${mark}：1 是质数。,,,,,,,错,1 既不是质数也不是合数,2\n`);

  await uiLogin(page, 'admin', 'Admin-Passw0rd!');
  await page.goto('/questions');
  await page.getByTestId('import-questions').click();
  const dialog = page.getByRole('dialog');
  await dialog.locator('input[type=file]').setInputFiles({ name: 'questions.csv', mimeType: 'text/csv', buffer: csv(9) });
  await dialog.getByTestId('import-check').click();
  const errors = dialog.getByTestId('import-errors');
  await expect(errors.locator('.ant-table-row')).toHaveCount(1);
  await expect(errors.locator('.ant-table-row')).toContainText('3');
  await expect(errors.locator('.ant-table-row')).toContainText('难度');
  await checkPage(page, 'questions-import-errors');
  await dialog.getByRole('button', { name: '重新选择文件' }).click();
  await dialog.locator('input[type=file]').setInputFiles({ name: 'questions.csv', mimeType: 'text/csv', buffer: csv(1) });
  await dialog.getByTestId('import-check').click();
  await dialog.getByTestId('import-commit').click();
  await expect(dialog.getByTestId('import-done')).toContainText('新增 2 条');
  await dialog.getByRole('button', { name: '返回列表' }).click();
  await page.getByLabel('关键字').fill(mark);
  await page.getByRole('button', { name: /查\s*询/ }).click();
  await expect(page.getByTestId('questions-table').locator('.ant-table-row')).toHaveCount(2);

  await page.goto(`/quizzes/new?program=${program.id}`);
  await page.getByLabel('测验名称').fill(`随机测验${mark}`);
  await page.getByLabel('及格分').fill('4');
  await page.getByText('随机组卷', { exact: true }).click();
  await page.getByLabel('标签').fill(tag);
  await page.getByLabel('抽题数').fill('5');
  await page.getByTestId('save-quiz').click();
  await expect(page).toHaveURL(/\/quizzes\/\d+$/);
  await page.getByTestId('publish-quiz').click();
  await confirmPopover(page);
  await expect(page.getByTestId('paper-error')).toContainText('第 1 部分');
  await expect(page.getByTestId('paper-error')).toContainText('只有 2 道，需要 5 道');
  await toastsGone(page);
  await checkPage(page, 'quiz-publish-refused');
  await page.getByLabel('抽题数').fill('2');
  await page.getByTestId('publish-quiz').click();
  await confirmPopover(page);
  await expect(page.getByText('进行中')).toBeVisible();
  await expect(page.getByText('2 题 · 总分 4 · 及格 4')).toBeVisible();
});
