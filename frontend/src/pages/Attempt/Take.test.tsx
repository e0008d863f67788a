import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Attempt } from '../../api/types';
import { json, mockApi, problem, renderWithProviders } from '../../test/utils';
import Take from './Take';

/** An attempt whose server clock runs 10 minutes behind the browser's. */
function attempt(secondsLeft: number): { a: Attempt; receivedAt: number } {
  const receivedAt = Date.now();
  const server = receivedAt - 600_000;
  const a = {
    id: 11,
    quiz_id: 3,
    quiz_title: '单元测验',
    teacher_id: 5,
    teacher_name: '张老师',
    attempt_no: 1,
    status: 'in_progress',
    started_at: new Date(server - 60_000).toISOString(),
    deadline_at: new Date(server + secondsLeft * 1000).toISOString(),
    server_now: new Date(server).toISOString(),
    closed_by_timeout: false,
    total_points: 4,
    pass_score: 2,
    pending_grading: 0,
    questions: [
      { question_id: 21, position: 1, kind: 'single', stem: '圆的面积公式？', options: [{ key: 1, text: 'πr²' }, { key: 0, text: '2πr' }], blanks: 0, points: 2 },
      { question_id: 22, position: 2, kind: 'true_false', stem: '0 是自然数。', options: [], blanks: 0, points: 2 },
    ],
  } as Attempt;
  return { a, receivedAt };
}

describe('taking a quiz', () => {
  it('counts down by the server clock, not the browser’s', async () => {
    mockApi({});
    const { a, receivedAt } = attempt(90);
    renderWithProviders(<Take attempt={a} receivedAt={receivedAt} onClosed={() => undefined} />);
    // The browser is 10 minutes ahead; trusting it would show 00:00 and close at once.
    expect(await screen.findByText(/^01:(29|30)$/)).toBeInTheDocument();
  });

  it('saves a choice at once with its option key and shows when it was saved', async () => {
    const calls = mockApi({
      'PUT /api/attempts/11/answers/21': () => json({ question_id: 21, saved_at: '2026-11-29T02:03:04Z', deadline_at: new Date(Date.now() + 60_000).toISOString(), server_now: new Date().toISOString() }),
    });
    const { a, receivedAt } = attempt(600);
    renderWithProviders(<Take attempt={a} receivedAt={receivedAt} onClosed={() => undefined} />);
    fireEvent.click(await screen.findByText('A. πr²'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(await calls.find((c) => c.method === 'PUT')!.json()).toEqual({ response: { choice: 1 } });
    const card = screen.getByTestId('question-1');
    // 02:03:04Z shown in the browser's zone (the test runs in any).
    await waitFor(() => expect(within(card).getByTestId('save-state').textContent).toMatch(/已保存 \d\d:03:04/));
  });

  it('reloads the attempt when its time is up, and when the server says it is closed', async () => {
    mockApi({ 'PUT /api/attempts/11/answers/22': () => problem(409, 'conflict') });
    const closed = vi.fn();
    const { a, receivedAt } = attempt(1);
    renderWithProviders(<Take attempt={a} receivedAt={receivedAt} onClosed={closed} />);
    await waitFor(() => expect(closed).toHaveBeenCalledTimes(1), { timeout: 4000 });

    const closed2 = vi.fn();
    const later = attempt(600);
    renderWithProviders(<Take attempt={later.a} receivedAt={later.receivedAt} onClosed={closed2} />);
    fireEvent.click(screen.getAllByText('对')[1]);
    await waitFor(() => expect(closed2).toHaveBeenCalledTimes(1));
  });

  it('asks before handing in, with the number of unanswered questions', async () => {
    const calls = mockApi({
      'POST /api/attempts/11/submit': () => json({ ...attempt(0).a, status: 'graded', score: 0, passed: false }),
    });
    const closed = vi.fn();
    const { a, receivedAt } = attempt(600);
    renderWithProviders(<Take attempt={{ ...a, questions: [{ ...a.questions[0], response: { choice: 0 } }, a.questions[1]] }} receivedAt={receivedAt} onClosed={closed} />);
    fireEvent.click(await screen.findByTestId('submit-attempt'));
    expect(await screen.findByText('还有 1 题未作答，交卷后不能再修改。')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('confirm-submit'));
    await waitFor(() => expect(closed).toHaveBeenCalledWith(expect.objectContaining({ status: 'graded' })));
    expect(calls.filter((c) => c.method === 'POST').length).toBe(1);
  });
});
