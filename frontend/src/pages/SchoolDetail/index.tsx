import { useState } from 'react';
import { Button, Card, Descriptions, Space } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import ActiveTag from '../../components/ActiveTag';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import SchoolForm from '../Schools/SchoolForm';

export default function SchoolDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [editOpen, setEditOpen] = useState(false);
  const schoolId = Number(id);
  const valid = Number.isInteger(schoolId) && schoolId > 0;
  const { data, isPending, error, refetch } = useQuery({
    queryKey: ['school', schoolId],
    queryFn: () => unwrap(api.GET('/api/schools/{id}', { params: { path: { id: schoolId } } })),
    enabled: valid,
  });
  if (!valid) return <NotFoundResult />;
  if (isPending) return <Loading />;
  if (error) return <ErrorState error={error} onRetry={() => refetch()} />;

  return (
    <Page
      title={data.name}
      subTitle={<span className="mono">{data.code}</span>}
      trail={[{ title: t('menu.schools'), to: '/schools' }, { title: data.city_name }, { title: data.county_name }]}
      extra={
        <Space>
          <Button onClick={() => navigate('/schools')}>{t('common.back')}</Button>
          {access('teacher.read') && <Button onClick={() => navigate(`/teachers?school_id=${data.id}`)}>{t('schools.viewTeachers')}</Button>}
          {access('school.write') && (
            <Button type="primary" onClick={() => setEditOpen(true)}>
              {t('common.edit')}
            </Button>
          )}
        </Space>
      }
    >
      <Card>
        <Descriptions column={{ xs: 1, md: 2 }} bordered>
          <Descriptions.Item label={t('schools.code')}>
            <span className="mono">{data.code}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('schools.name')}>{data.name}</Descriptions.Item>
          <Descriptions.Item label={t('schools.county')}>
            {data.city_name} {data.county_name} <span className="mono">({data.county_code})</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('schools.stage')}>{t(`stage.${data.stage}`)}</Descriptions.Item>
          <Descriptions.Item label={t('schools.urbanRural')}>{t(`urbanRural.${data.urban_rural}`)}</Descriptions.Item>
          <Descriptions.Item label={t('schools.teachingPoint')}>{data.teaching_point ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('schools.address')}>{data.address || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('common.status')}>
            <ActiveTag active={data.active} />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <SchoolForm
        open={editOpen}
        school={data}
        onClose={() => setEditOpen(false)}
        onSaved={() => {
          setEditOpen(false);
          void refetch();
        }}
      />
    </Page>
  );
}
