import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { onApiActivity, setStepUpHandler } from '../api/http';
import { useAuth } from '../auth/AuthContext';
import { applyFieldErrors, errorText } from './errors';

/** The page a restricted session must stay on (password change, second-factor enrolment). */
const RESTRICTED_PAGE: Record<string, string> = {
  password_change: '/change-password',
  second_factor_enrolment: '/profile/security',
};

/** Sends a restricted session to the only page it may use. */
export function RestrictionGuard() {
  const { me } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const target = me?.session?.restriction ? RESTRICTED_PAGE[me.session.restriction] : undefined;
  useEffect(() => {
    if (target && location.pathname !== target) navigate(target, { replace: true });
  }, [target, location.pathname, navigate]);
  return null;
}

/**
 * Warns a minute before the idle timeout (counted from the last answered API call, as the server counts it) and
 * offers 继续登录, a cheap call that counts as activity; at the timeout the session is over and the user signs in
 * again.
 */
export function IdleWarning() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const idleMinutes = me?.session?.idle_timeout_minutes;
  const last = useRef(Date.now());
  const [left, setLeft] = useState<number | null>(null);

  useEffect(() => onApiActivity((at) => (last.current = at)), []);
  useEffect(() => {
    if (!idleMinutes) return undefined;
    const timeout = idleMinutes * 60_000;
    const tick = window.setInterval(() => {
      const idle = Date.now() - last.current;
      if (idle >= timeout) {
        window.clearInterval(tick);
        setLeft(null);
        void logout().then(() => navigate('/login', { replace: true }));
      } else if (idle >= timeout - 60_000) {
        setLeft(Math.ceil((timeout - idle) / 1000));
      } else {
        setLeft(null);
      }
    }, 1000);
    return () => window.clearInterval(tick);
  }, [idleMinutes, logout, navigate]);

  const stay = async () => {
    await api.POST('/api/auth/keep-alive').catch(() => undefined);
    last.current = Date.now();
    setLeft(null);
  };

  return (
    <Modal
      open={left !== null}
      title={t('idle.title')}
      closable={false}
      maskClosable={false}
      data-testid="idle-warning"
      footer={[
        <Button key="logout" onClick={() => void logout().then(() => navigate('/login', { replace: true }))}>
          {t('idle.logout')}
        </Button>,
        <Button key="stay" type="primary" onClick={stay}>
          {t('idle.continue')}
        </Button>,
      ]}
    >
      <Typography.Paragraph>{t('idle.body', { seconds: left ?? 0 })}</Typography.Paragraph>
    </Modal>
  );
}

/** Answers a 403 `step_up_required` anywhere in the app: asks for a code, verifies it, and lets the request retry. */
export function StepUpDialog() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ code: string }>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const settle = useRef<((ok: boolean) => void) | null>(null);

  const ask = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        settle.current = resolve;
        form.resetFields();
        setOpen(true);
      }),
    [form],
  );
  useEffect(() => {
    setStepUpHandler(ask);
    return () => setStepUpHandler(null);
  }, [ask]);

  const close = (ok: boolean) => {
    setOpen(false);
    settle.current?.(ok);
    settle.current = null;
  };
  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      await unwrap(api.POST('/api/auth/step-up', { body: { code: code.trim() } }));
      close(true);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['code'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={open} title={t('stepUp.title')} onCancel={() => close(false)} onOk={() => form.submit()} okText={t('stepUp.ok')} confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph>{t('stepUp.body')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
        <Form.Item label={t('login.code')} name="code" rules={[{ required: true, whitespace: true, message: t('login.codeRequired') }]}>
          <Input autoComplete="one-time-code" inputMode="numeric" autoFocus data-testid="step-up-code" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
