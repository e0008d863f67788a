import { Badge, type BadgeProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProgramStatus as ProgramState, ReviewStatus } from '../../api/types';

type Status = NonNullable<BadgeProps['status']>;
const PROGRAM: Record<ProgramState, Status> = { draft: 'default', published: 'success', closed: 'warning' };
const REVIEW: Record<ReviewStatus, Status> = { pending: 'processing', approved: 'success', rejected: 'error', revoked: 'default' };

/** Status dots with plain text (antd's coloured tags fail the contrast check, as ActiveTag notes). */
export function ProgramStatus({ status }: { status: ProgramState }) {
  const { t } = useTranslation();
  return <Badge status={PROGRAM[status] ?? 'default'} text={t(`programStatus.${status}`, { defaultValue: status })} />;
}

export function ReviewStatusBadge({ status }: { status: ReviewStatus }) {
  const { t } = useTranslation();
  return <Badge status={REVIEW[status] ?? 'default'} text={t(`reviewStatus.${status}`, { defaultValue: status })} />;
}
