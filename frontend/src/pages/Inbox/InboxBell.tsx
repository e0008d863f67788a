import { useEffect, useState } from 'react';
import { Badge, Button } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { BACKGROUND } from '../../api/http';

/** How often the bell asks again; the count also refreshes on every page change. */
const POLL_MS = 60_000;

/** The header's bell: my unread inbox messages; a click opens the inbox. */
export default function InboxBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const [unread, setUnread] = useState(0);

  useEffect(() => {
    let live = true;
    const load = () =>
      unwrap(api.GET('/api/inbox/unread-count', { headers: BACKGROUND }))
        .then((r) => live && setUnread(r.unread))
        // A failed poll keeps the last count: the offline banner already tells the user.
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(load, POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [location.pathname]);

  return (
    <Badge count={unread} size="small" offset={[-6, 6]}>
      <Button type="text" icon={<BellOutlined />} onClick={() => navigate('/inbox')} aria-label={t('inbox.bell', { count: unread })} data-testid="inbox-bell" />
    </Badge>
  );
}
