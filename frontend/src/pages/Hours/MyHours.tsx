import { useRef, useState } from 'react';
import { Button, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { HourEntry } from '../../api/types';
import { EntryStatus, EvidenceLinks } from './parts';
import { CATEGORIES, ENTRY_STATUSES, SOURCES, toHoursQuery } from './rules';
import SupplementForm from './SupplementForm';
import Cycles from './Cycles';
import { toTableResult } from '../../components/table';

/** A teacher's own ledger, newest first, and the 补录 form. */
export default function MyHours({ teacherId }: { teacherId: number }) {
  const { t } = useTranslation();
  const actionRef = useRef<ActionType>(undefined);
  const [formOpen, setFormOpen] = useState(false);

  const columns: ProColumns<HourEntry>[] = [
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
  ];

  return (
    <>
      <Cycles teacherId={teacherId} />
      <ListTable<HourEntry>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p, sort) => {
          const query = { ...toHoursQuery(p, sort), teacher_id: teacherId };
          const data = await unwrap(api.GET('/api/hours', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('hours.myLedger')}
        toolBarRender={() => [
          <Button key="file" type="primary" icon={<PlusOutlined />} onClick={() => setFormOpen(true)} data-testid="file-supplement">
            {t('hours.supplement')}
          </Button>,
        ]}
        locale={{ emptyText: <Typography.Text type="secondary">{t('hours.empty')}</Typography.Text> }}
        scroll={{ x: 1000 }}
        data-testid="my-hours"
      />
      <SupplementForm
        open={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          actionRef.current?.reload();
        }}
      />
    </>
  );
}
