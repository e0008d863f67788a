import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Space, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { profileTrail } from '../../components/trails';
import { ErrorState, Loading } from '../../components/States';
import { applyFieldErrors, errorText } from '../../components/errors';

type Enrolment = Schemas['EnrolmentView'];

/** 双因素认证: status, enrolment with a QR code (or the key), the recovery codes shown once, replace and turn off. */
export default function SecurityPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['second-factor'], queryFn: () => unwrap(api.GET('/api/auth/second-factor')) });
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmForm] = Form.useForm<{ code: string }>();
  const [codeForm] = Form.useForm<{ code: string }>();
  const restricted = me?.session?.restriction === 'second_factor_enrolment';

  if (status.isPending || !me) return <Loading />;
  if (status.error) return <ErrorState error={status.error} onRetry={() => status.refetch()} />;
  const s = status.data;

  const run = async (form: typeof codeForm, work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['code'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  const start = (code?: string) =>
    run(codeForm, async () => {
      setEnrolment(await unwrap(api.POST('/api/auth/second-factor/enrolment', { body: { code } })));
      codeForm.resetFields();
    });

  const confirm = ({ code }: { code: string }) =>
    run(confirmForm, async () => {
      const answer = await unwrap(api.POST('/api/auth/second-factor/enrolment/confirm', { body: { code: code.trim() } }));
      setEnrolment(null);
      setRecovery(answer.recovery_codes);
      message.success(t('security.enrolled'));
      await queryClient.invalidateQueries({ queryKey: ['second-factor'] });
    });

  const disable = ({ code }: { code: string }) =>
    run(codeForm, async () => {
      await unwrap(api.POST('/api/auth/second-factor/disable', { body: { code: code.trim() } }));
      message.success(t('security.disabled'));
      codeForm.resetFields();
      await queryClient.invalidateQueries({ queryKey: ['second-factor'] });
    });

  const finish = async () => {
    setRecovery(null);
    // An enrolment-only session is a full one now: reload who I am, then go on to my home page (`/` picks it).
    await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => unwrap(api.GET('/api/me')) });
    if (restricted) navigate('/', { replace: true });
  };

  return (
    <Page title={t('security.title')} trail={profileTrail(t)}>
      <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
        {restricted && <Alert type="warning" showIcon message={t('security.mustEnrol')} data-testid="must-enrol" />}
        {recovery ? (
          <Card title={t('security.recoveryTitle')}>
            <Typography.Paragraph>{t('security.recoveryHint')}</Typography.Paragraph>
            <List
              grid={{ column: 2 }}
              dataSource={recovery}
              data-testid="recovery-codes"
              renderItem={(c) => (
                <List.Item>
                  <Typography.Text code copyable>
                    {c}
                  </Typography.Text>
                </List.Item>
              )}
            />
            <Button type="primary" onClick={finish}>
              {t('security.done')}
            </Button>
          </Card>
        ) : enrolment ? (
          <Card title={t('security.scan')}>
            <Typography.Paragraph>{t('security.intro')}</Typography.Paragraph>
            <div
              className="totp-qr"
              data-testid="totp-qr"
              data-otpauth={enrolment.otpauth_uri}
              role="img"
              aria-label={t('security.scan')}
              style={{ width: 220, height: 220 }}
              // The server renders the QR code of the otpauth URI as an SVG document of its own.
              dangerouslySetInnerHTML={{ __html: enrolment.qr_svg }}
            />
            <Typography.Paragraph style={{ marginTop: 12 }}>
              {t('security.manualKey')}:{' '}
              <Typography.Text code copyable data-testid="totp-key">
                {enrolment.manual_key}
              </Typography.Text>
            </Typography.Paragraph>
            <Form form={confirmForm} layout="inline" onFinish={confirm} requiredMark={false}>
              <Form.Item label={t('login.code')} name="code" rules={[{ required: true, whitespace: true, message: t('login.codeRequired') }]}>
                <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} data-testid="enrol-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={busy}>
                {t('security.confirm')}
              </Button>
            </Form>
          </Card>
        ) : (
          <Card>
            <Descriptions column={1} bordered>
              <Descriptions.Item label={t('security.title')}>
                <Tag color={s.active ? 'green' : 'default'} data-testid="second-factor-status">
                  {s.active ? t('security.statusOn') : t('security.statusOff')}
                </Tag>
                {s.confirmed_at && <Typography.Text type="secondary">{dayjs(s.confirmed_at).format('YYYY-MM-DD HH:mm')}</Typography.Text>}
              </Descriptions.Item>
              {s.active && <Descriptions.Item label={t('security.recoveryTitle')}>{t('security.recoveryLeft', { count: s.recovery_codes_left })}</Descriptions.Item>}
            </Descriptions>
            {s.required && !restricted && <Alert type="info" showIcon message={t('security.required')} style={{ marginTop: 16 }} />}
            <div style={{ marginTop: 16 }}>
              {!s.active ? (
                <Button type="primary" onClick={() => start()} loading={busy} data-testid="start-enrolment">
                  {t('security.start')}
                </Button>
              ) : (
                <Form form={codeForm} layout="inline" requiredMark={false}>
                  <Form.Item label={t('security.currentCode')} name="code" rules={[{ required: true, whitespace: true, message: t('login.codeRequired') }]}>
                    <Input autoComplete="one-time-code" inputMode="numeric" maxLength={6} />
                  </Form.Item>
                  <Button onClick={() => codeForm.validateFields().then(({ code }) => start(code.trim()))} loading={busy}>
                    {t('security.replace')}
                  </Button>
                  {!s.required && (
                    <Button danger onClick={() => codeForm.validateFields().then(disable)} loading={busy} style={{ marginLeft: 8 }}>
                      {t('security.disable')}
                    </Button>
                  )}
                </Form>
              )}
            </div>
          </Card>
        )}
      </Space>
    </Page>
  );
}
