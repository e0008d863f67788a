import { useSyncExternalStore } from 'react';
import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { connectivity, subscribeConnectivity } from '../api/connectivity';

/** Says so while the browser is offline or the server does not answer; gone with the next answered request. */
export default function OfflineBanner() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(subscribeConnectivity, connectivity);
  if (state === 'online') return null;
  return <Alert banner type="warning" showIcon role="alert" data-testid="offline-banner" message={t(`offline.${state}`)} className="offline-banner" />;
}
