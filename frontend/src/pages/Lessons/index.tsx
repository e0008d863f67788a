import { useRef } from 'react';
import { Button, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import { toListQuery, toTableResult } from '../../components/table';
import { LESSON_STATUSES, type LessonSummary } from './api';
import { AwardTags, LessonStatusTag } from './parts';

/** 我的晒课: a teacher's lessons with status, missing items and awards; filters by activity, status, 学段, 学科, title. */
export default function LessonsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const actionRef = useRef<ActionType>(undefined);
  const activities = useQuery({ queryKey: ['lesson-activities'], queryFn: () => unwrap(api.GET('/api/lesson-activities', { params: { query: { page_size: 100 } } })) });

  const columns: ProColumns<LessonSummary>[] = [
    { title: t('lessons.titleField'), dataIndex: 'q', hideInTable: true },
    { title: t('lessons.titleField'), dataIndex: 'title', search: false, ellipsis: true, sorter: true, render: (_, r) => <Link to={`/lessons/${r.id}`}>{r.title}</Link> },
    {
      title: t('lessons.activity'),
      dataIndex: 'activity_id',
      valueType: 'select',
      width: 160,
      fieldProps: { options: (activities.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.year} ${a.name}` })) },
      render: (_, r) => activities.data?.items.find((a) => a.id === r.activity_id)?.name ?? `#${r.activity_id}`,
    },
    { title: t('lessons.catalogue.stage'), dataIndex: 'stage', width: 70 },
    { title: t('lessons.catalogue.subject'), dataIndex: 'subject', width: 70 },
    { title: t('lessons.catalogue.node'), dataIndex: 'node', search: false, ellipsis: true, render: (_, r) => `${r.grade}${r.volume} · ${r.chapter} · ${r.node}` },
    { title: t('lessons.lessonNo'), dataIndex: 'lesson_no', search: false, width: 70 },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      valueType: 'select',
      valueEnum: Object.fromEntries(LESSON_STATUSES.map((s) => [s, { text: t(`lessons.status.${s}`) }])),
      render: (_, r) => <LessonStatusTag status={r.status} />,
    },
    {
      title: t('lessons.missing'),
      dataIndex: 'items_missing',
      search: false,
      width: 200,
      render: (_, r) => (r.items_missing.length ? r.items_missing.map((k) => <Tag key={k}>{t(`lessons.kind.${k}`)}</Tag>) : t('lessons.complete')),
    },
    { title: t('lessons.awards'), dataIndex: 'awards', search: false, width: 120, render: (_, r) => <AwardTags awards={r.awards} /> },
    { title: t('lessons.submittedAt'), dataIndex: 'submitted_at', search: false, sorter: true, width: 140, render: (_, r) => (r.submitted_at ? dayjs(r.submitted_at).format('YYYY-MM-DD HH:mm') : '—') },
  ];

  return (
    <Page
      title={t('lessons.menu.mine')}
      subTitle={t('lessons.mineHelp')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/lessons/new')} data-testid="new-lesson">
          {t('lessons.create')}
        </Button>
      }
    >
      <ListTable<LessonSummary>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p, sort) => {
          const data = await unwrap(api.GET('/api/lessons', { params: { query: toListQuery(p, sort) as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('lessons.list')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('lessons.empty')}</Typography.Text> }}
        scroll={{ x: 1200 }}
        data-testid="lessons-table"
      />
    </Page>
  );
}
