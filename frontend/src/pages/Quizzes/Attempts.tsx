import { Typography } from 'antd';
import { type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { AttemptStatus as AttemptState, AttemptSummary } from '../../api/types';
import { AttemptStatus } from './parts';
import { toTableResult } from '../../components/table';

const STATUSES = ['in_progress', 'grading', 'graded'] as const;

/**
 * The attempts of a quiz: staff (managers, tutors) see everyone's, opening on the grading queue; a teacher sees
 * their own history with scores.
 */
export default function Attempts({ quizId, staff }: { quizId: number; staff: boolean }) {
  const { t } = useTranslation();
  const fmt = (s?: string | null) => (s ? dayjs(s).format('YYYY-MM-DD HH:mm') : '—');
  const columns: ProColumns<AttemptSummary>[] = [
    ...(staff ? [{ title: t('attempts.teacher'), dataIndex: 'teacher_name', search: false, width: 120 } as ProColumns<AttemptSummary>] : []),
    { title: t('attempts.no'), dataIndex: 'attempt_no', search: false, width: 80, render: (_, r) => t('attempts.nth', { n: r.attempt_no }) },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 140,
      valueType: 'select',
      initialValue: staff ? 'grading' : undefined,
      valueEnum: Object.fromEntries(STATUSES.map((s) => [s, { text: t(`attemptStatus.${s}`) }])),
      render: (_, r) => <AttemptStatus status={r.status} score={r.score} passed={r.passed} />,
    },
    { title: t('attempts.startedAt'), dataIndex: 'started_at', search: false, width: 150, render: (_, r) => fmt(r.started_at) },
    { title: t('attempts.closedAt'), dataIndex: 'closed_at', search: false, width: 150, render: (_, r) => fmt(r.closed_at) },
    { title: t('attempts.score'), dataIndex: 'score', search: false, width: 80, align: 'right', render: (_, r) => (typeof r.score === 'number' ? r.score : '—') },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 110,
      render: (_, r) => (
        <Link to={`/attempts/${r.id}`} data-testid={`open-attempt-${r.id}`}>
          {r.status === 'in_progress' ? (staff ? t('common.view') : t('attempts.resume')) : staff && r.status === 'grading' ? t('attempts.grade') : t('attempts.viewResult')}
        </Link>
      ),
    },
  ];
  return (
    <ListTable<AttemptSummary>
      rowKey="id"
      columns={columns}
      search={staff ? { labelWidth: 'auto', defaultCollapsed: false } : false}
      request={async (p) => {
        const query = { page: p.current ?? 1, page_size: p.pageSize ?? 20, ...(p.status ? { status: p.status as AttemptState } : {}) };
        const data = await unwrap(api.GET('/api/quizzes/{id}/attempts', { params: { path: { id: quizId }, query } }));
        return toTableResult(data);
      }}
      pagination={{ defaultPageSize: 20 }}
      options={{ density: false, setting: false, reload: true }}
      headerTitle={staff ? t('attempts.all') : t('attempts.mine')}
      locale={{ emptyText: <Typography.Text type="secondary">{t('attempts.empty')}</Typography.Text> }}
      scroll={{ x: 800 }}
      data-testid="attempts-table"
    />
  );
}
