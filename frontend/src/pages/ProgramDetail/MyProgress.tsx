import { Alert, Card, List, Progress, Space, Typography } from 'antd';
import { CheckCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, downloadFile, unwrap } from '../../api/client';
import { certificatePdfPath } from '../Certificates/status';
import type { Enrollment, Program, Quiz } from '../../api/types';

export interface Missing {
  key: string;
  text: string;
  to?: string;
}

/**
 * What a teacher still lacks for the program's completion, as far as the page can tell: hours short of the
 * requirement, each category's minimum, the quizzes that count and are not passed, the micro-competencies, and the
 * institution's result. The server decides completion; this only points the way.
 */
export function missingForCompletion(t: TFunction, program: Program, enrollment: Enrollment, quizzes: Quiz[]): Missing[] {
  const missing: Missing[] = [];
  const short = program.required_hours - enrollment.counted_hours;
  if (short > 0) missing.push({ key: 'hours', text: t('programs.mine.hoursShort', { hours: short }), to: '/hours' });
  for (const m of program.minimums) {
    missing.push({ key: `min-${m.category}`, text: t('programs.mine.minimum', { category: t(`hourCategory.${m.category}`), hours: m.hours }), to: '/hours' });
  }
  for (const q of quizzes.filter((q) => q.counts_for_completion && !q.mine?.passed)) {
    missing.push({ key: `quiz-${q.id}`, text: t('programs.mine.quiz', { title: q.title }), to: `/quizzes/${q.id}` });
  }
  if (program.competencies > 0) {
    missing.push({ key: 'competencies', text: t('programs.mine.competencies', { count: program.competencies, year: program.year }), to: '/competency/mine' });
  }
  if (enrollment.training_status === 'not_reported') missing.push({ key: 'result', text: t('programs.mine.result') });
  return missing;
}

/** A teacher's own standing in a program: hours against the requirement, what is missing, the certificate. */
export default function MyProgress({ program, enrollment }: { program: Program; enrollment: Enrollment }) {
  const { t } = useTranslation();
  const quizzes = useQuery({
    queryKey: ['quizzes', { program: program.id }],
    queryFn: () => unwrap(api.GET('/api/quizzes', { params: { query: { program_id: program.id, page: 1, page_size: 100 } } })),
  });
  const certificates = useQuery({
    queryKey: ['certificates', { program: program.id }],
    queryFn: () => unwrap(api.GET('/api/certificates', { params: { query: { program_id: program.id, page: 1, page_size: 10 } } })),
  });
  const completed = enrollment.training_status === 'completed';
  const certificate = certificates.data?.items.find((c) => c.enrollment_id === enrollment.id && c.status === 'valid');
  const percent = program.required_hours > 0 ? Math.min(100, Math.round((enrollment.counted_hours / program.required_hours) * 100)) : 100;
  const missing = completed ? [] : missingForCompletion(t, program, enrollment, quizzes.data?.items ?? []);

  return (
    <Card title={t('programs.mine.title')} data-testid="my-progress">
      <Space direction="vertical" size="middle" style={{ display: 'flex' }}>
        <div>
          <Typography.Text strong data-testid="my-hours">
            {t('programs.mine.hours', { hours: enrollment.counted_hours, required: program.required_hours })}
          </Typography.Text>
          <Progress percent={percent} status={completed ? 'success' : 'active'} aria-label={t('programs.mine.hoursLabel')} />
        </div>
        {completed ? (
          <Alert type="success" showIcon icon={<CheckCircleOutlined />} message={t('programs.mine.completed')} />
        ) : (
          <List
            size="small"
            header={<Typography.Text strong>{t('programs.mine.missing')}</Typography.Text>}
            dataSource={missing}
            data-testid="my-missing"
            renderItem={(m) => <List.Item key={m.key}>{m.to ? <Link to={m.to}>{m.text}</Link> : m.text}</List.Item>}
          />
        )}
        {certificate && (
          <Typography.Link onClick={() => void downloadFile(certificatePdfPath(certificate.number), {}, `${certificate.number}.pdf`)} data-testid="my-certificate">
            <SafetyCertificateOutlined aria-hidden /> {t('programs.mine.certificate', { number: certificate.number })}
          </Typography.Link>
        )}
      </Space>
    </Card>
  );
}
