import { useRef, useState } from 'react';
import { App, Badge, Button, Popconfirm, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { JobKind, JobStatus, JobView } from '../../api/types';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { retriable, retriableIds } from './rules';
import { toTableResult } from '../../components/table';

const STATUSES: JobStatus[] = ['pending', 'running', 'done', 'failed', 'expired'];
const KINDS: JobKind[] = ['mail', 'lesson_reminder', 'export'];

const BADGE: Record<JobStatus, 'processing' | 'default' | 'success' | 'error' | 'warning'> = {
  pending: 'warning',
  running: 'processing',
  done: 'success',
  failed: 'error',
  expired: 'default',
};

/** 后台任务: the platform's durable jobs (mail, reminders) for the system administrator — failures with their last error, and a retry. */
export default function JobsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [selected, setSelected] = useState<JobView[]>([]);
  const [busy, setBusy] = useState(false);

  const retry = async (ids: number[]) => {
    setBusy(true);
    try {
      const r = await unwrap(api.POST('/api/jobs/retry', { body: { ids } }));
      message.success(t('jobs.retried', { count: r.retried.length }));
      setSelected([]);
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const columns: ProColumns<JobView>[] = [
    { title: t('jobs.id'), dataIndex: 'id', search: false, width: 80 },
    {
      title: t('jobs.kind'),
      dataIndex: 'kind',
      valueType: 'select',
      valueEnum: Object.fromEntries(KINDS.map((k) => [k, { text: t(`jobs.kinds.${k}`) }])),
      width: 120,
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`jobs.statuses.${s}`) }])),
      width: 130,
      render: (_, r) => <Badge status={BADGE[r.status]} text={t(`jobs.statuses.${r.status}`)} />,
    },
    { title: t('jobs.recipient'), dataIndex: 'recipient', search: false, ellipsis: true, render: (_, r) => r.recipient ?? '—' },
    { title: t('jobs.subject'), dataIndex: 'subject', search: false, ellipsis: true, render: (_, r) => r.subject ?? '—' },
    { title: t('jobs.attempts'), dataIndex: 'attempts', search: false, width: 90 },
    { title: t('jobs.runAt'), dataIndex: 'run_at', search: false, width: 150, render: (_, r) => (r.status === 'pending' ? dayjs(r.run_at).format('YYYY-MM-DD HH:mm:ss') : '—') },
    {
      title: t('jobs.lastError'),
      dataIndex: 'last_error',
      search: false,
      ellipsis: true,
      render: (_, r) => (r.last_error ? <Typography.Text type="secondary">{r.last_error}</Typography.Text> : '—'),
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 100,
      render: (_, r) =>
        retriable(r) ? (
          <Popconfirm title={t('jobs.confirmOne')} okText={t('jobs.retry')} cancelText={t('common.cancel')} onConfirm={() => retry([r.id])}>
            <Typography.Link data-testid={`retry-${r.id}`}>{t('jobs.retry')}</Typography.Link>
          </Popconfirm>
        ) : null,
    },
  ];

  const ids = retriableIds(selected);
  return (
    <Page title={t('menu.jobs')}>
      <ListTable<JobView>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        form={{ initialValues: { status: 'failed' } }}
        rowSelection={{
          selectedRowKeys: selected.map((j) => j.id),
          // Only failed or waiting jobs can be retried, so only they can be picked.
          getCheckboxProps: (r) => ({ disabled: !retriable(r), 'aria-label': t('jobs.pickRow', { id: r.id }) }),
          onChange: (_, rows) => setSelected(rows),
        }}
        toolBarRender={() => [
          <Popconfirm key="retry" title={t('jobs.confirmMany', { count: ids.length })} okText={t('jobs.retry')} cancelText={t('common.cancel')} onConfirm={() => retry(ids)} disabled={ids.length === 0}>
            <Button type="primary" disabled={ids.length === 0} loading={busy} data-testid="retry-selected">
              {t('jobs.retrySelected', { count: ids.length })}
            </Button>
          </Popconfirm>,
        ]}
        request={async (p) => {
          const query: { page: number; page_size: number; status?: JobStatus; kind?: JobKind } = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
          if (STATUSES.includes(p.status as JobStatus)) query.status = p.status as JobStatus;
          if (KINDS.includes(p.kind as JobKind)) query.kind = p.kind as JobKind;
          const data = await unwrap(api.GET('/api/jobs', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('jobs.title')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('jobs.empty')}</Typography.Text> }}
        data-testid="jobs"
      />
    </Page>
  );
}
