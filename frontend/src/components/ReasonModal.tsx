import { useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, errorText } from './errors';

/**
 * Asks for a reason before a destructive or negative decision (reject, void, revoke). The danger button is the
 * confirmation; a failing `onSubmit` keeps the dialog open: a server error on `reason` lands on the field, others are toasted.
 */
export default function ReasonModal({
  open,
  title,
  okText,
  warning,
  onCancel,
  onSubmit,
}: {
  open: boolean;
  title: string;
  okText: string;
  warning?: string;
  onCancel: () => void;
  onSubmit: (reason: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true }}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onCancel}
      onOk={async () => {
        const { reason } = await form.validateFields();
        setBusy(true);
        try {
          await onSubmit(reason.trim());
        } catch (e) {
          if (!applyFieldErrors(form, e, ['reason'])) message.error(errorText(t, e));
        } finally {
          setBusy(false);
        }
      }}
    >
      {warning && <Typography.Paragraph>{warning}</Typography.Paragraph>}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('common.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('validation.reasonRequired') }]}>
          <Input.TextArea maxLength={500} rows={3} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
