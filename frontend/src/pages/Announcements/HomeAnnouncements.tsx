import { useEffect, useState } from 'react';
import { Badge, Card, List, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { AnnouncementView } from '../../api/types';
import { ErrorState } from '../../components/States';

/** The home page's card: my valid announcements, unread first. */
export default function HomeAnnouncements({ limit = 5 }: { limit?: number }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<AnnouncementView[] | undefined>();
  const [failure, setFailure] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setFailure(undefined);
    unwrap(api.GET('/api/announcements/mine', { params: { query: { page: 1, page_size: limit } } }))
      .then((r) => setItems(r.items))
      // A failed load is shown with a retry, never as "no announcements".
      .catch((e: unknown) => setFailure(e ?? new Error('failed')));
  }, [limit, attempt]);

  return (
    <Card title={t('announcements.mine')} size="small" extra={<Link to="/announcements">{t('announcements.all')}</Link>} data-testid="home-announcements">
      {failure !== undefined ? (
        <ErrorState error={failure} onRetry={() => setAttempt((n) => n + 1)} />
      ) : (
      <List
        loading={items === undefined}
        dataSource={items ?? []}
        // antd's own grey empty text is below the AA contrast; the text in its own colour is not.
        locale={{ emptyText: <Typography.Text>{t('announcements.none')}</Typography.Text> }}
        renderItem={(a) => (
          <List.Item>
            <Link to={`/announcements?open=${a.id}`}>
              <Badge status={a.read ? 'default' : 'processing'} />
              <Typography.Text strong={!a.read}> {a.title}</Typography.Text>
            </Link>
            <Typography.Text type="secondary">{dayjs(a.valid_from).format('YYYY-MM-DD')}</Typography.Text>
          </List.Item>
        )}
      />
      )}
    </Card>
  );
}
