import { useState } from 'react';
import { Alert, Button, Form, Input, Result } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import AuthFrame from '../../components/AuthFrame';
import { applyFieldErrors, errorText } from '../../components/errors';

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ login: string }>();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onFinish = async ({ login }: { login: string }) => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.POST('/api/auth/forgot', { body: { login: login.trim() } }));
      setSent(true);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['login'])) setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthFrame title={t('forgot.subtitle')}>
      {sent ? (
        <Result status="success" title={t('forgot.sentTitle')} subTitle={t('forgot.sent')} extra={<Link to="/login">{t('common.backToLogin')}</Link>} />
      ) : (
        <>
          {error && <Alert type="error" showIcon message={error} role="alert" style={{ marginBottom: 16 }} />}
          <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
            <Form.Item label={t('forgot.login')} name="login" extra={t('forgot.loginHelp')} rules={[{ required: true, whitespace: true, message: t('forgot.loginRequired') }]}>
              <Input autoComplete="username" size="large" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={busy}>
              {t('forgot.submit')}
            </Button>
          </Form>
          <div style={{ marginTop: 16 }}>
            <Link to="/login">{t('common.backToLogin')}</Link>
          </div>
        </>
      )}
    </AuthFrame>
  );
}
