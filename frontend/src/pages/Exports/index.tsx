import { useEffect, useRef, useState } from 'react';
import { App, Badge, Button, Popconfirm, Space, Switch, Table, Tabs, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import type { ExportStatus, ExportView, ReportSubscription } from '../../api/types';
import ListTable from '../../components/ListTable';
import Page from '../../components/Page';
import { ErrorState } from '../../components/States';
import { errorText } from '../../components/errors';
import { BADGE, EXPORT_STATUSES, fileSize, stillMaking } from './rules';

const time = (v?: string | null) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');

/** 我的导出: the files I asked for in the background, while they are made and until they expire. */
function MyExports() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [making, setMaking] = useState(false);

  // While a file is being made the list looks again every few seconds, so its progress shows without a reload.
  useEffect(() => {
    if (!making) return undefined;
    const timer = setInterval(() => void actionRef.current?.reload(), 3000);
    return () => clearInterval(timer);
  }, [making]);

  const download = async (r: ExportView) => {
    try {
      await downloadFile(`/api/exports/${r.id}/download`, {}, r.filename ?? `${r.kind}.${r.format}`);
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const remove = async (r: ExportView) => {
    try {
      await unwrap(api.DELETE('/api/exports/{id}', { params: { path: { id: r.id } } }));
      message.success(t('exports.removed'));
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const columns: ProColumns<ExportView>[] = [
    { title: t('exports.kind'), dataIndex: 'kind_label', search: false, ellipsis: true },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: Object.fromEntries(EXPORT_STATUSES.map((s) => [s, { text: t(`exports.statuses.${s}`) }])),
      width: 130,
      render: (_, r) => <Badge status={BADGE[r.status]} text={t(`exports.statuses.${r.status}`)} data-testid={`export-status-${r.id}`} />,
    },
    { title: t('exports.format'), dataIndex: 'format', search: false, width: 80, render: (_, r) => r.format.toUpperCase() },
    { title: t('exports.rows'), dataIndex: 'rows', search: false, width: 90, render: (_, r) => r.rows ?? '—' },
    { title: t('exports.size'), dataIndex: 'size_bytes', search: false, width: 100, render: (_, r) => fileSize(r.size_bytes) },
    { title: t('exports.asked'), dataIndex: 'created_at', search: false, width: 150, render: (_, r) => time(r.created_at) },
    { title: t('exports.expires'), dataIndex: 'expires_at', search: false, width: 150, render: (_, r) => time(r.expires_at) },
    {
      title: t('exports.error'),
      dataIndex: 'error',
      search: false,
      ellipsis: true,
      render: (_, r) => (r.error ? <Typography.Text type="danger">{r.error}</Typography.Text> : '—'),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 150,
      render: (_, r) => (
        <Space>
          {r.status === 'done' && (
            <Typography.Link onClick={() => void download(r)} data-testid={`export-download-${r.id}`}>
              <DownloadOutlined /> {t('exports.download')}
            </Typography.Link>
          )}
          <Popconfirm title={t('exports.confirmRemove')} okText={t('exports.remove')} cancelText={t('common.cancel')} onConfirm={() => remove(r)}>
            <Typography.Link type="danger" data-testid={`export-remove-${r.id}`}>
              {t('exports.remove')}
            </Typography.Link>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <ListTable<ExportView>
      rowKey="id"
      actionRef={actionRef}
      columns={columns}
      search={{ labelWidth: 'auto', defaultCollapsed: false }}
      request={async (p) => {
        const query: { page: number; page_size: number; status?: ExportStatus } = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
        if (EXPORT_STATUSES.includes(p.status as ExportStatus)) query.status = p.status as ExportStatus;
        const data = await unwrap(api.GET('/api/exports', { params: { query } }));
        setMaking(stillMaking(data.items));
        return { data: data.items, total: data.total, success: true };
      }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true }}
      options={{ density: false, setting: false, reload: true }}
      headerTitle={t('exports.mine')}
      locale={{ emptyText: <Typography.Text type="secondary">{t('exports.empty')}</Typography.Text> }}
      data-testid="my-exports"
    />
  );
}

/** 定期报表: my standing orders for a report, paused, resumed or ended here (they are made from a report's page). */
function Subscriptions() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useQuery({
    queryKey: ['report-subscriptions'],
    queryFn: () => unwrap(api.GET('/api/report-subscriptions')),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['report-subscriptions'] });
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      message.success(done);
      await refresh();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Table<ReportSubscription>
      rowKey="id"
      loading={list.isLoading}
      dataSource={list.data ?? []}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Typography.Text type="secondary">{t('exports.noSubscriptions')}</Typography.Text> }}
      data-testid="report-subscriptions"
      columns={[
        { title: t('exports.kind'), dataIndex: 'kind_label' },
        { title: t('exports.cadence'), dataIndex: 'cadence', render: (_, r) => t(`exports.cadences.${r.cadence}`) },
        { title: t('exports.format'), render: (_, r) => (r.order.format ?? 'xlsx').toUpperCase() },
        { title: t('exports.nextRun'), render: (_, r) => (r.active ? time(r.next_run_at) : t('exports.paused')) },
        { title: t('exports.lastRun'), render: (_, r) => time(r.last_run_at) },
        {
          title: t('exports.active'),
          render: (_, r) => (
            <Switch
              checked={r.active}
              aria-label={t('exports.active')}
              onChange={(active) =>
                void act(
                  () => unwrap(api.PATCH('/api/report-subscriptions/{id}', { params: { path: { id: r.id } }, body: { active } })),
                  active ? t('exports.resumed') : t('exports.pausedDone'),
                )
              }
            />
          ),
        },
        {
          title: t('common.actions'),
          render: (_, r) => (
            <Popconfirm
              title={t('exports.confirmUnsubscribe')}
              okText={t('exports.unsubscribe')}
              cancelText={t('common.cancel')}
              onConfirm={() => act(() => unwrap(api.DELETE('/api/report-subscriptions/{id}', { params: { path: { id: r.id } } })), t('exports.unsubscribed'))}
            >
              <Button type="link" danger data-testid={`unsubscribe-${r.id}`}>
                {t('exports.unsubscribe')}
              </Button>
            </Popconfirm>
          ),
        },
      ]}
    />
  );
}

/** 导出中心: my background exports and my scheduled reports. */
export default function ExportsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('menu.exports')}>
      <Tabs
        items={[
          { key: 'mine', label: t('exports.mine'), children: <MyExports /> },
          { key: 'subscriptions', label: t('exports.subscriptions'), children: <Subscriptions /> },
        ]}
      />
    </Page>
  );
}
