import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import {
  ApartmentOutlined,
  BankOutlined,
  TeamOutlined,
  UserOutlined,
  IdcardOutlined,
  ReadOutlined,
  FieldTimeOutlined,
  EditOutlined,
  SafetyCertificateOutlined,
  TrophyOutlined,
  DatabaseOutlined,
  FormOutlined,
  VideoCameraOutlined,
  AuditOutlined,
  CalendarOutlined,
  TeamOutlined as PanelOutlined,
  StarOutlined,
  NotificationOutlined,
  MailOutlined,
  SafetyOutlined,
  FileSearchOutlined,
  HomeOutlined,
  CloudDownloadOutlined,
  BarChartOutlined,
  ProfileOutlined,
} from '@ant-design/icons';
import type { Access, Permission } from './access';

export interface AppRoute {
  path: string;
  /** i18n key of the menu label and page title */
  name: string;
  /** permission needed; undefined = any signed-in user */
  access?: Permission;
  icon?: ReactNode;
  /** shown in the side menu */
  menu?: boolean;
  /** menu entry only for holders of these roles (pages bound to a role, e.g. a tutor's classes); with `access`
   * set as well, both must hold */
  roles?: readonly string[];
  /** i18n key of the menu group the entry sits in (one of MENU_GROUPS) */
  group?: MenuGroup;
  component: LazyExoticComponent<ComponentType>;
}

/** The menu's groups, in the order they appear: 目录 / 培训 / 考核 / 能力点 / 优课 / 报表 / 系统. */
export const MENU_GROUPS = ['menu.groups.directory', 'menu.groups.training', 'menu.groups.assessment', 'menu.groups.competency', 'menu.groups.lessons', 'menu.groups.reports', 'menu.system'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];
const [DIRECTORY, TRAINING, ASSESSMENT, COMPETENCY, LESSONS, REPORTS] = MENU_GROUPS;

/** The menu group of the three system administrators' pages (三员分立). */
export const SYSTEM_GROUP = 'menu.system';

/** Business administrators of the tree: the only ones who see the region tree and the directory pages. */
const ADMINS = ['province_admin', 'city_admin', 'county_admin', 'school_admin'] as const;
/** Who works with programs: administrators, teachers, tutors and the institutions that report results. */
const PROGRAM_ROLES = [...ADMINS, 'teacher', 'tutor', 'institution_admin'] as const;
/** Who works with hours and certificates: administrators and teachers. */
const HOURS_ROLES = [...ADMINS, 'teacher'] as const;
/** Who works with coursework and quizzes: administrators, teachers and tutors. */
const CLASS_ROLES = [...ADMINS, 'teacher', 'tutor'] as const;

