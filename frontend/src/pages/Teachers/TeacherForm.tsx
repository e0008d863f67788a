import { useEffect, useState } from 'react';
import { App, Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Teacher, TeacherInput, TeacherUpdate } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { SUBJECTS, stageOptions } from '../../components/reference';

const FIELDS = ['name', 'school_id', 'id_card', 'phone', 'email', 'teacher_number', 'stage', 'subject', 'title', 'education', 'teaching_years'];
const ID_CARD = /^\d{17}[\dXx]$/;
const PHONE = /^1\d{10}$/;

/** The form's values: on edit, an empty `id_card` / `phone` means "keep", `remove_phone` clears the phone. */
type Values = TeacherInput & { remove_phone?: boolean };

/**
 * The request body. Empty optional fields are left out; on edit the ID number and phone are sent only when the
 * editor typed a new one (absent = the server keeps the stored value), and `phone: ""` removes the phone.
 */
export function teacherBody(values: Values, editing: boolean): TeacherInput | TeacherUpdate {
  const { remove_phone, ...rest } = values;
  const body = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined && v !== null && v !== '')) as TeacherUpdate;
  if (editing && remove_phone) body.phone = '';
  return body;
}

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
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const removePhone = Form.useWatch('remove_phone', form);

  useEffect(() => {
    if (open) {
      form.resetFields();
      if (teacher) {
        const { id_card_masked: _i, phone_masked: _p, ...rest } = teacher;
        form.setFieldsValue({ ...rest, id_card: undefined, phone: undefined, remove_phone: false } as Partial<Values>);
      }
    }
  }, [open, teacher, form]);
  useEffect(() => {
    if (removePhone) form.setFields([{ name: 'phone', value: undefined, errors: [] }]);
  }, [removePhone, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const saved = teacher
        ? await unwrap(api.PUT('/api/teachers/{id}', { params: { path: { id: teacher.id } }, body: teacherBody(values, true) as TeacherUpdate }))
        : await unwrap(api.POST('/api/teachers', { body: teacherBody(values, false) as TeacherInput }));
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
          {teacher ? (
            <>
              <Form.Item label={t('teachers.idCardCurrent')} htmlFor="teacher-id-card-current">
                <Input id="teacher-id-card-current" className="mono" value={teacher.id_card_masked} readOnly variant="filled" data-testid="id-card-current" />
              </Form.Item>
              <Form.Item
                label={t('teachers.idCardChange')}
                name="id_card"
                extra={t('teachers.keepHint')}
                rules={[{ pattern: ID_CARD, message: t('teachers.idCardInvalid') }]}
              >
                <Input className="mono" maxLength={18} autoComplete="off" placeholder={t('teachers.keepPlaceholder')} />
              </Form.Item>
              <Form.Item label={t('teachers.phoneCurrent')} htmlFor="teacher-phone-current">
                <Input
                  id="teacher-phone-current"
                  className="mono"
                  value={removePhone ? t('teachers.phoneWillBeRemoved') : teacher.phone_masked || t('teachers.notSet')}
                  readOnly
                  variant="filled"
                  data-testid="phone-current"
                />
              </Form.Item>
              <Form.Item label={t('teachers.phoneChange')} htmlFor="phone" style={{ marginBottom: 0 }}>
                <Form.Item
                  name="phone"
                  extra={removePhone ? undefined : t('teachers.keepHint')}
                  rules={removePhone ? [] : [{ pattern: PHONE, message: t('teachers.phoneInvalid') }]}
                  style={{ marginBottom: 4 }}
                >
                  <Input className="mono" maxLength={11} autoComplete="off" disabled={removePhone} placeholder={t('teachers.keepPlaceholder')} />
                </Form.Item>
                {teacher.phone_masked && (
                  <Form.Item name="remove_phone" valuePropName="checked" style={{ marginBottom: 16 }}>
                    <Checkbox>
                      {t('teachers.phoneRemove')}
                    </Checkbox>
                  </Form.Item>
                )}
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item
                label={t('teachers.idCard')}
                name="id_card"
                extra={t('teachers.idCardHelp')}
                rules={[required, { pattern: ID_CARD, message: t('teachers.idCardInvalid') }]}
              >
                <Input className="mono" maxLength={18} autoComplete="off" />
              </Form.Item>
              <Form.Item label={t('teachers.phone')} name="phone" rules={[{ pattern: PHONE, message: t('teachers.phoneInvalid') }]}>
                <Input className="mono" maxLength={11} autoComplete="off" />
              </Form.Item>
            </>
          )}
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
