import { Button, Space } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Attempt } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import AttemptResult from './Result';
import Take from './Take';
import { AttemptStatus } from '../Quizzes/parts';

/**
 * One attempt: its teacher takes it while it runs (a reload resumes it with the saved answers), then sees the
 * result; staff of the quiz see it and grade its short answers.
 */
export default function AttemptPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { me } = useAuth();
  const navigate = useNavigate();
  const client = useQueryClient();
  const attemptId = Number(id);
  const valid = Number.isInteger(attemptId) && attemptId > 0;
  const key = ['attempt', attemptId];
  const attempt = useQuery({
    queryKey: key,
    // The arrival time goes with the view: the countdown measures the server's clock against it.
    queryFn: async () => ({ attempt: await unwrap(api.GET('/api/attempts/{id}', { params: { path: { id: attemptId } } })), receivedAt: Date.now() }),
    enabled: valid,
    // Fetched on every visit (answers saved since must show) and never behind the page's back while it is open.
    refetchOnWindowFocus: false,
    staleTime: Infinity,
    gcTime: 0,
  });

  if (!valid) return <NotFoundResult />;
  if (attempt.isPending) return <Loading />;
  if (attempt.error) return <ErrorState error={attempt.error} onRetry={() => attempt.refetch()} />;
  const a = attempt.data.attempt;
  const own = !!me?.teacher_id && me.teacher_id === a.teacher_id;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['quiz', a.quiz_id] });
    void attempt.refetch();
  };

  return (
    <Page
      title={a.quiz_title}
      trail={[{ title: t('menu.quizzes'), to: '/quizzes' }, { title: a.quiz_title, to: `/quizzes/${a.quiz_id}` }, { title: t('menu.attempt') }]}
      subTitle={
        <Space>
          <AttemptStatus status={a.status} score={a.score} passed={a.passed} />
          {!own && <span>{a.teacher_name}</span>}
        </Space>
      }
      extra={<Button onClick={() => navigate(`/quizzes/${a.quiz_id}`)}>{t('attempts.backToQuiz')}</Button>}
    >
      {own && a.status === 'in_progress' ? (
        <Take
          key={`${a.id}-${attempt.dataUpdatedAt}`}
          attempt={a}
          receivedAt={attempt.data.receivedAt}
          onClosed={(closed?: Attempt) => {
            if (closed) client.setQueryData(key, { attempt: closed, receivedAt: Date.now() });
            refresh();
          }}
        />
      ) : (
        <AttemptResult attempt={a} grading={!own} onGraded={refresh} />
      )}
    </Page>
  );
}