// One lazy chunk per page folder keeps the first download small.
export const appRoutes: AppRoute[] = [
  { path: '/', name: 'menu.home', icon: <HomeOutlined />, menu: true, component: lazy(() => import('./pages/Home')) },
  { path: '/regions', name: 'menu.regions', access: 'region.read', icon: <ApartmentOutlined />, menu: true, group: DIRECTORY, roles: [...ADMINS, 'security_admin'], component: lazy(() => import('./pages/Regions')) },
  { path: '/schools', name: 'menu.schools', access: 'school.read', icon: <BankOutlined />, menu: true, group: DIRECTORY, component: lazy(() => import('./pages/Schools')) },
  { path: '/schools/:id', name: 'menu.schoolDetail', access: 'school.read', component: lazy(() => import('./pages/SchoolDetail')) },
  { path: '/teachers', name: 'menu.teachers', access: 'teacher.read', icon: <TeamOutlined />, menu: true, group: DIRECTORY, component: lazy(() => import('./pages/Teachers')) },
  { path: '/teachers/:id', name: 'menu.teacherDetail', access: 'teacher.read', component: lazy(() => import('./pages/TeacherDetail')) },
  { path: '/accounts', name: 'menu.accounts', access: 'account.read', icon: <IdcardOutlined />, menu: true, group: DIRECTORY, component: lazy(() => import('./pages/Accounts')) },
  { path: '/import/:kind', name: 'menu.import', access: 'import.run', component: lazy(() => import('./pages/Import')) },
  { path: '/programs', name: 'menu.programs', icon: <ReadOutlined />, menu: true, group: TRAINING, roles: PROGRAM_ROLES, component: lazy(() => import('./pages/Programs')) },
  { path: '/programs/:id', name: 'menu.programDetail', component: lazy(() => import('./pages/ProgramDetail')) },
  { path: '/programs/:id/report', name: 'menu.programReport', access: 'program.manage', component: lazy(() => import('./pages/ProgramReport')) },
  { path: '/reports/annual', name: 'menu.annualReport', access: 'program.manage', icon: <BarChartOutlined />, menu: true, group: REPORTS, component: lazy(() => import('./pages/AnnualReport')) },
  { path: '/teachers/:id/record', name: 'menu.teacherRecord', access: 'teacher.read', component: lazy(() => import('./pages/TeacherRecord')) },
  { path: '/my-record', name: 'menu.myRecord', menu: true, roles: ['teacher'], icon: <ProfileOutlined />, group: TRAINING, component: lazy(() => import('./pages/TeacherRecord')) },
  { path: '/programs/:id/results', name: 'menu.programResults', access: 'result.submit', component: lazy(() => import('./pages/ProgramResults')) },
  { path: '/hours', name: 'menu.hours', icon: <FieldTimeOutlined />, menu: true, group: TRAINING, roles: HOURS_ROLES, component: lazy(() => import('./pages/Hours')) },
  { path: '/coursework', name: 'menu.coursework', icon: <EditOutlined />, menu: true, group: TRAINING, roles: CLASS_ROLES, component: lazy(() => import('./pages/Coursework')) },
  { path: '/quizzes', name: 'menu.quizzes', icon: <FormOutlined />, menu: true, group: ASSESSMENT, roles: CLASS_ROLES, component: lazy(() => import('./pages/Quizzes')) },
  { path: '/quizzes/new', name: 'quizzes.create', access: 'program.manage', component: lazy(() => import('./pages/Quizzes/New')) },
  { path: '/quizzes/:id', name: 'menu.quizDetail', component: lazy(() => import('./pages/Quizzes/Detail')) },
  { path: '/attempts/:id', name: 'menu.attempt', component: lazy(() => import('./pages/Attempt')) },
  { path: '/questions', name: 'menu.questions', access: 'question.manage', icon: <DatabaseOutlined />, menu: true, group: ASSESSMENT, component: lazy(() => import('./pages/Questions')) },
  { path: '/classes', name: 'classes.menu', menu: true, roles: ['tutor'], icon: <ReadOutlined />, group: TRAINING, component: lazy(() => import('./pages/Classes')) },
  { path: '/classes/:id', name: 'classes.detail', component: lazy(() => import('./pages/Classes/Detail')) },
  { path: '/competency/catalog', name: 'competency.menu.catalog', menu: true, roles: ['province_admin'], icon: <TrophyOutlined />, group: COMPETENCY, component: lazy(() => import('./pages/Competency/Catalogue')) },
  { path: '/competency/plan', name: 'competency.menu.plan', access: 'competency.plan', menu: true, icon: <TrophyOutlined />, group: COMPETENCY, component: lazy(() => import('./pages/Competency/Plan')) },
  { path: '/competency/mine', name: 'competency.menu.mine', menu: true, roles: ['teacher'], icon: <TrophyOutlined />, group: COMPETENCY, component: lazy(() => import('./pages/Competency/MyEvidence')) },
  { path: '/competency/review', name: 'competency.menu.review', menu: true, roles: ['reviewer'], icon: <TrophyOutlined />, group: COMPETENCY, component: lazy(() => import('./pages/Competency/Review')) },
  { path: '/competency/spot-checks', name: 'competency.menu.spotCheck', menu: true, roles: ['county_admin', 'reviewer'], icon: <TrophyOutlined />, group: COMPETENCY, component: lazy(() => import('./pages/Competency/SpotCheck')) },
  { path: '/competency/report', name: 'competency.menu.report', access: 'competency.read', menu: true, icon: <TrophyOutlined />, group: REPORTS, component: lazy(() => import('./pages/Competency/Report')) },
  { path: '/lessons', name: 'lessons.menu.mine', menu: true, roles: ['teacher'], icon: <VideoCameraOutlined />, group: LESSONS, component: lazy(() => import('./pages/Lessons')) },
  { path: '/lessons/:id', name: 'lessons.menu.editor', component: lazy(() => import('./pages/Lessons/Editor')) },
  { path: '/lesson-check', name: 'lessons.menu.check', access: 'lesson.check', menu: true, icon: <AuditOutlined />, group: LESSONS, component: lazy(() => import('./pages/LessonCheck')) },
  { path: '/lesson-activities', name: 'lessons.menu.activities', access: 'lesson.activity', menu: true, roles: ['province_admin'], icon: <CalendarOutlined />, group: LESSONS, component: lazy(() => import('./pages/LessonActivities')) },
  { path: '/lesson-rounds', name: 'lessons.menu.rounds', access: 'lesson.round', menu: true, icon: <PanelOutlined />, group: LESSONS, component: lazy(() => import('./pages/LessonRounds')) },
  { path: '/lesson-rounds/:id', name: 'lessons.menu.roundDetail', access: 'lesson.round', component: lazy(() => import('./pages/LessonRounds/Detail')) },
  { path: '/lesson-reviews', name: 'lessons.menu.reviews', access: 'lesson.review', menu: true, icon: <StarOutlined />, group: LESSONS, component: lazy(() => import('./pages/LessonReviews')) },
  { path: '/lesson-reviews/:id', name: 'lessons.menu.score', access: 'lesson.review', component: lazy(() => import('./pages/LessonReviews/Score')) },
  { path: '/lesson-publicity', name: 'lessons.menu.publicity', menu: true, icon: <NotificationOutlined />, group: LESSONS, component: lazy(() => import('./pages/LessonPublicity')) },
  { path: '/exports', name: 'menu.exports', access: 'export.run', menu: true, icon: <CloudDownloadOutlined />, group: REPORTS, component: lazy(() => import('./pages/Exports')) },
  { path: '/jobs', name: 'menu.jobs', access: 'job.manage', menu: true, group: SYSTEM_GROUP, icon: <MailOutlined />, component: lazy(() => import('./pages/Jobs')) },
  { path: '/admin-accounts', name: 'menu.adminAccounts', access: 'security.manage', menu: true, group: SYSTEM_GROUP, icon: <SafetyOutlined />, component: lazy(() => import('./pages/Accounts')) },
  { path: '/audit', name: 'menu.audit', access: 'audit.verify', menu: true, group: SYSTEM_GROUP, icon: <FileSearchOutlined />, component: lazy(() => import('./pages/AuditLog')) },
  { path: '/certificates', name: 'menu.certificates', icon: <SafetyCertificateOutlined />, menu: true, group: TRAINING, roles: HOURS_ROLES, component: lazy(() => import('./pages/Certificates')) },
  { path: '/announcements', name: 'menu.announcements', icon: <NotificationOutlined />, menu: true, component: lazy(() => import('./pages/Announcements')) },
  { path: '/inbox', name: 'menu.inbox', component: lazy(() => import('./pages/Inbox')) },
  { path: '/profile', name: 'menu.profile', icon: <UserOutlined />, menu: true, component: lazy(() => import('./pages/Profile')) },
  { path: '/profile/personal-data', name: 'menu.personalData', component: lazy(() => import('./pages/PersonalData')) },
  { path: '/change-password', name: 'menu.changePassword', component: lazy(() => import('./pages/ChangePassword')) },
  { path: '/profile/security', name: 'menu.security', component: lazy(() => import('./pages/Security')) },
  { path: '/profile/sessions', name: 'menu.sessions', component: lazy(() => import('./pages/Sessions')) },
];

export interface MenuEntry {
  path: string;
  name: string;
  icon?: ReactNode;
  group?: MenuGroup;
}

/** The side menu: routes flagged `menu` whose access key the user holds and, for role-bound pages, whose role
 * they hold; ungrouped entries (工作台, 个人中心) first, then each group in MENU_GROUPS order. */
export function menuFor(access: Access, routes: AppRoute[] = appRoutes, roles: readonly { role: string }[] = []): MenuEntry[] {
  const entries = routes
    .filter((r) => r.menu && access(r.access) && (!r.roles || roles.some((g) => r.roles?.includes(g.role))))
    .map(({ path, name, icon, group }) => ({ path, name, icon, ...(group ? { group } : {}) }));
  const rank = (e: MenuEntry) => (e.group ? MENU_GROUPS.indexOf(e.group) + 1 : 0);
  // A stable sort keeps the route table's order inside each group.
  return entries.sort((a, b) => rank(a) - rank(b));
}

/** Where to land after login: the workbench (工作台), for every role. */
export function homePath(): string {
  return '/';
}
