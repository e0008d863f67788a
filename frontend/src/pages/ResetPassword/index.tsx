import { useState } from 'react';
import { Alert, Button, Form, Result } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import AuthFrame from '../../components/AuthFrame';
import PasswordFields from '../../components/PasswordFields';
import { applyFieldErrors, errorText } from '../../components/errors';

export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [form] = Form.useForm<{ new_password: string; confirm: string }>();
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ new_password }: { new_password: string }) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/auth/reset', { body: { token, new_password } }));
      setDone(true);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['new_password'])) setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (!token) {
    body = <Result status="warning" title={t('reset.noToken')} extra={<Link to="/forgot-password">{t('reset.requestNew')}</Link>} />;
  } else if (done) {
    body = <Result status="success" title={t('reset.done')} extra={<Link to="/login">{t('common.backToLogin')}</Link>} />;
  } else {
    body = (
      <>
        {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} action={<Link to="/forgot-password">{t('reset.requestNew')}</Link>} />}
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <PasswordFields />
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('reset.submit')}
          </Button>
        </Form>
      </>
    );
  }
  return <AuthFrame title={t('reset.subtitle')}>{body}</AuthFrame>;
}
