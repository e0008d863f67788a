import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Popconfirm, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import { programTrail, useProgramName } from '../../components/trails';
import { errorText } from '../../components/errors';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import { KINDS } from '../Questions/rules';
import Attempts from './Attempts';
import Builder from './Builder';
import { QuizPhase, QuizWindow, RoleTag } from './parts';
import { takerAction } from './rules';

/** One quiz: the builder for a draft's managers; its settings and attempts (grading queue) for staff; start / resume and my history for a teacher. */
export default function QuizDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [starting, setStarting] = useState(false);
  const quizId = Number(id);
  const valid = Number.isInteger(quizId) && quizId > 0;
  const quiz = useQuery({
    queryKey: ['quiz', quizId],
    queryFn: () => unwrap(api.GET('/api/quizzes/{id}', { params: { path: { id: quizId } } })),
    enabled: valid,
  });
  const programName = useProgramName(quiz.data?.program_id);

  if (!valid) return <NotFoundResult />;
  if (quiz.isPending) return <Loading />;
  if (quiz.error) return <ErrorState error={quiz.error} onRetry={() => quiz.refetch()} />;
  const q = quiz.data;
  const staff = q.my_role === 'manager' || q.my_role === 'tutor';
  const action = q.my_role === 'taker' ? takerAction(q) : null;

  const start = async () => {
    setStarting(true);
    try {
      const a = await unwrap(api.POST('/api/quizzes/{id}/attempts', { params: { path: { id: q.id } } }));
      navigate(`/attempts/${a.id}`);
    } catch (e) {
      message.error(errorText(t, e));
      void quiz.refetch();
    } finally {
      setStarting(false);
    }
  };

  const summary = (
    <Card title={t('quizzes.settings')} style={{ marginBottom: 16 }}>
      {q.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{q.description}</Typography.Paragraph>}
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} bordered size="small">
        <Descriptions.Item label={t('quizzes.program')}>
          <Link to={`/programs/${q.program_id}`}>#{q.program_id}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('quizzes.window')}>
          <QuizWindow quiz={q} />
        </Descriptions.Item>
        <Descriptions.Item label={t('quizzes.timeLimit')}>{t('quizzes.minutesN', { n: q.time_limit_minutes })}</Descriptions.Item>
        <Descriptions.Item label={t('quizzes.paper')}>{t('quizzes.paperShort', { count: q.question_count, total: q.total_points, pass: q.pass_score })}</Descriptions.Item>
        <Descriptions.Item label={t('quizzes.attemptsAllowed')}>{q.attempts_allowed}</Descriptions.Item>
        <Descriptions.Item label={t('quizzes.countsForCompletion')}>{q.counts_for_completion ? t('common.yes') : t('common.no')}</Descriptions.Item>
        {q.mine && (
          <Descriptions.Item label={t('quizzes.mine')} span={3}>
            <span data-testid="my-standing">
              {t('quizzes.attemptsUsed', { used: q.mine.attempts_used, allowed: q.attempts_allowed })}
              {typeof q.mine.best_score === 'number' && ` · ${t('quizzes.best', { score: q.mine.best_score })}`}
              {` · ${q.mine.passed ? t('attempts.passed') : t('quizzes.notPassedYet')}`}
            </span>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );

  const paper =
    q.my_role === 'manager' ? (
      q.mode === 'fixed' ? (
        <Table
          rowKey="question_id"
          size="small"
          pagination={false}
          dataSource={q.items}
          columns={[
            { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
            { title: t('quizzes.questionId'), dataIndex: 'question_id' },
            { title: t('quizzes.itemPoints'), dataIndex: 'points', render: (v?: number) => v ?? t('quizzes.ownPoints') },
          ]}
        />
      ) : (
        <Table
          rowKey={(_, i) => String(i)}
          size="small"
          pagination={false}
          dataSource={q.sections}
          columns={[
            { title: '#', key: 'n', width: 48, render: (_, __, i) => i + 1 },
            { title: t('questions.tags'), dataIndex: 'tag', render: (v?: string) => v || t('quizzes.any') },
            { title: t('questions.subject'), dataIndex: 'subject', render: (v?: string) => v || t('quizzes.any') },
            { title: t('questions.kind'), dataIndex: 'kind', render: (v?: string) => (v && KINDS.includes(v as never) ? t(`questionKind.${v}`) : t('quizzes.any')) },
            { title: t('questions.difficulty'), dataIndex: 'difficulty', render: (v?: number) => (v ? t(`questions.level.${v}`) : t('quizzes.any')) },
            { title: t('quizzes.count'), dataIndex: 'count' },
            { title: t('quizzes.pointsEach'), dataIndex: 'points' },
          ]}
        />
      )
    ) : null;

  return (
    <Page
      title={q.title}
      trail={[...programTrail(t, q.program_id, programName), { title: t('menu.quizzes'), to: `/quizzes?program=${q.program_id}` }]}
      subTitle={
        <Space>
          <QuizPhase quiz={q} />
          <RoleTag role={q.my_role} />
          {q.mode === 'random' && <Tag>{t('paperMode.random')}</Tag>}
        </Space>
      }
      extra={
        <Space>
          <Button onClick={() => navigate(`/quizzes?program=${q.program_id}`)}>{t('common.back')}</Button>
          {action === 'resume' && (
            <Button type="primary" onClick={() => navigate(`/attempts/${q.mine!.active_attempt_id}`)} data-testid="resume-attempt">
              {t('attempts.resume')}
            </Button>
          )}
          {action === 'start' && (
            <Popconfirm
              title={t('attempts.confirmStart', { minutes: q.time_limit_minutes })}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={start}
            >
              <Button type="primary" loading={starting} data-testid="start-attempt">
                {t('attempts.start')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      {q.status === 'draft' && q.my_role === 'manager' ? (
        <>
          <Alert type="info" showIcon message={t('quizzes.draftHint')} style={{ marginBottom: 16 }} />
          <Builder
            programId={q.program_id}
            quiz={q}
            onSaved={(saved) => {
              client.setQueryData(['quiz', quizId], saved);
            }}
          />
        </>
      ) : (
        <>
          {summary}
          {staff ? (
            <Tabs
              items={[
                { key: 'attempts', label: t('attempts.all'), children: <Attempts quizId={q.id} staff /> },
                ...(paper ? [{ key: 'paper', label: t('quizzes.paper'), children: paper }] : []),
              ]}
            />
          ) : (
            <Attempts quizId={q.id} staff={false} />
          )}
        </>
      )}
    </Page>
  );
}
