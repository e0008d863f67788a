import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { setTokens } from '../../api/tokens';
import { json, mockApi, problem, renderWithProviders } from '../../test/utils';
import RoundDetail from './Detail';
import { myRoundLevel } from './index';

const round = {
  id: 4,
  activity_id: 1,
  level: 'county',
  region_code: '510104',
  region_name: '锦江区',
  name: '锦江区县级评审',
  rubric: { id: 1, name: '武汉市一师一优课评价标准', criteria: [], total: 100 },
  reviewers_per_lesson: 3,
  blind: true,
  same_county_conflict: true,
  aggregation: 'mean',
  spread_threshold: 15,
  quota: { kind: 'percent', value: 30 },
  deadline: '2026-12-20T10:00:00Z',
  reminder_days: [3, 1],
  publicity_days: 7,
  status: 'draft',
  entries: 1,
  assigned: 0,
  submitted_reviews: 0,
  flagged: 0,
};
const entry = {
  id: 9,
  round_id: 4,
  lesson_id: 30,
  title: '圆的面积',
  teacher_name: '张明',
  school_name: 'E2E锦江实验小学',
  county_name: '锦江区',
  stage: '小学',
  subject: '数学',
  edition: '人教版',
  grade: '六年级',
  node: '圆的面积',
  reviewers: [],
  flagged: false,
  recommended: false,
  excluded: false,
  objections: 0,
};

describe('a review round', () => {
  it('is run by the admin of its level', () => {
    expect(myRoundLevel([{ role: 'county_admin' }])).toBe('county');
    expect(myRoundLevel([{ role: 'teacher' }, { role: 'city_admin' }])).toBe('city');
    expect(myRoundLevel([{ role: 'school_admin' }])).toBeUndefined();
  });

  it('lists every lesson the pool cannot cover when auto-assign is refused (pool_insufficient)', { timeout: 60_000 }, async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    mockApi({
      'GET /api/me': () => json({ id: 3, username: 'county', display_name: '锦江区管理员', roles: [{ role: 'county_admin', scope_code: '510104', scope_name: '锦江区' }], permissions: ['lesson.round'] }),
      'GET /api/lesson-rounds/4': () => json(round),
      'GET /api/lesson-rounds/4/entries': () => json({ items: [entry], total: 1, page: 1, page_size: 20 }),
      'POST /api/lesson-rounds/4/assign': () =>
        problem(422, 'pool_insufficient', {
          detail: 'The reviewer pool cannot cover every lesson; nothing was assigned',
          errors: [{ field: 'entries[9]', message: '《圆的面积》还需 3 位评审，评审库中可回避合规的只有 1 位' }],
        }),
    });
    renderWithProviders(
      <Routes>
        <Route path="/lesson-rounds/:id" element={<RoundDetail />} />
      </Routes>,
      { route: '/lesson-rounds/4' },
    );
    expect(await screen.findByTestId('round-status')).toHaveTextContent('筹备中');
    expect(await screen.findByText('张明 · E2E锦江实验小学 · 锦江区')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('auto-assign'));
    const list = await screen.findByTestId('pool-errors');
    expect(within(list).getByText('《圆的面积》还需 3 位评审，评审库中可回避合规的只有 1 位')).toBeInTheDocument();
    expect(screen.getByText('专家库人数不足，以下课例无法分配足够的专家：')).toBeInTheDocument();
    // a draft round offers the draft's steps only
    expect(screen.getByTestId('start-round')).toBeInTheDocument();
    expect(screen.queryByTestId('publish-round')).toBeNull();
  });
});
