import { useEffect, useState } from 'react';
import { App, Form, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import ScopePicker from '../../components/ScopePicker';

interface Values {
  node_code: string;
  seats: number;
}

/** Give (or change) a child node's seats: PUT /api/programs/{id}/quotas/{node_code}. */
export default function QuotaForm({ programId, open, onClose, onSaved }: { programId: number; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) form.resetFields();
  }, [open, form]);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(api.PUT('/api/programs/{id}/quotas/{node_code}', { params: { path: { id: programId, node_code: v.node_code.trim() } }, body: { seats: v.seats } }));
      message.success(t('common.saved'));
      onSaved();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['node_code', 'seats'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const required = { required: true, message: t('validation.required') };
  return (
    <Modal open={open} title={t('programs.allocateTitle')} onCancel={onClose} onOk={submit} confirmLoading={busy} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('programs.nodeCode')} name="node_code" extra={t('programs.nodeCodeHelp')} rules={[required]}>
          <ScopePicker data-testid="quota-node" />
        </Form.Item>
        <Form.Item label={t('programs.quotaSeats')} name="seats" rules={[required]}>
          <InputNumber min={0} max={10000000} precision={0} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
