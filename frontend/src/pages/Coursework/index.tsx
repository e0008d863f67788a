import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import Grading from './Grading';
import MyCoursework from './MyCoursework';

/** 作业: a teacher submits coursework; tutors and program managers grade it. Both as tabs for someone who is both. */
export default function CourseworkPage() {
  const { t } = useTranslation();
  const { me, access } = useAuth();
  const teacher = !!me?.teacher_id;
  const grader = access('program.manage') || !!me?.roles.some((r) => r.role === 'tutor');
  const mine = teacher ? <MyCoursework /> : null;
  const grading = grader ? <Grading /> : null;
  return (
    <Page title={t('menu.coursework')}>
      {mine && grading ? (
        <Tabs
          items={[
            { key: 'grading', label: t('coursework.assignments'), children: grading },
            { key: 'mine', label: t('coursework.mine'), children: mine },
          ]}
        />
      ) : (
        (mine ?? grading ?? <Typography.Paragraph>{t('coursework.nothing')}</Typography.Paragraph>)
      )}
    </Page>
  );
}
