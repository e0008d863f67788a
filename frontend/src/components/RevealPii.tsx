import { useState } from 'react';
import { App, Button, Space, Tooltip } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { errorText } from './errors';

/**
 * Masked 身份证号 / phone with a reveal action. Revealing is audited on the server, so the user confirms first;
 * the clear values stay only in this component's state.
 */
export default function RevealPii({ teacherId, masked, field, canReveal, name }: { teacherId: number; masked: string; field: 'id_card' | 'phone'; canReveal: boolean; name: string }) {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const [clear, setClear] = useState<string | null>(null);

  const reveal = () =>
    modal.confirm({
      title: t('teachers.revealTitle'),
      content: t('teachers.revealConfirm', { name }),
      okText: t('teachers.revealOk'),
      cancelText: t('common.cancel'),
      onOk: async () => {
        try {
          const r = await unwrap(api.POST('/api/teachers/{id}/reveal', { params: { path: { id: teacherId } } }));
          setClear((field === 'id_card' ? r.id_card : r.phone) ?? '');
        } catch (e) {
          message.error(errorText(t, e));
        }
      },
    });

  return (
    <Space size={4}>
      <span className="mono" data-testid={`${field}-${teacherId}`}>
        {clear ?? masked}
      </span>
      {canReveal && clear === null && masked && (
        <Tooltip title={t('teachers.reveal')}>
          <Button type="text" size="small" icon={<EyeOutlined />} aria-label={`${t('teachers.reveal')} ${name}`} onClick={reveal} data-testid={`reveal-${field}-${teacherId}`} />
        </Tooltip>
      )}
    </Space>
  );
}
