import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';

/** valid / revoked as a status dot with text (coloured tags fail the contrast check). */
export function CertificateStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={status === 'valid' ? 'success' : 'error'} text={t(`certificateStatus.${status}`, { defaultValue: status })} />;
}
