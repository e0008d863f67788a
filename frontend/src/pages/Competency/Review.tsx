import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import SubmissionQueue from './Queue';

/** A reviewer's queue: bound to a school, its teachers' evidence to grade; bound to a county, the drawn ones. */
export default function ReviewPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const school = me?.roles.some((r) => r.role === 'reviewer' && r.scope_code.length === 10);
  return (
    <Page title={t('competency.menu.review')}>
      <SubmissionQueue mode={school ? 'school' : 'spot-check'} />
    </Page>
  );
}
