import { useState } from 'react';
import { App, Button, Dropdown, Space, Typography } from 'antd';
import { DownloadOutlined, DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, downloadFile, unwrap } from '../api/client';
import type { BackgroundExportKind, ExportKind, ExportParams, ReportCadence } from '../api/types';
import { errorText } from './errors';

/** The same export made in the background (the export center) or subscribed to (scheduled reports). */
export interface BackgroundExport {
  kind: BackgroundExportKind;
  params: () => ExportParams;
}

/** The directory lists' filters that the background export of the directory takes. */
const DIRECTORY_FILTERS = ['region', 'stage', 'urban_rural', 'teaching_point', 'school_id', 'subject', 'active', 'keyword'] as const;

export function directoryParams(query: Record<string, unknown>): ExportParams {
  return Object.fromEntries(DIRECTORY_FILTERS.filter((k) => query[k] !== undefined && query[k] !== '').map((k) => [k, query[k]])) as ExportParams;
}

/**
 * XLSX and CSV export of the list with its current filters: a directory list (`kind`), or any export
 * endpoint (`path`, which takes `format` as a query parameter too). With `background` (or a directory `kind`),
 * a menu also makes the file in the background — for large files: the page stays free and the file waits in
 * 我的导出 — or subscribes to it weekly or monthly.
 */
export default function ExportButtons({
  kind,
  path,
  fileBase,
  params,
  labels,
  testId = 'export',
  background,
}: {
  kind?: ExportKind;
  path?: string;
  fileBase?: string;
  params: () => Record<string, unknown>;
  labels?: { xlsx: string; csv: string };
  testId?: string;
  background?: BackgroundExport;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const later: BackgroundExport | undefined =
    background ?? (kind === 'schools' || kind === 'teachers' ? { kind, params: () => directoryParams(params()) } : undefined);
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
  const inBackground = async (action: string) => {
    if (!later) return;
    setBusy('background');
    const order = { kind: later.kind, params: later.params() };
    try {
      if (action === 'weekly' || action === 'monthly') {
        await unwrap(api.POST('/api/report-subscriptions', { body: { order: { ...order, format: 'xlsx' }, cadence: action as ReportCadence } }));
        message.success(<span>{t('exports.subscribed')} <Link to="/exports">{t('menu.exports')}</Link></span>);
      } else {
        await unwrap(api.POST('/api/exports', { body: { ...order, format: action === 'csv' ? 'csv' : 'xlsx' } }));
        message.success(<span>{t('exports.queued')} <Link to="/exports">{t('menu.exports')}</Link></span>);
      }
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
      {later && (
        <Dropdown
          trigger={['click']}
          menu={{
            onClick: ({ key }) => void inBackground(key),
            items: [
              { key: 'xlsx', label: <span data-testid={`${testId}-background-xlsx`}>{t('exports.backgroundXlsx')}</span> },
              { key: 'csv', label: <span data-testid={`${testId}-background-csv`}>{t('exports.backgroundCsv')}</span> },
              { type: 'divider' },
              { key: 'weekly', label: <span data-testid={`${testId}-subscribe-weekly`}>{t('exports.subscribeWeekly')}</span> },
              { key: 'monthly', label: <span data-testid={`${testId}-subscribe-monthly`}>{t('exports.subscribeMonthly')}</span> },
            ],
          }}
        >
          <Button loading={busy === 'background'} aria-label={t('exports.more')} data-testid={`${testId}-more`}>
            <Typography.Text>{t('exports.more')}</Typography.Text> <DownOutlined />
          </Button>
        </Dropdown>
      )}
    </Space.Compact>
  );
}
