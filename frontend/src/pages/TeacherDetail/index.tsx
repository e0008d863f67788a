import { useState } from 'react';
import { Button, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import TeacherCard from '../../components/TeacherCard';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import TeacherForm from '../Teachers/TeacherForm';

export default function TeacherDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [editOpen, setEditOpen] = useState(false);
  const teacherId = Number(id);
  const valid = Number.isInteger(teacherId) && teacherId > 0;
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['teacher', teacherId],
    queryFn: () => unwrap(api.GET('/api/teachers/{id}', { params: { path: { id: teacherId } } })),
    enabled: valid,
  });
  if (!valid) return <NotFoundResult />;
  if (isPending) return <Loading />;
  if (error) return <ErrorState error={error} onRetry={() => refetch()} />;
  return (
    <Page
      title={data.name}
      subTitle={data.school_name}
      trail={[{ title: t('menu.teachers'), to: '/teachers' }, { title: data.school_name, to: access('school.read') ? `/schools/${data.school_id}` : undefined }]}
      printScope={data.school_name}
      extra={
        <Space>
          <Button onClick={() => navigate('/teachers')}>{t('common.back')}</Button>
          <Button onClick={() => navigate(`/teachers/${data.id}/record`)} data-testid="open-record">
            {t('record.open')}
          </Button>
          {access('teacher.write') && (
            <Button type="primary" onClick={() => setEditOpen(true)}>
              {t('common.edit')}
            </Button>
          )}
        </Space>
      }
    >
      <TeacherCard teacher={data} canReveal={access('teacher.reveal')} linkSchool={access('school.read')} />
      <TeacherForm
        open={editOpen}
        teacher={data}
        onClose={() => setEditOpen(false)}
        onSaved={() => {
          setEditOpen(false);
          void refetch();
        }}
      />
    </Page>
  );
}
