import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, type UploadFile } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, unwrap } from '../../api/client';
import FileUpload, { MAX_FILE_BYTES, MAX_FILES, uploadedIds } from '../../components/FileUpload';
import type { FileView, HourCategory, HourEntry, HourEntryInput } from '../../api/types';
import { ApiError } from '../../api/problem';
import { useAuth } from '../../auth/AuthContext';
import { errorText } from '../../components/errors';
import { CATEGORIES, MAX_HOURS, MIN_HOURS, hourFormField, hoursProblem, isFutureDate } from './rules';

/** What `POST /api/files` answers. */
export type StoredFile = FileView;

interface Values {
  category: HourCategory;
  hours: number;
  occurred_on: Dayjs;
  program_id?: number;
  note?: string;
  evidence: UploadFile<StoredFile>[];
}

const FIELDS = ['category', 'hours', 'occurred_on', 'program_id', 'note', 'evidence'];

/** Form values → the API body; `evidence` are the ids the upload endpoint returned. */
export function toSupplementInput(v: Values, enrollmentId?: number): HourEntryInput {
  const body: HourEntryInput = {
    category: v.category,
    hours: Number(v.hours),
    occurred_on: v.occurred_on.format('YYYY-MM-DD'),
    source: 'supplement',
    evidence: uploadedIds(v.evidence),
  };
  if (v.note?.trim()) body.note = v.note.trim();
  if (enrollmentId) body.enrollment_id = enrollmentId;
  return body;
}

/** 补录: a teacher files hours of outside training with evidence files; the school or county approves them. */
export default function SupplementForm({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (e: HourEntry) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const { me } = useAuth();

  const programs = useQuery({
    queryKey: ['programs', 'for-hours'],
    queryFn: () => unwrap(api.GET('/api/programs', { params: { query: { page: 1, page_size: 100 } } })),
    enabled: open,
  });

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  /** The caller's approved enrolment in the chosen program, which the hours then count towards. */
  const enrollmentIn = async (programId: number): Promise<number> => {
    const page = await unwrap(api.GET('/api/programs/{id}/enrollments', { params: { path: { id: programId }, query: { status: 'approved', page: 1, page_size: 100 } } }));
    const mine = page.items.find((e) => e.teacher_id === me?.teacher_id);
    if (!mine) throw new ApiError({ status: 422, code: 'validation_failed', errors: [{ field: 'program_id', message: t('hours.noEnrollment') }] });
    return mine.id;
  };

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const enrollmentId = values.program_id ? await enrollmentIn(values.program_id) : undefined;
      const saved = await unwrap(api.POST('/api/hours', { body: toSupplementInput(values, enrollmentId) }));
      message.success(t('hours.filed'));
      onSaved(saved);
    } catch (e) {
      const fields = e instanceof ApiError ? (e.problem.errors ?? []).map((fe) => ({ name: hourFormField(fe.field) as keyof Values, errors: [fe.message] })).filter((f) => FIELDS.includes(f.name)) : [];
      if (fields.length) form.setFields(fields);
      else message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('hours.supplementTitle')}
      okText={t('hours.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ evidence: [] }}>
        <Form.Item label={t('hours.category')} name="category" rules={[{ required: true, message: t('validation.required') }]}>
          <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`hourCategory.${c}`) }))} />
        </Form.Item>
        <Form.Item
          label={t('hours.hours')}
          name="hours"
          extra={t('hours.hoursHelp')}
          rules={[
            {
              validator: (_, v) => {
                const p = hoursProblem(v);
                return p ? Promise.reject(new Error(t(`hours.hoursInvalid.${p}`, { min: MIN_HOURS, max: MAX_HOURS }))) : Promise.resolve();
              },
            },
          ]}
        >
          <InputNumber min={MIN_HOURS} max={MAX_HOURS} step={0.5} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label={t('hours.date')}
          name="occurred_on"
          rules={[
            { required: true, message: t('validation.required') },
            { validator: (_, v: Dayjs | undefined) => (isFutureDate(v) ? Promise.reject(new Error(t('hours.dateFuture'))) : Promise.resolve()) },
          ]}
        >
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => isFutureDate(d, dayjs())} />
        </Form.Item>
        <Form.Item label={t('hours.program')} name="program_id" extra={t('hours.programHelp')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            loading={programs.isPending}
            options={programs.data?.items.filter((p) => p.status !== 'draft').map((p) => ({ value: p.id, label: `${p.name}（${p.year}）` }))}
          />
        </Form.Item>
        <Form.Item label={t('hours.note')} name="note">
          <Input.TextArea maxLength={500} rows={3} showCount />
        </Form.Item>
        <Form.Item
          label={t('hours.evidence')}
          name="evidence"
          valuePropName="fileList"
          getValueFromEvent={(e: { fileList: UploadFile[] }) => e.fileList}
          extra={t('hours.evidenceHelp', { count: MAX_FILES, mb: MAX_FILE_BYTES / 1024 / 1024 })}
          rules={[
            {
              validator: (_, files: UploadFile<StoredFile>[] | undefined) => {
                if (files?.some((f) => f.status === 'uploading')) return Promise.reject(new Error(t('hours.evidenceUploading')));
                if (!files?.some((f) => f.status === 'done')) return Promise.reject(new Error(t('hours.evidenceRequired')));
                return Promise.resolve();
              },
            },
          ]}
        >
          <FileUpload purpose="evidence" testId="evidence-upload" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
