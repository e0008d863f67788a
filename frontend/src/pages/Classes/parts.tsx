import { App, Space, Typography } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, unwrap } from '../../api/client';
import type { HourCategory } from '../../api/types';
import { errorText } from '../../components/errors';

export const CATEGORIES: HourCategory[] = ['centralized', 'online', 'ict', 'regional', 'school_based', 'practice'];

/** A submission's attachments under their names, downloaded with the bearer token (a plain link cannot carry it). */
export function Attachments({ ids, testId }: { ids: number[]; testId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const files = useQueries({
    queries: ids.map((id) => ({
      queryKey: ['file', id],
      queryFn: () => unwrap(api.GET('/api/files/{id}', { params: { path: { id } } })),
      staleTime: Infinity,
      retry: false,
    })),
  });
  if (!ids.length) return null;
  return (
    <Space size={[8, 2]} wrap>
      {ids.map((id, i) => {
        const name = files[i]?.data?.name ?? t('classes.attachment', { n: i + 1 });
        return (
          <Typography.Link
            key={id}
            onClick={() => downloadFile(`/api/files/${id}/content`, {}, name).catch((e) => message.error(errorText(t, e)))}
            title={t('classes.download', { name })}
            data-testid={testId ? `${testId}-${i}` : undefined}
          >
            <PaperClipOutlined aria-hidden /> {name}
          </Typography.Link>
        );
      })}
    </Space>
  );
}
