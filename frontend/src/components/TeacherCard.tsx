import { Card, Descriptions } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Teacher } from '../api/types';
import ActiveTag from './ActiveTag';
import RevealPii from './RevealPii';

/** A teacher record, used on the teacher page and on a teacher's own profile. */
export default function TeacherCard({ teacher, canReveal, title, linkSchool }: { teacher: Teacher; canReveal: boolean; title?: string; linkSchool: boolean }) {
  const { t } = useTranslation();
  return (
    <Card title={title} data-testid="teacher-card">
      <Descriptions column={{ xs: 1, md: 2 }} bordered>
        <Descriptions.Item label={t('teachers.name')}>{teacher.name}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.gender')}>{t(`gender.${teacher.gender}`)}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.school')}>
          {linkSchool ? <Link to={`/schools/${teacher.school_id}`}>{teacher.school_name}</Link> : teacher.school_name}
        </Descriptions.Item>
        <Descriptions.Item label={t('teachers.idCard')}>
          <RevealPii teacherId={teacher.id} masked={teacher.id_card_masked} field="id_card" canReveal={canReveal} name={teacher.name} />
        </Descriptions.Item>
        <Descriptions.Item label={t('teachers.phone')}>
          <RevealPii teacherId={teacher.id} masked={teacher.phone_masked ?? ''} field="phone" canReveal={canReveal} name={teacher.name} />
        </Descriptions.Item>
        <Descriptions.Item label={t('teachers.teacherNumber')}>{teacher.teacher_number || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.birthDate')}>{teacher.birth_date}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.email')}>{teacher.email || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.stage')}>{t(`stage.${teacher.stage}`)}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.subject')}>{t(`subject.${teacher.subject}`, { defaultValue: teacher.subject })}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.title')}>{teacher.title || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.education')}>{teacher.education || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('teachers.teachingYears')}>{teacher.teaching_years ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('common.status')}>
          <ActiveTag active={teacher.active} />
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
