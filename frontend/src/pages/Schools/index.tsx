import { useRef, useState } from 'react';
import { Button, Space, Tag } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { School } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ExportButtons from '../../components/ExportButtons';
import ActiveTag from '../../components/ActiveTag';
import ActiveToggle from '../../components/ActiveToggle';
import { toListQuery, toTableResult } from '../../components/table';
import { flattenRegions, stageOptions, urbanRuralOptions, useRegionTree, valueEnum } from '../../components/reference';
import SchoolForm from './SchoolForm';

export default function SchoolsPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const region = params.get('region') ?? undefined;
  const regionName = flattenRegions(useRegionTree().data).find((r) => r.code === region)?.name;
  const actionRef = useRef<ActionType>(undefined);
  const lastQuery = useRef<Record<string, unknown>>({});
  const [editing, setEditing] = useState<School | undefined>();
  const [formOpen, setFormOpen] = useState(false);
  const canWrite = access('school.write');

  const columns: ProColumns<School>[] = [
    { title: t('common.keyword'), dataIndex: 'keyword', hideInTable: true, fieldProps: { placeholder: t('schools.keywordHint') } },
    { title: t('schools.code'), dataIndex: 'code', sorter: true, search: false, render: (_, r) => <span className="mono">{r.code}</span>, width: 130 },
    { title: t('schools.name'), dataIndex: 'name', sorter: true, search: false, render: (_, r) => <Link to={`/schools/${r.id}`}>{r.name}</Link> },
    { title: t('schools.county'), dataIndex: 'county_name', search: false },
    { title: t('schools.stage'), dataIndex: 'stage', valueType: 'select', valueEnum: valueEnum(stageOptions(t)) },
    { title: t('schools.urbanRural'), dataIndex: 'urban_rural', valueType: 'select', valueEnum: valueEnum(urbanRuralOptions(t)) },
    { title: t('schools.teachingPoint'), dataIndex: 'teaching_point', search: false, render: (_, r) => (r.teaching_point ? t('common.yes') : t('common.no')), width: 90 },
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
      width: 170,
      render: (_, r) => (
        <Space size="middle">
          <Link to={`/schools/${r.id}`}>{t('common.view')}</Link>
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
                unwrap(api.POST(activate ? '/api/schools/{id}/activate' : '/api/schools/{id}/deactivate', { params: { path: { id: r.id } } }))
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
      title={t('menu.schools')}
      subTitle={
        region && (
          <Tag
            closable
            onClose={() => {
              params.delete('region');
              setParams(params);
            }}
          >
            {t('schools.regionFilter', { name: regionName ?? region })}
          </Tag>
        )
      }
      extra={
        <>
          {access('import.run') && (
            <Button icon={<UploadOutlined />} onClick={() => navigate('/import/schools')} data-testid="import-schools">
              {t('import.button')}
            </Button>
          )}
          {access('export.run') && <ExportButtons kind="schools" params={() => lastQuery.current} />}
          {canWrite && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => {
                setEditing(undefined);
                setFormOpen(true);
              }}
            >
              {t('schools.create')}
            </Button>
          )}
        </>
      }
    >
      <ListTable<School>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        params={{ region }}
        request={async (p, sort) => {
          const query = toListQuery(p, sort);
          const { page: _page, page_size: _size, ...filters } = query;
          lastQuery.current = filters;
          const data = await unwrap(api.GET('/api/schools', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ density: false, setting: false, reload: true }}
        dateFormatter="string"
        headerTitle={t('schools.list')}
        locale={{ emptyText: t('schools.empty') }}
      />
      <SchoolForm
        open={formOpen}
        school={editing}
        onClose={() => setFormOpen(false)}
        onSaved={() => {
          setFormOpen(false);
          actionRef.current?.reload();
        }}
      />
    </Page>
  );
}
