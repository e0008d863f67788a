import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';

/** Active / inactive as a status dot with plain text (antd's green tag fails contrast). */
export default function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return <Badge status={active ? 'success' : 'default'} text={t(active ? 'common.active' : 'common.inactive')} />;
}
