import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';

/** valid / revoked as a status dot with text (coloured tags fail the contrast check). */
export function CertificateStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={status === 'valid' ? 'success' : 'error'} text={t(`certificateStatus.${status}`, { defaultValue: status })} />;
}

/** The certificate PDF (with its QR code to the public verification page). */
export function certificatePdfPath(number: string): string {
  return `/api/certificates/${encodeURIComponent(number)}/pdf`;
}
