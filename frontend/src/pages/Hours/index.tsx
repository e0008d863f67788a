import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import HoursQueue from './HoursQueue';
import MyHours from './MyHours';

/** 学时: a teacher's own ledger and 补录; an administrator's approval queue; both as tabs for someone who is both. */
export default function HoursPage() {
  const { t } = useTranslation();
  const { me, access } = useAuth();
  const teacherId = me?.teacher_id;
  const admin = access('program.manage');
  const mine = teacherId ? <MyHours teacherId={teacherId} /> : null;
  const queue = admin ? <HoursQueue /> : null;
  return (
    <Page title={t('menu.hours')}>
      {mine && queue ? (
        <Tabs
          items={[
            { key: 'queue', label: t('hours.queue'), children: queue },
            { key: 'mine', label: t('hours.myLedger'), children: mine },
          ]}
        />
      ) : (
        (mine ?? queue ?? <MyHoursUnavailable />)
      )}
    </Page>
  );
}

function MyHoursUnavailable() {
  const { t } = useTranslation();
  return <p>{t('hours.noTeacherRecord')}</p>;
}
