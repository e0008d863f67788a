import { useState } from 'react';
import { App, Badge, Drawer, Form, Input, InputNumber, Modal, Radio, Space, Table, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import { Attachments } from './parts';
import { byTeacher, gradeProblem, type GradeValues, type TeacherSubmissions } from './rules';
import { failedTableProps } from '../../components/States';

type Assignment = Schemas['AssignmentView'];
type Submission = Schemas['SubmissionView'];

/** 通过 · 86 with the tutor's comment, or 待批改. */
export function Verdict({ s }: { s: Submission }) {
  const { t } = useTranslation();
  if (!s.graded_at) return <Badge status="processing" text={t('classes.ungraded')} />;
  return (
    <>
      <Badge status={s.passed ? 'success' : 'error'} text={`${t(s.passed ? 'classes.passed' : 'classes.failed')} · ${s.score}`} />
      {s.comment && (
        <Typography.Text type="secondary" style={{ display: 'block', whiteSpace: 'pre-wrap' }}>
          {s.comment}
        </Typography.Text>
      )}
    </>
  );
}

/** Submissions of one assignment, the newest of each teacher graded, earlier ones kept as history. */
export default function Submissions({ assignment, onClose }: { assignment: Assignment | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const [grading, setGrading] = useState<Submission | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['assignment', assignment?.id, 'submissions'],
    // History needs every submission of a teacher together, so the list is read whole (a class is a few dozen).
    queryFn: () => unwrap(api.GET('/api/assignments/{id}/submissions', { params: { path: { id: assignment!.id }, query: { page: 1, page_size: 500 } } })),
    enabled: !!assignment,
  });
  const groups = byTeacher(list.data?.items ?? []);

  const columns = [
    { title: t('classes.teacher'), key: 'teacher', width: 110, render: (_: unknown, g: TeacherSubmissions) => g.teacherName },
    { title: t('classes.submittedAt'), key: 'at', width: 140, render: (_: unknown, g: TeacherSubmissions) => dayjs(g.latest.submitted_at).format('YYYY-MM-DD HH:mm') },
    {
      title: t('classes.body'),
      key: 'body',
      render: (_: unknown, g: TeacherSubmissions) => (
        <>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={{ rows: 3, expandable: true, symbol: t('classes.more') }}>
            {g.latest.body}
          </Typography.Paragraph>
          <Attachments ids={g.latest.attachments} testId={`attachment-${g.latest.id}`} />
        </>
      ),
    },
    { title: t('classes.grade'), key: 'grade', width: 180, render: (_: unknown, g: TeacherSubmissions) => <Verdict s={g.latest} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 90,
      render: (_: unknown, g: TeacherSubmissions) => (
        <Typography.Link onClick={() => setGrading(g.latest)} data-testid={`grade-${g.latest.id}`}>
          {g.latest.graded_at ? t('classes.regrade') : t('classes.gradeAction')}
        </Typography.Link>
      ),
    },
  ];

  return (
    <Drawer open={!!assignment} onClose={onClose} width={960} title={assignment ? t('classes.submissionsOf', { title: assignment.title }) : ''} destroyOnHidden>
      <Table<TeacherSubmissions>
        rowKey="teacherId"
        columns={columns}
        dataSource={groups}
        loading={list.isLoading}
        pagination={{ ...page, total: groups.length, showSizeChanger: true, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('classes.noSubmissions')}</Typography.Text> }}
        expandable={{
          rowExpandable: (g) => g.history.length > 0,
          expandedRowRender: (g) => (
            <Space direction="vertical" style={{ width: '100%' }} data-testid={`history-${g.teacherId}`}>
              <Typography.Text strong>{t('classes.history', { count: g.history.length })}</Typography.Text>
              {g.history.map((h) => (
                <div key={h.id} style={{ borderLeft: '2px solid #d9d9d9', paddingLeft: 8 }}>
                  <Typography.Text type="secondary">{dayjs(h.submitted_at).format('YYYY-MM-DD HH:mm')}</Typography.Text>
                  <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={{ rows: 2, expandable: true, symbol: t('classes.more') }}>
                    {h.body}
                  </Typography.Paragraph>
                  <Attachments ids={h.attachments} />
                  <Verdict s={h} />
                </div>
              ))}
            </Space>
          ),
        }}
        scroll={{ x: 800 }}
        size="small"
        {...failedTableProps(list)}
      />
      <GradeForm submission={grading} onClose={() => setGrading(undefined)} />
    </Drawer>
  );
}

function GradeForm({ submission, onClose }: { submission: Submission | undefined; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<GradeValues>();
  const [busy, setBusy] = useState(false);
  const passed = Form.useWatch('passed', form);

  const save = async () => {
    const v = await form.validateFields();
    const problem = gradeProblem(v);
    if (problem) {
      form.setFields([{ name: problem, errors: [t(`classes.gradeProblem.${problem}`)] }]);
      return;
    }
    setBusy(true);
    try {
      await unwrap(api.POST('/api/submissions/{id}/grade', { params: { path: { id: submission!.id } }, body: { score: v.score!, passed: v.passed!, comment: v.comment?.trim() || undefined } }));
      message.success(t('classes.gradedToast'));
      await qc.invalidateQueries({ queryKey: ['assignment', submission!.assignment_id, 'submissions'] });
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['score', 'passed', 'comment'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!submission}
      title={submission ? t('classes.gradeTitle', { name: submission.teacher_name }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => void save().catch(() => undefined)}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={submission?.graded_at ? { score: submission.score, passed: submission.passed, comment: submission.comment } : undefined}
      >
        <Form.Item label={t('classes.score')} name="score" rules={[{ required: true, message: t('classes.gradeProblem.score') }]}>
          <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item label={t('classes.verdict')} name="passed"
          // A validator rather than `required`: antd would put aria-required on the group's plain <div> (not allowed there).
          rules={[{ validator: (_, v) => (v === undefined ? Promise.reject(new Error(t('classes.gradeProblem.passed'))) : Promise.resolve()) }]}
        >
          <Radio.Group
            options={[
              { value: true, label: t('classes.passed') },
              { value: false, label: t('classes.failed') },
            ]}
          />
        </Form.Item>
        <Form.Item
          label={t('classes.comment')}
          name="comment"
          rules={[{ required: passed === false, whitespace: true, message: t('classes.gradeProblem.comment') }, { max: 2000 }]}
          extra={passed === false ? t('classes.commentRequired') : undefined}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
