import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { makeAccess } from '../access';
import { homePath, menuFor } from '../routes';
import { AppRoutes } from '../App';
import { setTokens } from '../api/tokens';
import { adminMe, json, mockApi, renderWithProviders } from '../test/utils';

describe('access-filtered menu', () => {
  it('keeps only the pages whose permission the user holds', () => {
    const county = makeAccess(['region.read', 'school.read', 'teacher.read']);
    expect(menuFor(county).map((m) => m.path)).toEqual(['/regions', '/schools', '/teachers', '/programs', '/hours', '/coursework', '/quizzes', '/lesson-publicity', '/certificates', '/profile']);
    const teacher = makeAccess([]);
    expect(menuFor(teacher).map((m) => m.path)).toEqual(['/programs', '/hours', '/coursework', '/quizzes', '/lesson-publicity', '/certificates', '/profile']);
    expect(menuFor(makeAccess(['question.manage'])).map((m) => m.path)).toContain('/questions');
    expect(menuFor(teacher).map((m) => m.path)).not.toContain('/questions');
    expect(homePath(teacher)).toBe('/profile');
    // A tutor holds no permission of their own: the classes entry comes with the role.
    expect(menuFor(teacher, undefined, [{ role: 'tutor' }]).map((m) => m.path)).toContain('/classes');
    expect(menuFor(teacher).map((m) => m.path)).not.toContain('/classes');
    expect(homePath(makeAccess(['school.read']))).toBe('/schools');
    // 一师一优课: a teacher's lessons come with the role, the other pages with their permission
    expect(menuFor(teacher, undefined, [{ role: 'teacher' }]).map((m) => m.path)).toContain('/lessons');
    expect(menuFor(makeAccess(['lesson.check'])).map((m) => m.path)).toContain('/lesson-check');
    expect(menuFor(makeAccess(['lesson.round'])).map((m) => m.path)).toContain('/lesson-rounds');
    expect(menuFor(makeAccess(['lesson.review'])).map((m) => m.path)).toContain('/lesson-reviews');
    expect(menuFor(makeAccess(['lesson.activity']), undefined, [{ role: 'province_admin' }]).map((m) => m.path)).toContain('/lesson-activities');
    expect(menuFor(makeAccess(['lesson.activity']), undefined, [{ role: 'county_admin' }]).map((m) => m.path)).not.toContain('/lesson-activities');
    // 审计管理 sits in the 系统管理 group, for the audit administrator only, and is where they land.
    const auditor = makeAccess(['audit.verify']);
    expect(menuFor(auditor).find((m) => m.path === '/audit')?.group).toBe('menu.system');
    expect(homePath(auditor)).toBe('/audit');
    expect(menuFor(county).map((m) => m.path)).not.toContain('/audit');
  });

  it('gives the three system administrators their 系统管理 entries and no teacher data', () => {
    const security = menuFor(makeAccess(['security.manage']));
    expect(security.filter((m) => m.group === 'menu.system').map((m) => m.path)).toEqual(['/admin-accounts']);
    const system = menuFor(makeAccess(['job.manage', 'system.manage']));
    expect(system.filter((m) => m.group === 'menu.system').map((m) => m.path)).toEqual(['/jobs']);
    for (const access of [security, system, menuFor(makeAccess(['audit.verify']))]) {
      const paths = access.map((m) => m.path);
      expect(paths).not.toContain('/teachers');
      expect(paths).not.toContain('/accounts');
      expect(paths).not.toContain('/schools');
    }
    expect(homePath(makeAccess(['security.manage', 'region.read']))).toBe('/admin-accounts');
    expect(homePath(makeAccess(['job.manage', 'system.manage']))).toBe('/jobs');
    // A business administrator's account page is not the security administrator's.
    expect(menuFor(makeAccess(['account.read', 'account.write'])).map((m) => m.path)).not.toContain('/admin-accounts');
  });

  it('renders the shell with the filtered menu, the user name, role and scope', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    mockApi({
      'GET /api/me': () =>
        json({
          ...adminMe,
          display_name: '锦江区管理员',
          roles: [{ role: 'county_admin', scope_code: '510104', scope_name: '锦江区' }],
          permissions: ['school.read', 'teacher.read'],
        }),
    });
    renderWithProviders(
      <Routes>
        <Route path="*" element={<AppRoutes />} />
      </Routes>,
      { route: '/accounts' },
    );
    const menu = await screen.findByTestId('side-menu');
    expect(within(menu).getByText('学校管理')).toBeInTheDocument();
    expect(within(menu).getByText('教师管理')).toBeInTheDocument();
    expect(within(menu).queryByText('账号管理')).toBeNull();
    expect(within(menu).queryByText('行政区划')).toBeNull();
    expect(screen.getByText('锦江区管理员')).toBeInTheDocument();
    expect(screen.getByText(/区县管理员 · 锦江区/)).toBeInTheDocument();
    // a page outside the user's permissions is refused, not shown
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});
