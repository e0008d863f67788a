import { useRef } from 'react';
import { Button, Space, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Quiz } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { QuizPhase, QuizWindow, RoleTag } from './parts';
import { toTableResult } from '../../components/table';

/**
 * 测验: the quizzes of programs I manage or tutor in and the published ones I may take (with my best score), or
 * one program's (`?program=<id>`, from the program page, where its managers create them).
 */
export default function QuizzesPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const actionRef = useRef<ActionType>(undefined);
  const programId = Number(params.get('program'));
  const forProgram = Number.isInteger(programId) && programId > 0;

  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: programId } } })),
    enabled: forProgram,
  });

  const columns: ProColumns<Quiz>[] = [
    { title: t('quizzes.titleField'), dataIndex: 'title', ellipsis: true, render: (_, r) => <Link to={`/quizzes/${r.id}`}>{r.title}</Link> },
    ...(forProgram ? [] : [{ title: t('quizzes.program'), dataIndex: 'program_id', width: 100, render: (_: unknown, r: Quiz) => <Link to={`/programs/${r.program_id}`}>#{r.program_id}</Link> }]),
    { title: t('quizzes.myRole'), dataIndex: 'my_role', width: 90, render: (_, r) => <RoleTag role={r.my_role} /> },
    { title: t('quizzes.window'), dataIndex: 'opens_at', width: 290, render: (_, r) => <QuizWindow quiz={r} /> },
    { title: t('common.status'), dataIndex: 'status', width: 100, render: (_, r) => <QuizPhase quiz={r} /> },
    {
      title: t('quizzes.paper'),
      dataIndex: 'question_count',
      width: 150,
      render: (_, r) => t('quizzes.paperShort', { count: r.question_count, total: r.total_points, pass: r.pass_score }),
    },
    {
      title: t('quizzes.mine'),
      dataIndex: 'mine',
      width: 180,
      render: (_, r) =>
        r.mine ? (
          <span data-testid={`mine-${r.id}`}>
            {t('quizzes.attemptsUsed', { used: r.mine.attempts_used, allowed: r.attempts_allowed })}
            {typeof r.mine.best_score === 'number' && ` · ${t('quizzes.best', { score: r.mine.best_score })}`}
            {r.mine.passed && ` · ${t('attempts.passed')}`}
          </span>
        ) : (
          '—'
        ),
    },
  ];

  return (
    <Page
      title={forProgram && program.data ? t('quizzes.ofProgram', { name: program.data.name }) : t('menu.quizzes')}
      extra={
        forProgram && (
          <Space>
            <Button onClick={() => navigate(`/programs/${programId}`)}>{t('classes.openProgram')}</Button>
            {access('program.manage') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/quizzes/new?program=${programId}`)} data-testid="new-quiz">
                {t('quizzes.create')}
              </Button>
            )}
          </Space>
        )
      }
    >
      <ListTable<Quiz>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        params={{ programId }}
        request={async (p) => {
          const query = { page: p.current ?? 1, page_size: p.pageSize ?? 20, ...(forProgram ? { program_id: programId } : {}) };
          const data = await unwrap(api.GET('/api/quizzes', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('quizzes.list')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('quizzes.empty')}</Typography.Text> }}
        scroll={{ x: 1000 }}
        data-testid="quizzes-table"
      />
    </Page>
  );
}
