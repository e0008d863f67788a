import { useRef, useState } from 'react';
import { Button } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Program } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ProgramForm from './ProgramForm';

import { ProgramStatus } from './status';
import { toTableResult } from '../../components/table';

export default function ProgramsPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const actionRef = useRef<ActionType>(undefined);
  const [formOpen, setFormOpen] = useState(false);
  const canManage = access('program.manage');

  const columns: ProColumns<Program>[] = [
    { title: t('programs.name'), dataIndex: 'name', search: false, ellipsis: true, render: (_, r) => <Link to={`/programs/${r.id}`}>{r.name}</Link> },
    { title: t('programs.level'), dataIndex: 'level', search: false, width: 90, render: (_, r) => t(`programLevel.${r.level}`, { defaultValue: r.level }) },
    { title: t('programs.year'), dataIndex: 'year', valueType: 'digit', width: 90, fieldProps: { precision: 0, min: 2000, max: 2100 }, render: (_, r) => r.year },
    { title: t('programs.mode'), dataIndex: 'enrolment_mode', search: false, width: 110, render: (_, r) => t(`enrolmentMode.${r.enrolment_mode}`) },
    {
      title: t('programs.status'),
      dataIndex: 'status',
      search: false,
      width: 90,
      render: (_, r) => <ProgramStatus status={r.status} />,
    },
    { title: t('programs.seats'), dataIndex: 'seats', search: false, width: 90, align: 'right' },
    { title: t('programs.requiredHours'), dataIndex: 'required_hours', search: false, width: 110, align: 'right' },
  ];

  return (
    <Page
      title={t('menu.programs')}
      extra={
        canManage && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setFormOpen(true)} data-testid="create-program">
            {t('programs.create')}
          </Button>
        )
      }
    >
      <ListTable<Program>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p) => {
          const query: { page: number; page_size: number; year?: number } = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
          if (typeof p.year === 'number') query.year = p.year;
          const data = await unwrap(api.GET('/api/programs', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('programs.list')}
        locale={{ emptyText: t('programs.empty') }}
        scroll={{ x: 900 }}
      />
      <ProgramForm
        open={formOpen}
        onClose={() => setFormOpen(false)}
        onSaved={(p) => {
          setFormOpen(false);
          navigate(`/programs/${p.id}`);
        }}
      />
    </Page>
  );
}
