import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { makeAccess } from '../access';
import { homePath, MENU_GROUPS, menuFor } from '../routes';
import { AppRoutes } from '../App';
import { setTokens } from '../api/tokens';
import { adminMe, json, mockApi, renderWithProviders } from '../test/utils';

const COUNTY_ADMIN = [{ role: 'county_admin' }];
const SCHOOL_ADMIN = [{ role: 'school_admin' }];
const TEACHER = [{ role: 'teacher' }];
const REVIEWER = [{ role: 'reviewer' }];
const paths = (entries: { path: string }[]) => entries.map((m) => m.path);

describe('access-filtered menu', () => {
  it('keeps only the pages whose permission and role the user holds, the workbench first', () => {
    const county = makeAccess(['region.read', 'school.read', 'teacher.read', 'program.manage', 'competency.read', 'lesson.round']);
    expect(paths(menuFor(county, undefined, COUNTY_ADMIN))).toEqual([
      '/',
      '/announcements',
      '/profile',
      '/regions',
      '/schools',
      '/teachers',
      '/programs',
      '/hours',
      '/coursework',
      '/certificates',
      '/quizzes',
      '/competency/spot-checks',
      '/lesson-rounds',
      '/lesson-publicity',
      '/reports/annual',
      '/competency/report',
    ]);
    const member = makeAccess(['region.read']);
    // A teacher works with programs, hours, coursework, quizzes and their own evidence and lessons — never the region tree.
    const teacher = paths(menuFor(member, undefined, TEACHER));
    expect(teacher).toEqual(['/', '/announcements', '/profile', '/programs', '/my-record', '/hours', '/coursework', '/certificates', '/quizzes', '/competency/mine', '/lessons', '/lesson-publicity']);
    // A reviewer sees their review pages, not the region tree nor the training pages.
    const reviewer = paths(menuFor(makeAccess(['region.read', 'competency.review', 'competency.spot_check', 'lesson.review']), undefined, REVIEWER));
    expect(reviewer).toEqual(['/', '/announcements', '/profile', '/competency/review', '/competency/spot-checks', '/lesson-reviews', '/lesson-publicity']);
    expect(paths(menuFor(makeAccess(['question.manage']), undefined, SCHOOL_ADMIN))).toContain('/questions');
    expect(teacher).not.toContain('/questions');
    // A tutor holds no permission of their own: the classes entry comes with the role.
    expect(paths(menuFor(member, undefined, [{ role: 'tutor' }]))).toContain('/classes');
    expect(teacher).not.toContain('/classes');
    expect(paths(menuFor(makeAccess(['lesson.check']), undefined, SCHOOL_ADMIN))).toContain('/lesson-check');
    expect(paths(menuFor(makeAccess(['lesson.activity']), undefined, [{ role: 'province_admin' }]))).toContain('/lesson-activities');
    expect(paths(menuFor(makeAccess(['lesson.activity']), undefined, COUNTY_ADMIN))).not.toContain('/lesson-activities');
    // 审计管理 sits in the 系统管理 group, for the audit administrator only.
    const auditor = menuFor(makeAccess(['audit.verify']), undefined, [{ role: 'audit_admin' }]);
    expect(auditor.find((m) => m.path === '/audit')?.group).toBe('menu.system');
    expect(paths(menuFor(county, undefined, COUNTY_ADMIN))).not.toContain('/audit');
    // Every role lands on the workbench.
    expect(homePath()).toBe('/');
  });

  it('orders the groups 目录 / 培训 / 考核 / 能力点 / 优课 / 报表 / 系统', () => {
    const all = menuFor(() => true, undefined, [{ role: 'province_admin' }, { role: 'teacher' }, { role: 'tutor' }, { role: 'reviewer' }]);
    const groups = [...new Set(all.flatMap((m) => (m.group ? [m.group] : [])))];
    expect(groups).toEqual([...MENU_GROUPS]);
    // Entries without a group come before every group.
    const firstGrouped = all.findIndex((m) => m.group);
    expect(all.slice(firstGrouped).every((m) => m.group)).toBe(true);
  });

  it('gives the three system administrators their 系统管理 entries and no teacher data', () => {
    const security = menuFor(makeAccess(['security.manage', 'region.read']), undefined, [{ role: 'security_admin' }]);
    expect(security.filter((m) => m.group === 'menu.system').map((m) => m.path)).toEqual(['/admin-accounts']);
    const system = menuFor(makeAccess(['job.manage', 'system.manage']), undefined, [{ role: 'system_admin' }]);
    expect(system.filter((m) => m.group === 'menu.system').map((m) => m.path)).toEqual(['/jobs']);
    for (const entries of [security, system, menuFor(makeAccess(['audit.verify']), undefined, [{ role: 'audit_admin' }])]) {
      const p = paths(entries);
      expect(p).not.toContain('/teachers');
      expect(p).not.toContain('/accounts');
      expect(p).not.toContain('/schools');
      expect(p).not.toContain('/programs');
    }
    // A business administrator's account page is not the security administrator's.
    expect(paths(menuFor(makeAccess(['account.read', 'account.write']), undefined, SCHOOL_ADMIN))).not.toContain('/admin-accounts');
  });

  it('renders the shell with the filtered menu, the user name, role and scope', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r' });
    mockApi({
      'GET /api/me': () =>
        json({
          ...adminMe,
          display_name: '锦江区管理员',
          roles: [{ role: 'county_admin', scope_code: '510104', scope_name: '锦江区' }],
          permissions: ['school.read', 'teacher.read', 'program.manage'],
        }),
      'GET /api/workbench/todo-counts': () => json([{ kind: 'hour_approvals', count: 3, route: '/hours' }]),
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
    // grouped under their headings, with the 待办 count as a badge on the queue's page
    expect(within(menu).getByText('目录')).toBeInTheDocument();
    expect(within(menu).getByText('培训')).toBeInTheDocument();
    expect(await within(menu).findByRole('link', { name: '学时（3 项待办）' })).toHaveAttribute('href', '/hours');
    expect(screen.getByText('锦江区管理员')).toBeInTheDocument();
    expect(screen.getByText(/区县管理员 · 锦江区/)).toBeInTheDocument();
    // a page outside the user's permissions is refused, not shown
    expect(await screen.findByText('无权访问')).toBeInTheDocument();
  });
});
