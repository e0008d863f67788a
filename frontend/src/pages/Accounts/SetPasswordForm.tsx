import { useEffect, useState } from 'react';
import { Alert, App, Form, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Account } from '../../api/types';
import PasswordFields from '../../components/PasswordFields';
import { applyFieldErrors, errorText } from '../../components/errors';

interface Values {
  new_password: string;
  confirm: string;
}

/**
 * An admin sets a new password for an account they manage (POST /api/accounts/{id}/password → 204).
 * Asks for confirmation first, because every session of that account ends; the server's policy errors
 * (422, field `new_password`) appear on the field.
 */
export default function SetPasswordForm({ account, onClose }: { account?: Account; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const name = account ? `${account.display_name} (${account.username})` : '';

  useEffect(() => {
    if (account) form.resetFields();
  }, [account, form]);

  const save = async (id: number, values: Values) => {
    setBusy(true);
    try {
      await unwrap(api.POST('/api/accounts/{id}/password', { params: { path: { id } }, body: { new_password: values.new_password } }));
      message.success(t('accounts.passwordSet'));
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['new_password'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!account) return;
    const values = await form.validateFields();
    modal.confirm({
      title: t('accounts.setPassword'),
      content: t('accounts.setPasswordConfirm', { name }),
      okText: t('accounts.setPasswordOk'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true },
      onOk: () => save(account.id, values),
    });
  };

  return (
    <Modal
      open={!!account}
      title={t('accounts.setPasswordTitle', { name })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={t('accounts.setPasswordOk')}
      cancelText={t('common.cancel')}
      destroyOnHidden
      width={480}
    >
      <Alert type="warning" showIcon message={t('accounts.setPasswordNotice')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" preserve={false} autoComplete="off">
        <PasswordFields />
      </Form>
    </Modal>
  );
}
