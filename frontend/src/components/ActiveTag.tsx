import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export default function ActiveTag({ active }: { active: boolean }) {
  const { t } = useTranslation();
  return <Tag color={active ? 'green' : 'default'}>{t(active ? 'common.active' : 'common.inactive')}</Tag>;
}
