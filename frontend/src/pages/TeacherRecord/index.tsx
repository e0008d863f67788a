import { useState } from 'react';
import { App, Button, Card, Descriptions, Progress, Space, Table, Tag, type TableProps } from 'antd';
import { FilePdfOutlined, PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, unwrap } from '../../api/client';
import type { TeacherRecord } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';

/**
 * 教师培训档案: a teacher's whole training history on one page, printable (print styles hide the frame) and as a
 * PDF. `/teachers/:id/record` for administrators (audited on the server), `/my-record` for the teacher.
 */
export default function TeacherRecordPage() {
  const { id } = useParams();
  const { me } = useAuth();
  const teacherId = id ? Number(id) : (me?.teacher_id ?? undefined);
  const valid = teacherId !== undefined && Number.isInteger(teacherId) && teacherId > 0;
  const record = useQuery({
    queryKey: ['teacher-record', teacherId],
    queryFn: () => unwrap(api.GET('/api/teachers/{id}/record', { params: { path: { id: teacherId! } } })),
    enabled: valid,
  });
  if (!valid) return <NotFoundResult />;
  if (record.isPending) return <Loading />;
  if (record.error) return <ErrorState error={record.error} onRetry={() => record.refetch()} />;
  return <RecordView record={record.data} teacherId={teacherId!} />;
}

