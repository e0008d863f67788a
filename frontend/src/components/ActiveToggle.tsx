import { App, Popconfirm, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorText } from './errors';

/** Deactivate / activate link with a confirmation. */
export default function ActiveToggle({ active, onToggle, onDone }: { active: boolean; onToggle: (activate: boolean) => Promise<unknown>; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Popconfirm
      title={t(active ? 'common.confirmDeactivate' : 'common.confirmActivate')}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      onConfirm={async () => {
        try {
          await onToggle(!active);
          message.success(t('common.saved'));
          onDone();
        } catch (e) {
          message.error(errorText(t, e));
        }
      }}
    >
      <Typography.Link type={active ? 'danger' : undefined}>{t(active ? 'common.deactivate' : 'common.activate')}</Typography.Link>
    </Popconfirm>
  );
}
