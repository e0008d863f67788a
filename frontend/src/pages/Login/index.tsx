import { useState } from 'react';
import { Alert, App, Button, Form, Input } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/AuthContext';
import { homePath } from '../../routes';
import AuthFrame from '../../components/AuthFrame';
import { applyFieldErrors, errorText } from '../../components/errors';
import { isApiError } from '../../api/problem';
import type { Me } from '../../api/types';

interface LoginValues {
  username: string;
  password: string;
}

/** The notice after a sign-in: when and from where I signed in before, and failed attempts since. */
export function lastSignInText(t: TFunction, me: Me): string | null {
  const s = me.session;
  if (!s?.previous_sign_in) return null;
  const previous = t('login.lastSignIn', { at: dayjs(s.previous_sign_in.at).format('YYYY-MM-DD HH:mm'), ip: s.previous_sign_in.ip });
  return s.failed_sign_ins_since > 0 ? `${previous} ${t('login.failedSince', { count: s.failed_sign_ins_since })}` : previous;
}

/** How many more failed sign-ins the server allows before it locks this client out, if it said so. */
export function attemptsLeftText(t: TFunction, e: unknown): string | null {
  if (!isApiError(e) || e.code !== 'invalid_credentials') return null;
  const left = e.problem.params?.remaining_attempts;
  if (typeof left !== 'number') return null;
  return left > 0 ? t('login.attemptsLeft', { count: left }) : t('login.attemptsExhausted');
}

export default function LoginPage() {
  const { t } = useTranslation();
  const { login, loginSecondFactor, signedIn, me } = useAuth();
  const { notification } = App.useApp();
  const [challenge, setChallenge] = useState<string | null>(null);
  const [codeForm] = Form.useForm<{ code: string }>();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginValues>();
  const [error, setError] = useState<{ text: string; kind: 'error' | 'warning' } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const from = (location.state as { from?: string } | null)?.from;

  if (signedIn && me) return <Navigate to={from ?? homePath()} replace />;

  const enter = (who: Me) => {
    const notice = lastSignInText(t, who);
    if (notice) {
      const failed = (who.session?.failed_sign_ins_since ?? 0) > 0;
      notification.open({
        type: failed ? 'warning' : 'info',
        message: t('login.lastSignInTitle'),
        description: <span data-testid="last-sign-in">{notice}</span>,
        duration: 8,
        // Bottom right: the first page's own controls (its header's pickers sit top right) stay reachable.
        placement: 'bottomRight',
      });
    }
    navigate(from ?? homePath(), { replace: true });
  };

  const showError = (e: unknown) => {
    const locked = isApiError(e) && (e.code === 'account_locked' || e.code === 'rate_limited');
    const left = attemptsLeftText(t, e);
    setError({ text: left ? `${errorText(t, e)}${t('login.separator')}${left}` : errorText(t, e), kind: locked || left ? 'warning' : 'error' });
  };

  const onFinish = async ({ username, password }: LoginValues) => {
    setError(null);
    setSubmitting(true);
    try {
      const result = await login(username.trim(), password);
      if (result.kind === 'second_factor') setChallenge(result.challenge);
      else enter(result.me);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['username', 'password'])) showError(e);
    } finally {
      setSubmitting(false);
    }
  };

  const onCode = async ({ code }: { code: string }) => {
    if (!challenge) return;
    setError(null);
    setSubmitting(true);
    try {
      enter(await loginSecondFactor(challenge, code.trim()));
    } catch (e) {
      if (isApiError(e) && e.code === 'invalid_challenge') setChallenge(null);
      showError(e);
      codeForm.resetFields();
    } finally {
      setSubmitting(false);
    }
  };

  if (challenge) {
    return (
      <AuthFrame title={t('login.secondFactorTitle')}>
        {error && <Alert type={error.kind} showIcon message={error.text} role="alert" data-testid="login-error" style={{ marginBottom: 16 }} />}
        <Form form={codeForm} layout="vertical" onFinish={onCode} requiredMark={false}>
          <Form.Item
            label={t('login.code')}
            name="code"
            extra={t('login.codeHint')}
            rules={[{ required: true, whitespace: true, message: t('login.codeRequired') }]}
          >
            <Input prefix={<SafetyOutlined />} autoComplete="one-time-code" inputMode="numeric" size="large" autoFocus data-testid="second-factor-code" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={submitting}>
            {t('login.verify')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'right' }}>
          <Button type="link" onClick={() => setChallenge(null)}>
            {t('login.back')}
          </Button>
        </div>
      </AuthFrame>
    );
  }

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
