import { Button } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { programTrail } from '../../components/trails';
import { ErrorState, ForbiddenResult, Loading, NotFoundResult } from '../../components/States';
import Builder from './Builder';

/** A new quiz of a program (`?program=<id>`): saved as a draft, then built further and published on its own page. */
export default function NewQuizPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const programId = Number(params.get('program'));
  const valid = Number.isInteger(programId) && programId > 0;
  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: programId } } })),
    enabled: valid,
  });
  if (!valid) return <NotFoundResult />;
  if (!access('program.manage')) return <ForbiddenResult />;
  if (program.isPending) return <Loading />;
  if (program.error) return <ErrorState error={program.error} onRetry={() => program.refetch()} />;
  return (
    <Page title={t('quizzes.create')} subTitle={program.data.name} trail={programTrail(t, programId, program.data.name)} extra={<Button onClick={() => navigate(`/programs/${programId}`)}>{t('common.back')}</Button>}>
      <Builder programId={programId} onSaved={(q) => navigate(`/quizzes/${q.id}`, { replace: true })} />
    </Page>
  );
}
