import { Button } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Page from '../../components/Page';
import { ForbiddenResult, NotFoundResult } from '../../components/States';
import { useAuth } from '../../auth/AuthContext';
import type { ImportKind } from '../../api/types';
import ImportWizard from './ImportWizard';

const KINDS: Record<ImportKind, 'school.write' | 'teacher.write'> = { schools: 'school.write', teachers: 'teacher.write' };

export default function ImportPage() {
  const { t } = useTranslation();
  const { kind } = useParams();
  const { access } = useAuth();
  const navigate = useNavigate();
  if (kind !== 'schools' && kind !== 'teachers') return <NotFoundResult />;
  if (!access(KINDS[kind])) return <ForbiddenResult />;
  return (
    <Page title={t(`import.title.${kind}`)} subTitle={t('import.subtitle')} trail={[{ title: t(`menu.${kind}`), to: `/${kind}` }]} extra={<Button onClick={() => navigate(`/${kind}`)}>{t('common.back')}</Button>}>
      <ImportWizard kind={kind} onFinished={() => navigate(`/${kind}`)} />
    </Page>
  );
}
