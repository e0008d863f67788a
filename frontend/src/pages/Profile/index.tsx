import { Button, Card, Descriptions, Empty, Space, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import TeacherCard from '../../components/TeacherCard';
import { ErrorState, Loading } from '../../components/States';

export default function ProfilePage() {
  const { t } = useTranslation();
  const { me, access } = useAuth();
  const navigate = useNavigate();
  const teacherId = me?.teacher_id ?? undefined;
  const teacher = useQuery({
    queryKey: ['teacher', teacherId],
    queryFn: () => unwrap(api.GET('/api/teachers/{id}', { params: { path: { id: teacherId! } } })),
    enabled: teacherId !== undefined,
  });
  if (!me) return <Loading />;

  return (
    <Page
      title={t('menu.profile')}
      extra={
        <>
          <Button onClick={() => navigate('/profile/personal-data')}>{t('profile.personalData')}</Button>
          <Button onClick={() => navigate('/change-password')}>{t('menu.changePassword')}</Button>
          <Button onClick={() => navigate('/profile/security')}>{t('menu.security')}</Button>
          <Button onClick={() => navigate('/profile/sessions')}>{t('menu.sessions')}</Button>
        </>
      }
    >
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('profile.account')}>
          <Descriptions column={{ xs: 1, md: 2 }} bordered>
            <Descriptions.Item label={t('accounts.username')}>
              <span className="mono">{me.username}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('accounts.displayName')}>{me.display_name}</Descriptions.Item>
            <Descriptions.Item label={t('accounts.email')}>{me.email || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('accounts.role')}>
              <Space size={4} wrap>
                {me.roles.map((r) => (
                  <Tag key={`${r.role}-${r.scope_code}`} color="blue" bordered={false}>
                    {t(`roles.${r.role}`, { defaultValue: r.role })} · {r.scope_name}
                  </Tag>
                ))}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {teacherId !== undefined &&
          (teacher.isPending ? (
            <Loading />
          ) : teacher.error ? (
            <ErrorState error={teacher.error} onRetry={() => teacher.refetch()} />
          ) : (
            <TeacherCard teacher={teacher.data} canReveal={access('teacher.reveal')} title={t('profile.teacherRecord')} linkSchool={access('school.read')} />
          ))}
        {teacherId === undefined && me.roles.some((r) => r.role === 'teacher') && (
          <Card>
            <Empty description={t('profile.noTeacherRecord')} />
          </Card>
        )}
      </Space>
    </Page>
  );
}
