import { Alert, Button, Descriptions, Form, Input, Result, Space } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import AuthFrame from '../../components/AuthFrame';
import { errorText } from '../../components/errors';
import { Loading } from '../../components/States';
import { CertificateStatus } from '../Certificates/status';

/** Public certificate verification: `/verify` asks for a number, `/verify/:number` (the QR code's target) answers. */
export default function VerifyPage() {
  const { t } = useTranslation();
  const { number } = useParams();
  const navigate = useNavigate();
  const wanted = number?.trim();

  const result = useQuery({
    queryKey: ['verify', wanted],
    queryFn: () => unwrap(api.GET('/api/certificates/verify/{number}', { params: { path: { number: wanted! } } })),
    enabled: !!wanted,
    retry: false,
  });

  return (
    <AuthFrame title={t('verify.subtitle')}>
      <Form
        layout="vertical"
        requiredMark={false}
        initialValues={{ number: wanted ?? '' }}
        key={wanted ?? ''}
        onFinish={({ number: n }: { number: string }) => navigate(`/verify/${encodeURIComponent(n.trim())}`)}
      >
        <Form.Item label={t('verify.number')} name="number" rules={[{ required: true, whitespace: true, message: t('verify.numberRequired') }]}>
          <Input size="large" autoComplete="off" className="mono" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" icon={<SafetyCertificateOutlined />} data-testid="verify-submit">
          {t('verify.submit')}
        </Button>
      </Form>
      <div style={{ marginTop: 20 }} aria-live="polite" data-testid="verify-result">
        {wanted && result.isPending && <Loading />}
        {wanted && result.error && (isApiError(result.error) && result.error.status === 404 ? (
          <Result status="warning" title={t('verify.notFound')} subTitle={t('verify.notFoundHint', { number: wanted })} />
        ) : (
          <Alert type="error" showIcon message={errorText(t, result.error)} role="alert" />
        ))}
        {result.data && (
          <Space direction="vertical" style={{ width: '100%' }}>
            {result.data.status === 'valid' ? (
              <Alert type="success" showIcon message={t('verify.valid')} />
            ) : (
              <Alert type="error" showIcon message={t('verify.revoked')} />
            )}
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('verify.number')}>
                <span className="mono">{result.data.number}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.holder')}>{result.data.holder}</Descriptions.Item>
              <Descriptions.Item label={t('verify.program')}>
                {result.data.program_name}（{result.data.program_year}）
              </Descriptions.Item>
              <Descriptions.Item label={t('verify.issuedAt')}>{dayjs(result.data.issued_at).format('YYYY-MM-DD')}</Descriptions.Item>
              <Descriptions.Item label={t('common.status')}>
                <CertificateStatus status={result.data.status} />
                {result.data.revoked_at && <> · {dayjs(result.data.revoked_at).format('YYYY-MM-DD')}</>}
              </Descriptions.Item>
            </Descriptions>
          </Space>
        )}
      </div>
      <div style={{ marginTop: 16 }}>
        <Link to="/login">{t('common.backToLogin')}</Link>
      </div>
    </AuthFrame>
  );
}
