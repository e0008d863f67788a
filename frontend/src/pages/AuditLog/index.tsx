import { useRef, useState } from 'react';
import { Alert, App, Button, Space, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { DownloadOutlined, SafetyOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import type { AuditLogEntry, AuditVerifyReport } from '../../api/types';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { auditQuery, detailText, type AuditQuery, type AuditSearch } from './rules';
import { toTableResult } from '../../components/table';

/** 审计管理: the audit administrator searches the whole log, exports it and verifies its hash chain. */
export default function AuditLogPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [query, setQuery] = useState<AuditQuery>({});
  const [report, setReport] = useState<AuditVerifyReport>();
  const [verifying, setVerifying] = useState(false);
  const [exporting, setExporting] = useState(false);

  const verify = async () => {
    setVerifying(true);
    try {
      setReport(await unwrap(api.POST('/api/audit/verify')));
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setVerifying(false);
    }
  };

  const exportCsv = async () => {
    setExporting(true);
    try {
      await downloadFile('/api/audit/entries/export', { ...query }, 'audit.csv');
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setExporting(false);
    }
  };

  const columns: ProColumns<AuditLogEntry>[] = [
    { title: t('audit.range'), dataIndex: 'at_range', valueType: 'dateTimeRange', hideInTable: true },
    { title: t('audit.at'), dataIndex: 'at', search: false, width: 170, render: (_, r) => dayjs(r.at).format('YYYY-MM-DD HH:mm:ss') },
    { title: t('audit.actor'), dataIndex: 'actor', width: 130 },
    { title: t('audit.action'), dataIndex: 'action', width: 170, tooltip: t('audit.actionHint') },
    { title: t('audit.targetType'), dataIndex: 'target_type', width: 120 },
    { title: t('audit.targetId'), dataIndex: 'target_id', width: 110, render: (_, r) => r.target_id ?? '—' },
    { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (_, r) => r.ip ?? '—' },
    {
      title: t('audit.detail'),
      dataIndex: 'detail',
      search: false,
      ellipsis: true,
      render: (_, r) => <Typography.Text type="secondary">{detailText(r.detail)}</Typography.Text>,
    },
    { title: t('audit.seq'), dataIndex: 'seq', search: false, width: 80, render: (_, r) => r.seq ?? '—' },
  ];

  return (
    <Page title={t('audit.title')}>
      {report && (
        <Alert
          className="audit-verify-result"
          data-testid="audit-verify-result"
          role="status"
          showIcon
          type={report.intact ? 'success' : 'error'}
          message={report.intact ? t('audit.intact', { count: report.entries_checked }) : t('audit.broken')}
          description={
            report.intact
              ? t('audit.intactDetail', { archives: report.archives_checked, checkpoints: report.checkpoints_checked })
              : `${t(`audit.problems.${report.problem?.kind ?? 'altered'}`)}: ${report.problem?.message ?? ''}`
          }
          style={{ marginBottom: 16 }}
        />
      )}
      <ListTable<AuditLogEntry, AuditSearch>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        toolBarRender={() => [
          <Space key="actions">
            <Button icon={<DownloadOutlined />} onClick={exportCsv} loading={exporting} data-testid="audit-export">
              {t('audit.export')}
            </Button>
            <Button type="primary" icon={<SafetyOutlined />} onClick={verify} loading={verifying} data-testid="audit-verify">
              {t('audit.verify')}
            </Button>
          </Space>,
        ]}
        request={async (p) => {
          const { current, pageSize, at_range, ...form } = p as AuditSearch & { current?: number; pageSize?: number; at_range?: AuditSearch['at'] };
          const filter = auditQuery({ ...form, at: at_range });
          setQuery(filter);
          const data = await unwrap(api.GET('/api/audit/entries', { params: { query: { ...filter, page: current ?? 1, page_size: pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('audit.entries')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('audit.empty')}</Typography.Text> }}
        data-testid="audit-entries"
      />
    </Page>
  );
}
