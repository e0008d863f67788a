import { useRef, useState } from 'react';
import { App, Badge, Form, Input, Modal, Typography, type UploadFile } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { Schemas } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import FileUpload, { uploadedIds } from '../../components/FileUpload';
import type { FileView } from '../../api/types';
import { standing } from './rules';
import { toTableResult } from '../../components/table';

type Mine = Schemas['MyCourseworkView'];

/** A teacher's coursework: deadline, hours on pass, where they stand; submit (again) before the deadline. */
export default function MyCoursework() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [submitting, setSubmitting] = useState<Mine | undefined>();
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ body: string; attachments?: UploadFile<FileView>[] }>();

  const columns: ProColumns<Mine>[] = [
    { title: t('coursework.title'), dataIndex: ['assignment', 'title'], ellipsis: true },
    { title: t('coursework.deadline'), dataIndex: ['assignment', 'deadline'], width: 150, render: (_, r) => dayjs(r.assignment.deadline).format('YYYY-MM-DD HH:mm') },
    { title: t('coursework.hours'), dataIndex: ['assignment', 'hours'], width: 130, render: (_, r) => `${r.assignment.hours} · ${t(`hourCategory.${r.assignment.category}`)}` },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 150,
      render: (_, r) => (
        <Badge
          status={r.status === 'graded' ? (r.passed ? 'success' : 'error') : r.status === 'submitted' ? 'processing' : 'default'}
          text={`${t(standing(r.status, r.passed))}${r.score !== undefined && r.score !== null ? ` · ${r.score}` : ''}`}
        />
      ),
    },
    { title: t('coursework.submissions'), dataIndex: 'submissions', width: 90, align: 'right' },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 110,
      render: (_, r) =>
        dayjs(r.assignment.deadline).isAfter(dayjs()) && !(r.status === 'graded' && r.passed) ? (
          <Typography.Link onClick={() => setSubmitting(r)} data-testid={`submit-coursework-${r.assignment.id}`}>
            {r.submissions > 0 ? t('coursework.resubmit') : t('coursework.submit')}
          </Typography.Link>
        ) : null,
    },
  ];

  return (
    <>
      <ListTable<Mine>
        rowKey={(r) => r.assignment.id}
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/my/coursework', { params: { query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('coursework.mine')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('coursework.empty')}</Typography.Text> }}
        expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.assignment.instructions}</Typography.Paragraph> }}
        scroll={{ x: 800 }}
      />
      <Modal
        open={!!submitting}
        title={submitting?.assignment.title}
        okText={t('coursework.submit')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setSubmitting(undefined)}
        onOk={async () => {
          if (!submitting) return;
          const { body, attachments } = await form.validateFields();
          if (attachments?.some((f) => f.status === 'uploading')) {
            form.setFields([{ name: 'attachments', errors: [t('hours.evidenceUploading')] }]);
            return;
          }
          setBusy(true);
          try {
            await unwrap(api.POST('/api/assignments/{id}/submissions', { params: { path: { id: submitting.assignment.id } }, body: { body: body.trim(), attachments: uploadedIds(attachments) } }));
            message.success(t('coursework.submitted'));
            setSubmitting(undefined);
            actionRef.current?.reload();
          } catch (e) {
            if (!applyFieldErrors(form, e, ['body'])) message.error(errorText(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap' }}>
          {submitting?.assignment.instructions}
        </Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item label={t('coursework.body')} name="body" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea rows={8} maxLength={50000} showCount />
          </Form.Item>
          <Form.Item label={t('coursework.attachments')} name="attachments" valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList}>
            <FileUpload purpose="coursework" testId="coursework-upload" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
