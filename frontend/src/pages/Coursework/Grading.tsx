import { useRef, useState } from 'react';
import { App, Badge, Drawer, Form, Input, InputNumber, Modal, Radio, Table, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import type { Schemas } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import { gradeProblem } from './rules';
import { failedTableProps } from '../../components/States';
import { toTableResult } from '../../components/table';

type Assignment = Schemas['AssignmentView'];
type Submission = Schemas['SubmissionView'];
interface GradeValues {
  score: number;
  passed: boolean;
  comment?: string;
}

/** Tutors and program managers: the coursework they see, each assignment's submissions, grading with a comment. */
export default function Grading() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [open, setOpen] = useState<Assignment | undefined>();
  const [grading, setGrading] = useState<Submission | undefined>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<GradeValues>();

  const submissions = useQuery({
    queryKey: ['assignment', open?.id, 'submissions'],
    queryFn: () => unwrap(api.GET('/api/assignments/{id}/submissions', { params: { path: { id: open!.id }, query: { page: 1, page_size: 200 } } })),
    enabled: !!open,
  });

  const columns: ProColumns<Assignment>[] = [
    {
      title: t('coursework.title'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, r) => (
        <Typography.Link onClick={() => setOpen(r)} data-testid={`open-assignment-${r.id}`}>
          {r.title}
        </Typography.Link>
      ),
    },
    { title: t('coursework.deadline'), dataIndex: 'deadline', width: 150, render: (_, r) => dayjs(r.deadline).format('YYYY-MM-DD HH:mm') },
    { title: t('coursework.hours'), dataIndex: 'hours', width: 130, render: (_, r) => `${r.hours} · ${t(`hourCategory.${r.category}`)}` },
    { title: t('coursework.scope'), dataIndex: 'class_id', width: 120, render: (_, r) => (r.class_id ? t('coursework.oneClass', { id: r.class_id }) : t('coursework.allClasses')) },
  ];

  // Only the latest submission of each teacher is graded; older ones stay as history.
  const latest = new Set<number>();
  const seen = new Set<number>();
  for (const s of submissions.data?.items ?? []) {
    if (!seen.has(s.teacher_id)) {
      seen.add(s.teacher_id);
      latest.add(s.id);
    }
  }

  const submissionColumns = [
    { title: t('coursework.teacher'), dataIndex: 'teacher_name', width: 110 },
    { title: t('coursework.submittedAt'), dataIndex: 'submitted_at', width: 140, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
    {
      title: t('coursework.body'),
      dataIndex: 'body',
      render: (v: string, s: Submission) => (
        <>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} ellipsis={{ rows: 3, expandable: true, symbol: t('coursework.more') }}>
            {v}
          </Typography.Paragraph>
          {s.attachments.map((id, i) => (
            <Typography.Link key={id} style={{ marginInlineEnd: 12 }} onClick={() => downloadFile(`/api/files/${id}/content`, {}, `attachment-${id}`).catch((e) => message.error(errorText(t, e)))} data-testid={`attachment-${s.id}-${i}`}>
              {t('coursework.attachmentN', { n: i + 1 })}
            </Typography.Link>
          ))}
        </>
      ),
    },
    {
      title: t('coursework.grade'),
      key: 'grade',
      width: 170,
      render: (_: unknown, s: Submission) =>
        s.graded_at ? (
          <>
            <Badge status={s.passed ? 'success' : 'error'} text={`${t(s.passed ? 'coursework.passed' : 'coursework.failed')} · ${s.score}`} />
            {s.comment && (
              <Typography.Text type="secondary" style={{ display: 'block' }}>
                {s.comment}
              </Typography.Text>
            )}
          </>
        ) : latest.has(s.id) ? (
          <Typography.Link
            onClick={() => {
              form.resetFields();
              setGrading(s);
            }}
            data-testid={`grade-${s.id}`}
          >
            {t('coursework.gradeAction')}
          </Typography.Link>
        ) : (
          <Typography.Text type="secondary">{t('coursework.superseded')}</Typography.Text>
        ),
    },
  ];

  return (
    <>
      <ListTable<Assignment>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/assignments', { params: { query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('coursework.assignments')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('coursework.noAssignments')}</Typography.Text> }}
        scroll={{ x: 800 }}
      />
      <Drawer open={!!open} title={open?.title} width={880} onClose={() => setOpen(undefined)} destroyOnHidden>
        <Table<Submission>
          rowKey="id"
          size="small"
          loading={submissions.isFetching}
          dataSource={submissions.data?.items}
          columns={submissionColumns}
          pagination={false}
          locale={{ emptyText: <Typography.Text type="secondary">{t('coursework.noSubmissions')}</Typography.Text> }}
          data-testid="submissions"
          {...failedTableProps(submissions)}
        />
      </Drawer>
      <Modal
        open={!!grading}
        title={t('coursework.gradeTitle', { name: grading?.teacher_name ?? '' })}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setGrading(undefined)}
        onOk={async () => {
          if (!grading) return;
          const v = await form.validateFields();
          setBusy(true);
          try {
            await unwrap(api.POST('/api/submissions/{id}/grade', { params: { path: { id: grading.id } }, body: { score: v.score, passed: v.passed, ...(v.comment?.trim() ? { comment: v.comment.trim() } : {}) } }));
            message.success(t('coursework.graded'));
            setGrading(undefined);
            void submissions.refetch();
          } catch (e) {
            if (!applyFieldErrors(form, e, ['score', 'passed', 'comment'])) message.error(errorText(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            label={t('coursework.score')}
            name="score"
            rules={[{ validator: (_, v) => (gradeProblem(v, true, '') === 'score' ? Promise.reject(new Error(t('coursework.scoreInvalid'))) : Promise.resolve()) }]}
          >
            <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            label={t('coursework.verdict')}
            name="passed"
            // A validator rather than `required`: antd would put aria-required on the radio group's plain <div> (axe).
            rules={[{ validator: (_, v) => (typeof v === 'boolean' ? Promise.resolve() : Promise.reject(new Error(t('validation.required')))) }]}
          >
            <Radio.Group
              options={[
                { value: true, label: t('coursework.passed') },
                { value: false, label: t('coursework.failed') },
              ]}
            />
          </Form.Item>
          <Form.Item
            label={t('coursework.comment')}
            name="comment"
            dependencies={['passed']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v) => (gradeProblem(0, getFieldValue('passed'), v) === 'comment' ? Promise.reject(new Error(t('coursework.commentRequired'))) : Promise.resolve()),
              }),
            ]}
          >
            <Input.TextArea rows={4} maxLength={2000} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
