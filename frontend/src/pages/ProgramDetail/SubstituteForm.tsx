import { useEffect, useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Enrollment } from '../../api/types';
import TeacherPicker from '../../components/TeacherPicker';
import { applyFieldErrors, errorText } from '../../components/errors';

/** 替换: an approved enrolment's seat goes to another teacher of the same school (the server checks who may). */
export default function SubstituteForm({ enrollment, onClose, onSaved }: { enrollment?: Enrollment; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ teacher_id: number; reason: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (enrollment) form.resetFields();
  }, [enrollment, form]);

  const submit = async () => {
    if (!enrollment) return;
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.POST('/api/enrollments/{id}/substitute', { params: { path: { id: enrollment.id } }, body: { teacher_id: v.teacher_id, reason: v.reason.trim() } }));
      message.success(t('programs.substituted'));
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['teacher_id', 'reason'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={!!enrollment}
      title={t('programs.substituteTitle')}
      okText={t('programs.substitute')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {enrollment?.teacher_name} · {enrollment?.school_name}
        <br />
        {t('programs.substituteHelp')}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('programs.substituteTeacher')} name="teacher_id" rules={[{ required: true, message: t('validation.required') }]}>
          <TeacherPicker />
        </Form.Item>
        <Form.Item label={t('common.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('validation.reasonRequired') }]}>
          <Input.TextArea maxLength={500} rows={3} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
