import { useState } from 'react';
import { App, Button, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { downloadFile } from '../api/client';
import type { ExportKind } from '../api/types';
import { errorText } from './errors';

/**
 * XLSX and CSV export of the list with its current filters: a directory list (`kind`), or any export
 * endpoint (`path`, which takes `format` as a query parameter too).
 */
export default function ExportButtons({
  kind,
  path,
  fileBase,
  params,
  labels,
  testId = 'export',
}: {
  kind?: ExportKind;
  path?: string;
  fileBase?: string;
  params: () => Record<string, unknown>;
  labels?: { xlsx: string; csv: string };
  testId?: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (format: 'xlsx' | 'csv') => {
    setBusy(format);
    try {
      await downloadFile(path ?? `/api/export/${kind}`, { ...params(), format }, `${fileBase ?? kind ?? 'export'}.${format}`);
      message.success(t('export.done'));
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space.Compact>
      <Button icon={<DownloadOutlined />} loading={busy === 'xlsx'} onClick={() => run('xlsx')} data-testid={`${testId}-xlsx`}>
        {labels?.xlsx ?? t('export.xlsx')}
      </Button>
      <Button loading={busy === 'csv'} onClick={() => run('csv')} data-testid={`${testId}-csv`}>
        {labels?.csv ?? t('export.csv')}
      </Button>
    </Space.Compact>
  );
}
