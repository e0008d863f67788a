import { Col, Row } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import AreaFiguresCard from './AreaFigures';
import Todos from './Todos';
import HomeAnnouncements from '../Announcements/HomeAnnouncements';
import { ReviewsDue, TeacherDesk } from './Personal';

/** 工作台: where every role lands. Each part is present only when the API sends it for this user. */
export default function HomePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const workbench = useQuery({ queryKey: ['workbench'], queryFn: () => unwrap(api.GET('/api/workbench')) });
  if (workbench.isPending) return <Loading />;
  if (workbench.error) return <ErrorState error={workbench.error} onRetry={() => workbench.refetch()} />;
  const w = workbench.data;
  return (
    <Page title={t('home.title')} subTitle={t('home.welcome', { name: me?.display_name ?? '', year: w.year })}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          {w.figures && <AreaFiguresCard figures={w.figures} />}
          {w.teacher && <TeacherDesk desk={w.teacher} />}
          {w.reviews && <ReviewsDue reviews={w.reviews} />}
        </Col>
        <Col xs={24} xl={8}>
          <HomeAnnouncements />
          <Todos todos={w.todos} />
        </Col>
      </Row>
    </Page>
  );
}
