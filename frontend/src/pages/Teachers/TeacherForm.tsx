import { useEffect, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Teacher, TeacherInput } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { SUBJECTS, stageOptions } from '../../components/reference';

const FIELDS = ['name', 'school_id', 'id_card', 'phone', 'email', 'teacher_number', 'stage', 'subject', 'title', 'education', 'teaching_years'];
const ID_CARD = /^\d{17}[\dXx]$/;

/** School picker that searches the caller's schools on the server. */
export function SchoolPicker({ value, onChange, initialLabel, id }: { value?: number; onChange?: (v: number) => void; initialLabel?: string; id?: string }) {
  const { t } = useTranslation();
  const [keyword, setKeyword] = useState('');
  const { data, isFetching } = useQuery({
    queryKey: ['schools', 'picker', keyword],
    queryFn: () => unwrap(api.GET('/api/schools', { params: { query: { keyword: keyword || undefined, page: 1, page_size: 20, active: true } } })),
  });
  const options = (data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }));
  if (value && initialLabel && !options.some((o) => o.value === value)) options.unshift({ value, label: initialLabel });
  return (
    <Select
      id={id}
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={setKeyword}
      loading={isFetching}
      options={options}
      placeholder={t('teachers.schoolSearch')}
      notFoundContent={isFetching ? t('common.loading') : t('common.noMatch')}
    />
  );
}

export default function TeacherForm({ open, teacher, onClose, onSaved }: { open: boolean; teacher?: Teacher; onClose: () => void; onSaved: (t: Teacher) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TeacherInput>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (teacher) form.setFieldsValue({ ...teacher, id_card: undefined, phone: undefined } as Partial<TeacherInput>);
    }
  }, [open, teacher, form]);

  const submit = async () => {
    const values = await form.validateFields();
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== '')) as TeacherInput;
    setBusy(true);
    try {
      const saved = teacher
        ? await unwrap(api.PUT('/api/teachers/{id}', { params: { path: { id: teacher.id } }, body }))
        : await unwrap(api.POST('/api/teachers', { body }));
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, e, FIELDS)) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Modal
      open={open}
      title={t(teacher ? 'teachers.edit' : 'teachers.create')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={640}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', columnGap: 16 }}>
          <Form.Item label={t('teachers.name')} name="name" rules={[required]}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item label={t('teachers.teacherNumber')} name="teacher_number">
            <Input maxLength={32} />
          </Form.Item>
          <Form.Item label={t('teachers.school')} name="school_id" rules={[required]} style={{ gridColumn: '1 / span 2' }}>
            <SchoolPicker initialLabel={teacher?.school_name} />
          </Form.Item>
          <Form.Item
            label={t('teachers.idCard')}
            name="id_card"
            extra={teacher ? t('teachers.idCardReenter') : t('teachers.idCardHelp')}
            rules={[required, { pattern: ID_CARD, message: t('teachers.idCardInvalid') }]}
          >
            <Input className="mono" maxLength={18} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('teachers.phone')} name="phone" extra={teacher ? t('teachers.phoneReenter') : undefined} rules={[{ pattern: /^1\d{10}$/, message: t('teachers.phoneInvalid') }]}>
            <Input className="mono" maxLength={11} autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('teachers.email')} name="email" rules={[{ type: 'email', message: t('validation.email') }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('teachers.stage')} name="stage" rules={[required]}>
            <Select options={stageOptions(t)} />
          </Form.Item>
          <Form.Item label={t('teachers.subject')} name="subject" rules={[required]}>
            <Select showSearch options={SUBJECTS.map((s) => ({ value: s, label: t(`subject.${s}`, { defaultValue: s }) }))} />
          </Form.Item>
          <Form.Item label={t('teachers.title')} name="title">
            <Input />
          </Form.Item>
          <Form.Item label={t('teachers.education')} name="education">
            <Input />
          </Form.Item>
          <Form.Item label={t('teachers.teachingYears')} name="teaching_years">
            <InputNumber min={0} max={60} style={{ width: '100%' }} />
          </Form.Item>
        </div>
      </Form>
    </Modal>
  );
}