function RecordView({ record: r, teacherId }: { record: TeacherRecord; teacherId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const pdf = async () => {
    setBusy(true);
    try {
      await downloadFile(`/api/teachers/${teacherId}/record/pdf`, {}, `teacher-record-${teacherId}.pdf`);
      message.success(t('export.done'));
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  const hours = (v: number) => v.toFixed(1);
  return (
    <Page
      title={t('record.title', { name: r.teacher.name })}
      subTitle={r.teacher.school_name}
      extra={
        <Space className="no-print">
          <Button icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="record-print">
            {t('record.print')}
          </Button>
          <Button icon={<FilePdfOutlined />} loading={busy} onClick={pdf} data-testid="record-pdf">
            {t('record.pdf')}
          </Button>
        </Space>
      }
    >
      <Space direction="vertical" size={12} style={{ width: '100%' }} className="teacher-record">
        <Card title={t('record.teacher')} size="small">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('teachers.name')}>{r.teacher.name}</Descriptions.Item>
            <Descriptions.Item label={t('teachers.idCard')}>{r.teacher.id_card_masked}</Descriptions.Item>
            <Descriptions.Item label={t('teachers.subject')}>{r.teacher.subject}</Descriptions.Item>
          </Descriptions>
        </Card>
        <Card title={t('record.cycles')} size="small" data-testid="record-cycles">
          {r.cycles.map((c) => (
            <div key={c.cycle_start}>
              {c.cycle_start}–{c.cycle_end}：{hours(c.hours)} / {c.required_hours}
              <Progress
                aria-label={t('record.cycleProgress', { from: c.cycle_start, to: c.cycle_end })}
                percent={Math.min(100, Math.round((c.hours / c.required_hours) * 100))}
                status={c.complete ? 'success' : 'active'}
              />
            </div>
          ))}
        </Card>
        <RecordSection
            heading={t('record.programs')}
            rowKey="enrollment_id"
            dataSource={r.programs}
            data-testid="record-programs"
            columns={[
              { title: t('record.year'), dataIndex: 'year', width: 80 },
              { title: t('record.program'), dataIndex: 'program_name' },
              { title: t('record.level'), dataIndex: 'level', render: (v: string) => t(`programLevel.${v}`) },
              { title: t('record.review'), dataIndex: 'review_status', render: (v: string) => t(`reviewStatus.${v}`) },
              { title: t('record.training'), dataIndex: 'training_status', render: (v: string) => t(`trainingStatus.${v}`) },
              { title: t('record.countedHours'), dataIndex: 'counted_hours', align: 'right', render: hours },
            ]}
          />
        <RecordSection
            heading={t('record.hours')}
            rowKey="id"
            dataSource={r.hours}
            data-testid="record-hours"
            columns={[
              { title: t('record.date'), dataIndex: 'occurred_on', width: 110 },
              { title: t('record.category'), dataIndex: 'category', render: (v: string) => t(`hourCategory.${v}`) },
              { title: t('record.hoursColumn'), dataIndex: 'hours', align: 'right', render: hours },
              { title: t('record.source'), dataIndex: 'source', render: (v: string) => t(`hourSource.${v}`) },
              { title: t('record.status'), dataIndex: 'status', render: (v: string) => t(`hourStatus.${v}`) },
              { title: t('record.program'), dataIndex: 'program_name' },
            ]}
          />
        <RecordSection
            heading={t('record.certificates')}
            rowKey="number"
            dataSource={r.certificates}
            data-testid="record-certificates"
            columns={[
              { title: t('record.number'), dataIndex: 'number' },
              { title: t('record.program'), dataIndex: 'program_name' },
              { title: t('record.date'), dataIndex: 'issued_at', render: (v: string) => v.slice(0, 10) },
              {
                title: t('record.pdf'),
                key: 'pdf',
                render: (_, c) => (
                  <Space>
                    {c.revoked && <Tag color="red">{t('certificateStatus.revoked')}</Tag>}
                    <Button
                      size="small"
                      type="link"
                      onClick={() => downloadFile(c.pdf_url, {}, `certificate-${c.number}.pdf`).catch((e) => message.error(errorText(t, e)))}
                    >
                      PDF
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        <RecordSection
            heading={t('record.quizzes')}
            rowKey={(q) => `${q.quiz_title}-${q.attempt_no}`}
            dataSource={r.quizzes}
            columns={[
              { title: t('record.quiz'), dataIndex: 'quiz_title' },
              { title: t('record.attempt'), dataIndex: 'attempt_no', width: 80 },
              { title: t('record.status'), dataIndex: 'status', render: (v: string) => t(`attemptStatus.${v}`) },
              { title: t('record.score'), dataIndex: 'score', align: 'right' },
              { title: t('record.passed'), dataIndex: 'passed', render: (v?: boolean) => (v === undefined ? '' : v ? '✓' : '✗') },
            ]}
          />
        <RecordSection
            heading={t('record.competencies')}
            rowKey={(c) => `${c.year}-${c.code}`}
            dataSource={r.competencies}
            columns={[
              { title: t('record.year'), dataIndex: 'year', width: 80 },
              { title: t('record.code'), dataIndex: 'code' },
              { title: t('record.schoolGrade'), dataIndex: 'school_grade', render: (v?: string) => (v ? t(`competency.grade.${v}`) : '') },
              { title: t('record.finalGrade'), dataIndex: 'final_grade', render: (v?: string) => (v ? t(`competency.grade.${v}`) : '') },
            ]}
          />
        <RecordSection
            heading={t('record.lessons')}
            rowKey="id"
            dataSource={r.lessons}
            data-testid="record-lessons"
            columns={[
              { title: t('record.year'), dataIndex: 'year', width: 80 },
              { title: t('record.lesson'), dataIndex: 'title' },
              { title: t('record.status'), dataIndex: 'status', render: (v: string) => t(`lessons.status.${v}`) },
              {
                title: t('record.awards'),
                key: 'awards',
                render: (_, l) => l.awards.map((a, i) => <Tag key={i}>{t(`lessons.award.${a}`)}</Tag>),
              },
            ]}
          />
      </Space>
    </Page>
  );
}

/** One part of the record: a titled card with a compact table of all its rows (the record is printed whole). */
function RecordSection<T extends object>({ heading, ...table }: { heading: string } & Omit<TableProps<T>, 'title'>) {
  return (
    <Card title={heading} size="small">
      <Table<T> size="small" pagination={false} {...table} />
    </Card>
  );
}
