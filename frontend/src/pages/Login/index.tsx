import { useState } from 'react';
import { Alert, Button, Form, Input } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { makeAccess } from '../../access';
import { homePath } from '../../routes';
import AuthFrame from '../../components/AuthFrame';
import { applyFieldErrors, errorText } from '../../components/errors';
import { isApiError } from '../../api/problem';

interface LoginValues {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { login, signedIn, me } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<{ text: string; kind: 'error' | 'warning' } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (signedIn && me) return <Navigate to={from ?? homePath(makeAccess(me.permissions), me.roles)} replace />;

  const onFinish = async ({ username, password }: LoginValues) => {
    setError(null);
    setSubmitting(true);
    try {
      const who = await login(username.trim(), password);
      navigate(from ?? homePath(makeAccess(who.permissions), who.roles), { replace: true });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['username', 'password'])) {
        const locked = isApiError(e) && (e.code === 'account_locked' || e.code === 'rate_limited');
        setError({ text: errorText(t, e), kind: locked ? 'warning' : 'error' });
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <AuthFrame title={t('login.subtitle')}>
      {error && <Alert type={error.kind} showIcon message={error.text} role="alert" data-testid="login-error" style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false} autoComplete="on">
        <Form.Item label={t('login.username')} name="username" rules={[{ required: true, whitespace: true, message: t('login.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" size="large" />
        </Form.Item>
        <Form.Item label={t('login.password')} name="password" rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
          {t('login.submit')}
        </Button>
      </Form>
      <div style={{ marginTop: 16, textAlign: 'right' }}>
        <Link to="/forgot-password">{t('login.forgot')}</Link>
      </div>
    </AuthFrame>
  );
}
