import { App, Badge, Space, Typography, type BadgeProps } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import type { HourEntry } from '../../api/types';
import { errorText } from '../../components/errors';

type Status = NonNullable<BadgeProps['status']>;
const ENTRY: Record<string, Status> = { pending: 'processing', approved: 'success', rejected: 'error', voiding: 'default' };

/** Status of a ledger row; an approved row cancelled by a later voiding row says so. */
export function EntryStatus({ entry }: { entry: HourEntry }) {
  const { t } = useTranslation();
  if (entry.voided) return <Badge status="default" text={t('hours.voided')} data-testid={`status-${entry.id}`} />;
  return <Badge status={ENTRY[entry.status] ?? 'default'} text={t(`hourStatus.${entry.status}`, { defaultValue: entry.status })} data-testid={`status-${entry.id}`} />;
}

/** Evidence files of an entry, downloaded with the bearer token (a plain link cannot carry it). */
export function EvidenceLinks({ entry }: { entry: HourEntry }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  if (!entry.evidence.length) return <>—</>;
  return (
    <Space size={2} direction="vertical">
      {entry.evidence.map((f, i) => (
        <Typography.Link
          key={f.id}
          onClick={() => downloadFile(`/api/files/${f.id}/content`, {}, f.name).catch((e) => message.error(errorText(t, e)))}
          title={t('hours.evidenceDownload', { name: f.name })}
          data-testid={`evidence-${entry.id}-${i}`}
        >
          <PaperClipOutlined aria-hidden /> {f.name}
        </Typography.Link>
      ))}
    </Space>
  );
}

/** The teacher of a ledger row, with their school; a link for those who may open the teacher record. */
export function TeacherName({ entry }: { entry: HourEntry }) {
  const { access } = useAuth();
  return (
    <>
      {access('teacher.read') ? <Link to={`/teachers/${entry.teacher_id}`}>{entry.teacher_name}</Link> : entry.teacher_name}
      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
        {entry.school_name}
      </Typography.Text>
    </>
  );
}
