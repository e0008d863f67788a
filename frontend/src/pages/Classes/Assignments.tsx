import { useRef, useState } from 'react';
import { App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import type { HourCategory } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { CATEGORIES } from './parts';
import { validHours } from './rules';
import Submissions from './Submissions';
import { toTableResult } from '../../components/table';

type Assignment = Schemas['AssignmentView'];
interface AssignmentValues {
  title: string;
  instructions?: string;
  deadline: Dayjs;
  category: HourCategory;
  hours: number;
}

/** The class's assignments (and the program-wide ones); a title opens its submissions for grading. */
export default function Assignments({ klass, canRun }: { klass: Schemas['ClassView']; canRun: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<Assignment | undefined>();
  const [form] = Form.useForm<AssignmentValues>();

  const columns: ProColumns<Assignment>[] = [
    {
      title: t('classes.assignmentTitle'),
      dataIndex: 'title',
      ellipsis: true,
      render: (_, r) => (
        <Typography.Link onClick={() => setOpen(r)} data-testid={`open-assignment-${r.id}`}>
          {r.title}
        </Typography.Link>
      ),
    },
    { title: t('classes.deadline'), dataIndex: 'deadline', width: 150, render: (_, r) => dayjs(r.deadline).format('YYYY-MM-DD HH:mm') },
    { title: t('classes.hoursOnPass'), dataIndex: 'hours', width: 150, render: (_, r) => `${r.hours} · ${t(`hourCategory.${r.category}`)}` },
    { title: t('classes.scope'), dataIndex: 'class_id', width: 110, render: (_, r) => (r.class_id ? t('classes.thisClass') : t('classes.allClasses')) },
  ];

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/programs/{id}/assignments', {
          params: { path: { id: klass.program_id } },
          body: { class_id: klass.id, title: v.title.trim(), instructions: v.instructions?.trim() ?? '', deadline: v.deadline.toISOString(), category: v.category, hours: v.hours },
        }),
      );
      message.success(t('classes.assignmentCreated'));
      setCreating(false);
      actionRef.current?.reload();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['title', 'instructions', 'deadline', 'category', 'hours'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ListTable<Assignment>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/assignments', { params: { query: { class_id: klass.id, page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('classes.tabAssignments')}
        toolBarRender={() =>
          canRun
            ? [
                <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-assignment">
                  {t('classes.createAssignment')}
                </Button>,
              ]
            : []
        }
        locale={{ emptyText: <Typography.Text type="secondary">{t('classes.noAssignments')}</Typography.Text> }}
        expandable={{ expandedRowRender: (r) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{r.instructions || '—'}</Typography.Paragraph> }}
        scroll={{ x: 700 }}
      />
      <Modal
        open={creating}
        title={t('classes.createAssignment')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setCreating(false)}
        onOk={() => void create().catch(() => undefined)}
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ category: 'practice', hours: 2 }}>
          <Form.Item label={t('classes.assignmentTitle')} name="title" rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 128 }]}>
            <Input maxLength={128} />
          </Form.Item>
          <Form.Item label={t('classes.instructions')} name="instructions" rules={[{ max: 20000 }]}>
            <Input.TextArea rows={5} maxLength={20000} />
          </Form.Item>
          <Form.Item
            label={t('classes.deadline')}
            name="deadline"
            rules={[
              { required: true, message: t('validation.required') },
              { validator: (_, d?: Dayjs) => (!d || d.isAfter(dayjs()) ? Promise.resolve() : Promise.reject(new Error(t('classes.deadlinePast')))) },
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
          <Form.Item label={t('classes.category')} name="category" rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`hourCategory.${c}`) }))} />
          </Form.Item>
          <Form.Item
            label={t('classes.hoursOnPass')}
            name="hours"
            rules={[
              { required: true, message: t('validation.required') },
              { validator: (_, h) => (h === undefined || h === null || validHours(h, 0, 200) ? Promise.resolve() : Promise.reject(new Error(t('classes.hoursStep', { min: 0, max: 200 })))) },
            ]}
          >
            <InputNumber min={0} max={200} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Submissions assignment={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
