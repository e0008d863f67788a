import { Typography } from 'antd';
import { type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import dayjs from 'dayjs';
import Page from '../../components/Page';
import { toListQuery, toTableResult } from '../../components/table';
import { type Review } from '../Lessons/api';
import { ReviewStatus } from '../Lessons/parts';


/** 我的评审 (reviewers): the lessons assigned to me, with the round, deadline and where my score sheet stands. */
export default function LessonReviewsPage() {
  const { t } = useTranslation();
  const columns: ProColumns<Review>[] = [
    {
      title: t('lessons.titleField'),
      dataIndex: 'title',
      search: false,
      render: (_, r) => (
        <Link to={`/lesson-reviews/${r.assignment_id}`} data-testid={`review-${r.assignment_id}`}>
          {r.lesson.title}
        </Link>
      ),
    },
    { title: t('lessons.catalogue.node'), dataIndex: 'node', search: false, ellipsis: true, render: (_, r) => [r.lesson.stage, r.lesson.subject, r.lesson.grade, r.lesson.node].join(' / ') },
    { title: t('lessons.round.name'), dataIndex: 'round_name', search: false },
    {
      title: t('lessonRounds.deadline'),
      dataIndex: 'deadline',
      search: false,
      width: 150,
      render: (_, r) => {
        const late = r.status !== 'submitted' && dayjs(r.deadline).isBefore(dayjs());
        return <Typography.Text type={late ? 'danger' : undefined}>{dayjs(r.deadline).format('YYYY-MM-DD HH:mm')}</Typography.Text>;
      },
    },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 100,
      valueType: 'select',
      valueEnum: Object.fromEntries((['assigned', 'draft', 'submitted'] as const).map((s) => [s, { text: t(`lessonReviews.status.${s}`) }])),
      render: (_, r) => <ReviewStatus status={r.status} />,
    },
    { title: t('lessonReviews.total'), dataIndex: 'total', search: false, width: 80, render: (_, r) => (typeof r.total === 'number' ? r.total : '—') },
  ];
  return (
    <Page title={t('lessons.menu.reviews')} subTitle={t('lessonReviews.help')}>
      <ListTable<Review>
        rowKey="assignment_id"
        columns={columns}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/lesson-reviews', { params: { query: toListQuery(p, {}) as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('lessonReviews.list')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('lessonReviews.empty')}</Typography.Text> }}
        data-testid="reviews-table"
      />
    </Page>
  );
}
