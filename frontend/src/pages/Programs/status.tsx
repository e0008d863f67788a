import { Badge, type BadgeProps } from 'antd';
import { useTranslation } from 'react-i18next';

type Status = NonNullable<BadgeProps['status']>;
const PROGRAM: Record<string, Status> = { draft: 'default', published: 'success', closed: 'warning' };
const REVIEW: Record<string, Status> = { pending: 'processing', approved: 'success', rejected: 'error', revoked: 'default' };

/** Status dots with plain text (antd's coloured tags fail the contrast check, as ActiveTag notes). */
export function ProgramStatus({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={PROGRAM[status] ?? 'default'} text={t(`programStatus.${status}`, { defaultValue: status })} />;
}

export function ReviewStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Badge status={REVIEW[status] ?? 'default'} text={t(`reviewStatus.${status}`, { defaultValue: status })} />;
}
