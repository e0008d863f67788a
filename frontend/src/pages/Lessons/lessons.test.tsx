import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import i18n from '../../i18n';
import { setTokens } from '../../api/tokens';
import { json, mockApi, renderWithProviders } from '../../test/utils';
import { formatBytes, formatDuration, liveTotal, missingScores, type Lesson, type MediaCheck } from './api';
import { submitBlockers } from './Editor';
import { RequirementChecklist, requirementKeyOf } from './parts';
import ScorePage from '../LessonReviews/Score';

const t = i18n.t.bind(i18n) as never;

const check = (key: string, passed: boolean, advisory = false): MediaCheck => ({ key, passed, advisory, actual: 'a', required: 'r' });

function lesson(partial: Partial<Lesson>): Lesson {
  return { requirements: [], items: [], ...partial } as unknown as Lesson;
}

describe('lesson helpers', () => {
  it('formats sizes and durations', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(180 * 1024)).toBe('180.0 KB');
    expect(formatBytes(340 * 1024 * 1024)).toBe('340.0 MB');
    expect(formatDuration(1800)).toBe('30:00');
    expect(formatDuration(2712)).toBe('45:12');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('sums the score sheet live and names the criteria still unscored or out of range', () => {
    const criteria = [
      { key: 'goals', name: '教学目标', max_points: 10 },
      { key: 'method', name: '教学方法', max_points: 20 },
      { key: 'effect', name: '教学效果', max_points: 20 },
    ];
    expect(liveTotal({ goals: 9, method: 18.5, effect: null })).toBe(27.5);
    expect(missingScores(criteria, { goals: 9, method: 18.5, effect: null })).toEqual(['effect']);
    expect(missingScores(criteria, { goals: 11, method: 0, effect: 20 })).toEqual(['goals']);
    expect(missingScores(criteria, { goals: 10, method: 0, effect: 20 })).toEqual([]);
  });

  it('maps a probe check to the requirement key the server lists it under', () => {
    expect(requirementKeyOf(check('video_h264', true))).toBe('video_h264');
    expect(requirementKeyOf(check('duration', true))).toBe('video_duration');
  });

  it('blocks submitting on failed requirements and failed non-advisory checks, not on advisory ones', () => {
    const l = lesson({
      requirements: [
        { key: 'teacher_verified', passed: true, message: 'ok' },
        { key: 'item_exercise', passed: false, message: 'Upload the exercise item' },
        { key: 'video_duration', passed: false, message: '课堂实录：实际 600 s，要求 ≥ 1800 s' },
      ],
      items: [{ id: 1, kind: 'video', file: { id: 9, name: 'v.mp4', media: { container: 'mp4', passed: false, checks: [check('duration', false), check('bitrate', false, true), check('resolution', false)] } } }] as never,
    });
    expect(submitBlockers(l, t)).toEqual(['已上传评测练习', '课堂实录：时长不少于 30 分钟', '课堂实录检测: 分辨率不低于 720×576']);
    expect(submitBlockers(lesson({ requirements: [{ key: 'item_video', passed: true, message: '' }] }), t)).toEqual([]);
  });

  it('shows each requirement once, plus the advisory checks the server does not list', () => {
    renderWithProviders(
      <RequirementChecklist
        requirements={[
          { key: 'item_video', passed: true, message: '' },
          { key: 'video_h264', passed: true, message: '' },
        ]}
        checks={[check('video_h264', true), check('bitrate', false, true)]}
      />,
    );
    const list = screen.getByTestId('requirements');
    expect(within(list).getAllByRole('listitem')).toHaveLength(3);
    expect(screen.getByTestId('req-c-bitrate')).toHaveAttribute('data-passed', 'false');
    expect(within(screen.getByTestId('req-c-bitrate')).getByText('建议项')).toBeInTheDocument();
    expect(screen.queryByTestId('req-c-video_h264')).toBeNull();
  });
});

describe('the score sheet', () => {
  const review = {
    assignment_id: 7,
    round_id: 3,
    round_name: '锦江区县级评审',
    deadline: '2026-12-20T10:00:00Z',
    status: 'assigned',
    lesson: { title: '圆的面积', stage: '小学', subject: '数学', edition: '人教版', grade: '六年级', volume: '上册', chapter: '第五单元 圆', node: '圆的面积', lesson_no: 1 },
    items: [{ id: 11, kind: 'design', name: '教学设计.pdf', size: 2048, content_type: 'application/pdf' }],
    criteria: [
      { key: 'goals', name: '教学目标', max_points: 10 },
      { key: 'method', name: '教学方法', max_points: 20 },
    ],
    scores: [],
    total: null,
    comment: null,
  };

  it('totals live, keeps 提交 disabled until every criterion has a score, and sends the sheet on 保存草稿', { timeout: 60_000 }, async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    const calls = mockApi({
      'GET /api/me': () => json({ id: 5, username: 'rev', display_name: '评审', roles: [{ role: 'reviewer', scope_code: '510104', scope_name: '锦江区' }], permissions: ['lesson.review'] }),
      'GET /api/lesson-reviews/7': () => json(review),
      'PUT /api/lesson-reviews/7': async (req) => json({ ...review, status: 'draft', ...((await req.json()) as object) }),
    });
    renderWithProviders(
      <Routes>
        <Route path="/lesson-reviews/:id" element={<ScorePage />} />
      </Routes>,
      { route: '/lesson-reviews/7' },
    );
    // The round's name is in the trail and in the heading's line.
    expect((await screen.findAllByText('锦江区县级评审', { exact: false })).length).toBeGreaterThan(0);
    expect(screen.queryByText('教师')).toBeNull(); // blind: no identity given, none shown
    fireEvent.change(screen.getByLabelText('教学目标（0–10）'), { target: { value: '9' } });
    expect(await screen.findByTestId('submit-review')).toBeDisabled();
    fireEvent.change(screen.getByLabelText('教学方法（0–20）'), { target: { value: '18' } });
    expect(await within(screen.getByTestId('live-total')).findByText('27')).toBeInTheDocument();
    expect(screen.getByTestId('submit-review')).toBeEnabled();
    fireEvent.click(screen.getByTestId('save-draft'));
    await screen.findByText('草稿已保存');
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(await put.json()).toEqual({ scores: [{ key: 'goals', points: 9, comment: '' }, { key: 'method', points: 18, comment: '' }], comment: '', submit: false });
  });
});
