import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import { profileTrail } from '../../components/trails';
import PasswordFields from '../../components/PasswordFields';
import { applyFieldErrors, errorText } from '../../components/errors';
import { isApiError } from '../../api/problem';
import { useNavigate } from 'react-router';
import { useAuth } from '../../auth/AuthContext';

interface Values {
  current_password: string;
  new_password: string;
  confirm: string;
}

export default function ChangePasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const { me, replaceTokens } = useAuth();
  const navigate = useNavigate();
  const forced = me?.session?.restriction === 'password_change';

  const onFinish = async ({ current_password, new_password }: Values) => {
    setBusy(true);
    try {
      // The server ends every other session and answers with a fresh pair that keeps this one signed in.
      const pair = await unwrap(api.POST('/api/auth/password', { body: { current_password, new_password } }));
      const fresh = await replaceTokens(pair);
      message.success(t('password.changed'));
      form.resetFields();
      // A forced change done, the session is a normal one (or next asks for a second-factor enrolment); `/` picks
      // its home page.
      if (forced && !fresh.session?.restriction) navigate('/', { replace: true });
    } catch (e) {
      if (isApiError(e) && e.code === 'invalid_credentials') {
        form.setFields([{ name: 'current_password', errors: [t('password.currentWrong')] }]);
      } else if (!applyFieldErrors(form, e, ['current_password', 'new_password'])) {
        message.error(errorText(t, e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={t('menu.changePassword')} trail={profileTrail(t)}>
      {forced && <Alert type="warning" showIcon message={t('password.mustChange')} style={{ maxWidth: 520, marginBottom: 16 }} data-testid="must-change" />}
      <Card style={{ maxWidth: 520 }}>
        <Form form={form} layout="vertical" onFinish={onFinish} requiredMark={false}>
          <Form.Item label={t('password.current')} name="current_password" rules={[{ required: true, message: t('password.currentRequired') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <PasswordFields />
          <Button type="primary" htmlType="submit" loading={busy}>
            {t('password.submit')}
          </Button>
        </Form>
      </Card>
    </Page>
  );
}
