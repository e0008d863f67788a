import { useRef, useState } from 'react';
import { App, Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import { LockOutlined, PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { Account, Me } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ActiveTag from '../../components/ActiveTag';
import ActiveToggle from '../../components/ActiveToggle';
import { toListQuery, toTableResult } from '../../components/table';
import { errorText } from '../../components/errors';
import AccountForm from './AccountForm';
import { ROLES } from './roles';
import SetPasswordForm from './SetPasswordForm';

/**
 * Whether to offer the actions only a managing admin may take on this account (edit, set password,
 * deactivate): the server says so per account (`manageable`, never one's own) and checks again on the call.
 */
export function mayManage(me: Me | undefined, account: Account): boolean {
  return !!me && me.id !== account.id && account.manageable;
}

/** A security administrator removes the second factor of an account whose owner lost it (confirmed first). */
function ResetSecondFactor({ account }: { account: Account }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reset = async () => {
    try {
      await unwrap(api.POST('/api/accounts/{id}/second-factor/reset', { params: { path: { id: account.id } } }));
      message.success(t('accounts.resetSecondFactorDone'));
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  return (
    <Popconfirm title={t('accounts.resetSecondFactorConfirm')} onConfirm={reset}>
      <Typography.Link data-testid={`reset-second-factor-${account.id}`}>{t('accounts.resetSecondFactor')}</Typography.Link>
    </Popconfirm>
  );
}

export default function AccountsPage() {
  const { t } = useTranslation();
  const { access, me } = useAuth();
  const actionRef = useRef<ActionType>(undefined);
  const [editing, setEditing] = useState<Account | undefined>();
  const [formOpen, setFormOpen] = useState(false);
  const [passwordFor, setPasswordFor] = useState<Account | undefined>();
  // The security administrator manages administrators' accounts; business administrators those of their area.
  const security = access('security.manage');
  const canWrite = access('account.write') || security;
  const canSecure = security;

  const columns: ProColumns<Account>[] = [
    { title: t('common.keyword'), dataIndex: 'keyword', hideInTable: true, fieldProps: { placeholder: t('accounts.keywordHint') } },
    { title: t('accounts.username'), dataIndex: 'username', sorter: true, search: false, width: 160, render: (_, r) => <span className="mono">{r.username}</span> },
    { title: t('accounts.displayName'), dataIndex: 'display_name', sorter: true, search: false, width: 110 },
    { title: t('accounts.email'), dataIndex: 'email', search: false, ellipsis: true },
    {
      title: t('accounts.role'),
      dataIndex: 'role',
      valueType: 'select',
      valueEnum: Object.fromEntries(ROLES.map((r) => [r, { text: t(`roles.${r}`) }])),
      width: 220,
      render: (_, r) => (
        <Space size={4} wrap>
          {r.roles.map((b) => (
            <Tag key={`${b.role}-${b.scope_code}`} color="blue" bordered={false} style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
              {t(`roles.${b.role}`, { defaultValue: b.role })} · {b.scope_name}
            </Tag>
          ))}
        </Space>
      ),
    },
    {
      title: t('common.status'),
      dataIndex: 'active',
      valueType: 'select',
      valueEnum: { true: { text: t('common.active') }, false: { text: t('common.inactive') } },
      width: 110,
      render: (_, r) => (
        <Space size={4}>
          <ActiveTag active={r.active} />
          {r.locked_until && dayjs(r.locked_until).isAfter(dayjs()) && (
            <Tooltip title={t('accounts.lockedUntil', { time: dayjs(r.locked_until).format('YYYY-MM-DD HH:mm') })}>
              <Tag icon={<LockOutlined />} color="orange">
                {t('accounts.locked')}
              </Tag>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t('accounts.createdAt'),
      dataIndex: 'created_at',
      sorter: true,
      search: false,
      width: 140,
      render: (_, r) => dayjs(r.created_at).format('YYYY-MM-DD HH:mm'),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 250,
      render: (_, r) => (
        <Space size="middle">
          {canSecure && me?.id !== r.id && <ResetSecondFactor account={r} />}
          {canWrite && mayManage(me, r) && (
          <Space size="middle">
            <Button
              type="link"
              size="small"
              className="link-button"
              onClick={() => {
                setEditing(r);
                setFormOpen(true);
              }}
            >
              {t('common.edit')}
            </Button>
            <Typography.Link onClick={() => setPasswordFor(r)} data-testid={`set-password-${r.id}`}>
              {t('accounts.setPassword')}
            </Typography.Link>
            <ActiveToggle
              active={r.active}
              onToggle={(activate) =>
                unwrap(api.POST(activate ? '/api/accounts/{id}/activate' : '/api/accounts/{id}/deactivate', { params: { path: { id: r.id } } }))
              }
              onDone={() => actionRef.current?.reload()}
            />
          </Space>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t(security ? 'menu.adminAccounts' : 'menu.accounts')}
      subTitle={security ? t('accounts.adminsHint') : undefined}
      extra={
        canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(undefined);
              setFormOpen(true);
            }}
            data-testid="create-account"
          >
            {t('accounts.create')}
          </Button>
        )
      }
    >
      <ListTable<Account>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p, sort) => {
          const data = await unwrap(api.GET('/api/accounts', { params: { query: toListQuery(p, sort) } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('accounts.list')}
        locale={{ emptyText: t('accounts.empty') }}
        scroll={{ x: 1120 }}
      />
      <AccountForm
        open={formOpen}
        account={editing}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          actionRef.current?.reload();
        }}
      />
      <SetPasswordForm account={passwordFor} onClose={() => setPasswordFor(undefined)} />
    </Page>
  );
}
