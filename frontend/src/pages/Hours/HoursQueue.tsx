import { useRef, useState } from 'react';
import { App, Button, Popconfirm, Space, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { HourEntry } from '../../api/types';
import ReasonModal from '../../components/ReasonModal';
import { useAuth } from '../../auth/AuthContext';
import ScopePicker from '../../components/ScopePicker';
import BulkResult, { BULK_LIMIT, checkboxLabel, type BulkOutcome } from '../../components/BulkResult';
import { errorText } from '../../components/errors';
import TeacherPicker from '../../components/TeacherPicker';
import { EntryStatus, EvidenceLinks, TeacherName } from './parts';
import { CATEGORIES, ENTRY_STATUSES, SOURCES, toHoursQuery } from './rules';
import { toTableResult } from '../../components/table';

type Pending = { kind: 'reject' | 'void'; entry: HourEntry } | { kind: 'bulkReject'; entries: HourEntry[] };

/**
 * The ledger of the administrator's area, opening on the 补录 that wait for a decision: approve, reject with a
 * reason, or void an approved row (a voiding row is appended; the ledger is never edited).
 */
export default function HoursQueue() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [pending, setPending] = useState<Pending | undefined>();
  const [busyId, setBusyId] = useState<number | null>(null);
  const { me } = useAuth();
  const [selected, setSelected] = useState<HourEntry[]>([]);
  const [outcome, setOutcome] = useState<BulkOutcome | undefined>();
  const names = new Map(selected.map((e) => [e.id, `${e.teacher_name} · ${e.hours}`]));

  /** One request for all chosen entries; each is decided (or refused) on its own, and the summary says which. */
  const decideMany = async (decision: 'approve' | 'reject', reason?: string) => {
    const result = await unwrap(api.POST('/api/hours/decisions', { body: { entry_ids: selected.map((e) => e.id), decision, reason } }));
    setOutcome(result);
    actionRef.current?.reload();
  };

  const bulkBar = (
    <Space wrap size="small">
      <Typography.Text>{t('bulk.selected', { count: selected.length })}</Typography.Text>
      {selected.length > BULK_LIMIT && <Typography.Text type="danger">{t('bulk.limit', { limit: BULK_LIMIT })}</Typography.Text>}
      <Popconfirm
        title={t('bulk.confirmApprove', { count: selected.length })}
        okText={t('common.ok')}
        cancelText={t('common.cancel')}
        onConfirm={() => decideMany('approve').catch((e: unknown) => message.error(errorText(t, e)))}
      >
        <Button size="small" type="primary" disabled={selected.length > BULK_LIMIT} data-testid="bulk-approve-hours">
          {t('bulk.approve')}
        </Button>
      </Popconfirm>
      <Button size="small" danger disabled={selected.length > BULK_LIMIT} onClick={() => setPending({ kind: 'bulkReject', entries: selected })} data-testid="bulk-reject-hours">
        {t('bulk.reject')}
      </Button>
      <Button size="small" type="link" onClick={() => setSelected([])}>
        {t('bulk.clear')}
      </Button>
    </Space>
  );

  const approve = async (e: HourEntry) => {
    setBusyId(e.id);
    try {
      await unwrap(api.POST('/api/hours/{id}/decision', { params: { path: { id: e.id } }, body: { decision: 'approve' } }));
      message.success(t('hours.approved'));
      actionRef.current?.reload();
    } catch (err) {
      message.error(errorText(t, err));
    } finally {
      setBusyId(null);
    }
  };

  const columns: ProColumns<HourEntry>[] = [
    {
      title: t('hours.area'),
      dataIndex: 'node',
      hideInTable: true,
      // Only a region administrator has an area below them to narrow down to.
      hideInSearch: !me?.roles.some((r) => ['province_admin', 'city_admin', 'county_admin'].includes(r.role)),
      renderFormItem: () => <ScopePicker kind="region" allowClear placeholder={t('hours.areaHint')} />,
    },
    { title: t('hours.teacher'), dataIndex: 'teacher_id', width: 160, render: (_, r) => <TeacherName entry={r} />, renderFormItem: () => <TeacherPicker /> },
    { title: t('hours.date'), dataIndex: 'occurred_on', search: false, sorter: true, width: 110 },
    {
      title: t('hours.category'),
      dataIndex: 'category',
      valueType: 'select',
      valueEnum: Object.fromEntries(CATEGORIES.map((c) => [c, { text: t(`hourCategory.${c}`) }])),
      width: 100,
      render: (_, r) => t(`hourCategory.${r.category}`, { defaultValue: r.category }),
    },
    { title: t('hours.hours'), dataIndex: 'hours', search: false, width: 80, align: 'right', render: (_, r) => (r.status === 'voiding' ? `−${r.hours}` : r.hours) },
    {
      title: t('hours.source'),
      dataIndex: 'source',
      valueType: 'select',
      valueEnum: Object.fromEntries(SOURCES.map((c) => [c, { text: t(`hourSource.${c}`) }])),
      width: 110,
      render: (_, r) => t(`hourSource.${r.source}`, { defaultValue: r.source }),
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      initialValue: 'pending',
      valueEnum: Object.fromEntries(ENTRY_STATUSES.map((s) => [s, { text: t(`hourStatus.${s}`) }])),
      width: 110,
      render: (_, r) => <EntryStatus entry={r} />,
    },
    {
      title: t('hours.note'),
      dataIndex: 'note',
      search: false,
      ellipsis: true,
      render: (_, r) => (
        <>
          {r.note || '—'}
          {r.decision_reason && (
            <Typography.Text type="secondary" style={{ display: 'block' }}>
              {t('hours.decisionReason')}：{r.decision_reason}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('hours.evidence'), dataIndex: 'evidence', search: false, width: 110, render: (_, r) => <EvidenceLinks entry={r} /> },
    { title: t('hours.createdAt'), dataIndex: 'created_at', search: false, sorter: true, width: 140, render: (_, r) => dayjs(r.created_at).format('YYYY-MM-DD HH:mm') },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 170,
      render: (_, r) => (
        <Space size="middle">
          {r.status === 'pending' && (
            <>
              <Popconfirm title={t('hours.confirmApprove', { hours: r.hours })} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => approve(r)}>
                <Typography.Link disabled={busyId === r.id} data-testid={`approve-hours-${r.id}`}>
                  {t('hours.approve')}
                </Typography.Link>
              </Popconfirm>
              <Typography.Link type="danger" onClick={() => setPending({ kind: 'reject', entry: r })} data-testid={`reject-hours-${r.id}`}>
                {t('hours.reject')}
              </Typography.Link>
            </>
          )}
          {r.status === 'approved' && !r.voided && (
            <Typography.Link type="danger" onClick={() => setPending({ kind: 'void', entry: r })} data-testid={`void-hours-${r.id}`}>
              {t('hours.void')}
            </Typography.Link>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <ListTable<HourEntry>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p, sort) => {
          const query = toHoursQuery(p, sort);
          const data = await unwrap(api.GET('/api/hours', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('hours.queue')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('hours.queueEmpty')}</Typography.Text> }}
        scroll={{ x: 1200 }}
        data-testid="hours-queue"
        rowSelection={{
          selectedRowKeys: selected.map((e) => e.id),
          preserveSelectedRowKeys: true,
          getCheckboxProps: (r) => ({ disabled: r.status !== 'pending', ...checkboxLabel(t('bulk.choose', { name: `${r.teacher_name} ${r.hours}` })) }),
          onChange: (_, rows) => setSelected(rows.filter(Boolean)),
        }}
        tableAlertRender={false}
        tableAlertOptionRender={false}
        toolbar={selected.length ? { actions: [<span key="bulk">{bulkBar}</span>] } : undefined}
      />
      <BulkResult outcome={outcome} label={(id) => names.get(id) ?? String(id)} onClose={() => { setOutcome(undefined); setSelected([]); }} />
      <ReasonModal
        open={!!pending}
        title={pending?.kind === 'void' ? t('hours.voidTitle') : pending?.kind === 'bulkReject' ? t('bulk.rejectTitle', { count: pending.entries.length }) : t('hours.rejectTitle')}
        okText={pending?.kind === 'void' ? t('hours.void') : t('hours.reject')}
        warning={pending?.kind === 'void' ? t('hours.voidWarning', { hours: pending.entry.hours }) : undefined}
        onCancel={() => setPending(undefined)}
        onSubmit={async (reason) => {
          if (!pending) return;
          if (pending.kind === 'bulkReject') {
            await decideMany('reject', reason);
            setPending(undefined);
            return;
          }
          const id = pending.entry.id;
          if (pending.kind === 'void') await unwrap(api.POST('/api/hours/{id}/void', { params: { path: { id } }, body: { reason } }));
          else await unwrap(api.POST('/api/hours/{id}/decision', { params: { path: { id } }, body: { decision: 'reject', reason } }));
          message.success(t(pending.kind === 'void' ? 'hours.voidedDone' : 'hours.rejected'));
          setPending(undefined);
          actionRef.current?.reload();
        }}
      />
    </>
  );
}
