import { App, Space, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../../api/client';
import type { HourCategory } from '../../api/types';
import { errorText } from '../../components/errors';

export const CATEGORIES: HourCategory[] = ['centralized', 'online', 'ict', 'regional', 'school_based', 'practice'];

/** A submission's attachments, downloaded with the bearer token (the file's own name comes with it). */
export function Attachments({ ids, testId }: { ids: number[]; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  if (!ids.length) return null;
  return (
    <Space size={[8, 2]} wrap>
      {ids.map((id, i) => (
        <Typography.Link
          key={id}
          onClick={() => downloadFile(`/api/files/${id}/content`, {}, `attachment-${id}`).catch((e) => message.error(errorText(t, e)))}
          data-testid={testId ? `${testId}-${i}` : undefined}
        >
          <PaperClipOutlined aria-hidden /> {t('classes.attachment', { n: i + 1 })}
        </Typography.Link>
      ))}
    </Space>
  );
}
