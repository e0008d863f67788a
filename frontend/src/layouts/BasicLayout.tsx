import { Suspense, useMemo, useState, type ReactNode } from 'react';
import { Avatar, Button, Dropdown, Flex, Layout, Menu, Tag, Typography } from 'antd';
import { KeyOutlined, LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../auth/AuthContext';
import { menuFor, type MenuEntry } from '../routes';
import LangSwitch from '../components/LangSwitch';
import { Loading } from '../components/States';

const { Header, Sider, Content, Footer } = Layout;

type MenuItem = { key: string; icon?: ReactNode; label: ReactNode; children?: MenuItem[] };

/** Menu items: entries in order, those of a group gathered into one sub-menu where the group first appears. */
function menuItems(menu: MenuEntry[], t: (key: string) => string): MenuItem[] {
  const items: MenuItem[] = [];
  const groups = new Map<string, MenuItem>();
  for (const m of menu) {
    const item: MenuItem = { key: m.path, icon: m.icon, label: <Link to={m.path}>{t(m.name)}</Link> };
    if (!m.group) {
      items.push(item);
      continue;
    }
    let group = groups.get(m.group);
    if (!group) {
      group = { key: `group:${m.group}`, icon: <SettingOutlined />, label: t(m.group), children: [] };
      groups.set(m.group, group);
      items.push(group);
    }
    group.children?.push(item);
  }
  return items;
}

export default function BasicLayout() {
  const { t } = useTranslation();
  const { me, access, logout } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const [collapsed, setCollapsed] = useState(false);
  const menu = useMemo(() => menuFor(access, undefined, me?.roles), [access, me?.roles]);
  const selected = menu.filter((m) => location.pathname === m.path || location.pathname.startsWith(`${m.path}/`)).map((m) => m.path);
  const items = useMemo(() => menuItems(menu, t), [menu, t]);
  // The group of the page shown starts open, so its entry is visible.
  const openGroups = menu.filter((m) => m.group && selected.includes(m.path)).map((m) => `group:${m.group}`);
  const role = me?.roles[0];

  return (
    <Layout className="shell">
      <Sider collapsible collapsed={collapsed} trigger={null} width={216} theme="dark" className="shell-sider">
        <Link to="/" className="brand" aria-label={t('app.name')}>
          <span className="brand-mark" aria-hidden>
            研
          </span>
          {!collapsed && <span className="brand-name">{t('app.name')}</span>}
        </Link>
        <nav aria-label={t('menu.label')}>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected}
            defaultOpenKeys={openGroups}
            items={items}
            data-testid="side-menu"
          />
        </nav>
      </Sider>
      <Layout>
        <Header className="shell-header">
          <Button
            type="text"
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            aria-label={t(collapsed ? 'menu.expand' : 'menu.collapse')}
          />
          <Flex align="center" gap={8}>
            <LangSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'profile', icon: <UserOutlined />, label: t('menu.profile') },
                  { key: 'password', icon: <KeyOutlined />, label: t('menu.changePassword') },
                  { type: 'divider' },
                  { key: 'logout', icon: <LogoutOutlined />, label: t('auth.logout'), danger: true },
                ],
                onClick: async ({ key }) => {
                  if (key === 'profile') navigate('/profile');
                  if (key === 'password') navigate('/change-password');
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
        <Content className="shell-content">
          <main>
            <Suspense fallback={<Loading />}>
              <Outlet />
            </Suspense>
          </main>
        </Content>
        <Footer className="shell-footer">
          <Typography.Text type="secondary">{t('app.footer')}</Typography.Text>
        </Footer>
      </Layout>
    </Layout>
  );
}
