import { useRef, useState } from 'react';
import { Button, Space, Tag } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Teacher } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ExportButtons from '../../components/ExportButtons';
import ActiveTag from '../../components/ActiveTag';
import ActiveToggle from '../../components/ActiveToggle';
import RevealPii from '../../components/RevealPii';
import { toListQuery, toTableResult } from '../../components/table';
import { SUBJECTS, stageOptions, valueEnum } from '../../components/reference';
import TeacherForm from './TeacherForm';
import BulkBar from './BulkBar';
import { checkboxLabel } from '../../components/BulkResult';

export default function TeachersPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const schoolId = params.get('school_id') ? Number(params.get('school_id')) : undefined;
  const actionRef = useRef<ActionType>(undefined);
  const lastQuery = useRef<Record<string, unknown>>({});
  const [editing, setEditing] = useState<Teacher | undefined>();
  const [formOpen, setFormOpen] = useState(false);
  const [selected, setSelected] = useState<Teacher[]>([]);
  const canWrite = access('teacher.write');
  const canReveal = access('teacher.reveal');

  const columns: ProColumns<Teacher>[] = [
    { title: t('common.keyword'), dataIndex: 'keyword', hideInTable: true, fieldProps: { placeholder: t('teachers.keywordHint') } },
    { title: t('teachers.name'), dataIndex: 'name', sorter: true, search: false, render: (_, r) => <Link to={`/teachers/${r.id}`}>{r.name}</Link>, width: 110 },
    { title: t('teachers.gender'), dataIndex: 'gender', search: false, width: 70, render: (_, r) => t(`gender.${r.gender}`) },
    { title: t('teachers.school'), dataIndex: 'school_name', search: false, ellipsis: true, width: 200 },
    {
      title: t('teachers.idCard'),
      dataIndex: 'id_card_masked',
      search: false,
      width: 230,
      render: (_, r) => <RevealPii teacherId={r.id} masked={r.id_card_masked} field="id_card" canReveal={canReveal} name={r.name} />,
    },
    { title: t('teachers.phone'), dataIndex: 'phone_masked', search: false, width: 130, render: (_, r) => <span className="mono">{r.phone_masked || '—'}</span> },
    { title: t('teachers.stage'), dataIndex: 'stage', valueType: 'select', valueEnum: valueEnum(stageOptions(t)), width: 100 },
    { title: t('teachers.subject'), dataIndex: 'subject', valueType: 'select', valueEnum: Object.fromEntries(SUBJECTS.map((s) => [s, { text: t(`subject.${s}`, { defaultValue: s }) }])), width: 100 },
    { title: t('teachers.title'), dataIndex: 'title', search: false, width: 110 },
    {
      title: t('common.status'),
      dataIndex: 'active',
      valueType: 'select',
      valueEnum: { true: { text: t('common.active') }, false: { text: t('common.inactive') } },
      render: (_, r) => <ActiveTag active={r.active} />,
      width: 90,
    },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 160,
      render: (_, r) => (
        <Space size="middle">
          <Link to={`/teachers/${r.id}`}>{t('common.view')}</Link>
          {canWrite && (
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
          )}
          {canWrite && (
            <ActiveToggle
              active={r.active}
              onToggle={(activate) =>
                unwrap(api.POST(activate ? '/api/teachers/{id}/activate' : '/api/teachers/{id}/deactivate', { params: { path: { id: r.id } } }))
              }
              onDone={() => actionRef.current?.reload()}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={t('menu.teachers')}
      subTitle={
        schoolId && (
          <Tag
            closable
            onClose={() => {
              params.delete('school_id');
              setParams(params);
            }}
          >
            {t('teachers.schoolFilter', { id: schoolId })}
          </Tag>
        )
      }
      extra={
        <>
          {access('import.run') && (
            <Button icon={<UploadOutlined />} onClick={() => navigate('/import/teachers')} data-testid="import-teachers">
              {t('import.button')}
            </Button>
          )}
          {access('export.run') && <ExportButtons kind="teachers" params={() => lastQuery.current} />}
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(undefined);
                setFormOpen(true);
              }}
            >
              {t('teachers.create')}
            </Button>
          )}
        </>
      }
    >
      <ListTable<Teacher>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        params={{ school_id: schoolId }}
        request={async (p, sort) => {
          const query = toListQuery(p, sort);
          const { page: _page, page_size: _size, ...filters } = query;
          lastQuery.current = filters;
          const data = await unwrap(api.GET('/api/teachers', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('teachers.list')}
        locale={{ emptyText: t('teachers.empty') }}
        scroll={{ x: 1200 }}
        rowSelection={
          canWrite
            ? {
                selectedRowKeys: selected.map((s) => s.id),
                preserveSelectedRowKeys: true,
                getCheckboxProps: (r) => checkboxLabel(t('bulk.choose', { name: r.name })),
                onChange: (_, rows) => setSelected(rows.filter(Boolean)),
              }
            : undefined
        }
        tableAlertRender={false}
        tableAlertOptionRender={false}
        toolbar={selected.length ? { actions: [<BulkBar key="bulk" selected={selected} onDone={() => actionRef.current?.reload()} onClear={() => setSelected([])} />] } : undefined}
      />
      <TeacherForm
        open={formOpen}
        teacher={editing}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          actionRef.current?.reload();
        }}
      />
    </Page>
  );
}
