import { Suspense, useEffect, useMemo, useState } from 'react';
import { Avatar, Badge, Button, Drawer, Dropdown, Flex, Grid, Layout, Menu, Tag, Typography } from 'antd';
import { DesktopOutlined, KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { BACKGROUND } from '../api/http';
import { countsByRoute } from '../pages/Home/figures';
import { useAuth } from '../auth/AuthContext';
import { menuFor, type MenuEntry } from '../routes';
import LangSwitch from '../components/LangSwitch';
import { Loading } from '../components/States';
import { IdleWarning, RestrictionGuard, StepUpDialog } from '../components/SessionGuards';
import ErrorBoundary from '../components/ErrorBoundary';
import OfflineBanner from '../components/OfflineBanner';
import InboxBell from '../pages/Inbox/InboxBell';

const { Header, Sider, Content, Footer } = Layout;

export default function BasicLayout() {
  const { t } = useTranslation();
  const { me, access, logout } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  // Below 768 px the menu is a drawer behind a button: a fixed side menu would leave a phone ~170 px for the page.
  const phone = Grid.useBreakpoint().md === false;
  const [drawerOpen, setDrawerOpen] = useState(false);
  useEffect(() => setDrawerOpen(false), [location.pathname, phone]);
  const menu = useMemo(() => menuFor(access, undefined, me?.roles), [access, me?.roles]);
  const selected = menu.filter((m) => location.pathname === m.path || (m.path !== '/' && location.pathname.startsWith(`${m.path}/`))).map((m) => m.path);
  const role = me?.roles[0];
  // 待办 counts as badges on the pages that work each queue; refreshed every minute while the shell is open.
  const todos = useQuery({
    queryKey: ['workbench', 'todo-counts'],
    queryFn: () => unwrap(api.GET('/api/workbench/todo-counts', { headers: BACKGROUND })),
    refetchInterval: 60_000,
  });
  const badges = useMemo(() => countsByRoute(todos.data ?? []), [todos.data]);
  // Entries without a group first, then each group (目录, 培训 … 系统管理) under its heading.
  const items = useMemo(() => {
    const entry = (m: MenuEntry) => {
      const count = badges.get(m.path) ?? 0;
      const label = t(m.name);
      return {
        key: m.path,
        icon: m.icon,
        label: (
          <Link to={m.path} aria-label={count > 0 ? t('menu.withTodo', { name: label, count }) : undefined}>
            {label}
            {count > 0 && <Badge count={count} size="small" className="menu-badge" aria-hidden />}
          </Link>
        ),
      };
    };
    const groups = [...new Set(menu.flatMap((m) => (m.group ? [m.group] : [])))];
    return [
      ...menu.filter((m) => !m.group).map(entry),
      ...groups.map((g) => ({ type: 'group' as const, key: g, label: t(g), children: menu.filter((m) => m.group === g).map(entry) })),
    ];
  }, [menu, t, badges]);

  const nav = (
    <nav aria-label={t('menu.label')}>
      <Menu theme="dark" mode="inline" selectedKeys={selected} items={items} onClick={() => setDrawerOpen(false)} data-testid="side-menu" />
    </nav>
  );

  return (
    <Layout className="shell">
      <RestrictionGuard />
      <IdleWarning />
      <StepUpDialog />
      {phone ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          width={256}
          rootClassName="shell-drawer"
          title={<Brand collapsed={false} />}
        >
          {nav}
        </Drawer>
      ) : (
        <Sider collapsible collapsed={collapsed} trigger={null} width={216} theme="dark" className="shell-sider">
          <Brand collapsed={collapsed} />
          {nav}
        </Sider>
      )}
      <Layout>
        <Header className="shell-header">
          {phone ? (
            <Button
              type="text"
              icon={<MenuOutlined />}
              onClick={() => setDrawerOpen(true)}
              aria-label={t('menu.open')}
              aria-expanded={drawerOpen}
              data-testid="menu-button"
            />
          ) : (
            <Button
              type="text"
              icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => setCollapsed(!collapsed)}
              aria-label={t(collapsed ? 'menu.expand' : 'menu.collapse')}
            />
          )}
          <Flex align="center" gap={8}>
            <InboxBell />
            <LangSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'profile', icon: <UserOutlined />, label: t('menu.profile') },
                  { key: 'personal-data', icon: <SafetyOutlined />, label: t('menu.personalData') },
                  { key: 'password', icon: <KeyOutlined />, label: t('menu.changePassword') },
                  { key: 'security', icon: <SafetyOutlined />, label: t('menu.security') },
                  { key: 'sessions', icon: <DesktopOutlined />, label: t('menu.sessions') },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
                ],
                onClick: async ({ key }) => {
                  if (key === 'profile') navigate('/profile');
                  if (key === 'personal-data') navigate('/profile/personal-data');
                  if (key === 'password') navigate('/change-password');
                  if (key === 'security') navigate('/profile/security');
                  if (key === 'sessions') navigate('/profile/sessions');
                  if (key === 'logout') {
                    await logout();
                    navigate('/login', { replace: true });
                  }
                },
              }}
            >
              <Button type="text" className="user-button" data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} className="user-avatar" />
                <span className="user-name">{me?.display_name}</span>
                {role && (
                  <Tag color="blue" className="user-role" bordered={false}>
                    {t(`roles.${role.role}`, { defaultValue: role.role })} · {role.scope_name}
                  </Tag>
                )}
              </Button>
            </Dropdown>
          </Flex>
        </Header>
        <OfflineBanner />
        <Content className="shell-content">
          <main>
            <ErrorBoundary resetKey={location.pathname}>
              <Suspense fallback={<Loading />}>
                <Outlet />
              </Suspense>
            </ErrorBoundary>
          </main>
        </Content>
        <Footer className="shell-footer">
          <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
        </Footer>
      </Layout>
    </Layout>
  );
}

function Brand({ collapsed }: { collapsed: boolean }) {
  const { t } = useTranslation();
  return (
    <Link to="/" className="brand" aria-label={t('app.name')}>
      <span className="brand-mark" aria-hidden>
        研
      </span>
      {!collapsed && <span className="brand-name">{t('app.name')}</span>}
    </Link>
  );
}
