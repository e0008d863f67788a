import { useState } from 'react';
import { Input, InputNumber, Space, Table, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import ExportButtons from '../../components/ExportButtons';
import Page from '../../components/Page';
import { ErrorState } from '../../components/States';

type Row = Schemas['RateRow'];

/** Pass rates of a node and year: per child region (click to drill down) and per point; XLSX / CSV export. */
export default function ReportPage() {
  const { t } = useTranslation();
  const [year, setYear] = useState(dayjs().year());
  const [node, setNode] = useState<string | undefined>();
  const report = useQuery({
    queryKey: ['competency', 'report', year, node],
    queryFn: () => unwrap(api.GET('/api/competency/report', { params: { query: { year, node } } })),
  });
  const columns = (first: string) => [
    { title: first, dataIndex: 'name', render: (v: string, r: Row) => `${r.code} ${v}` },
    { title: t('competency.submittedTeachers'), dataIndex: 'submitted', align: 'right' as const },
    { title: t('competency.passedTeachers'), dataIndex: 'passed', align: 'right' as const },
    { title: t('competency.excellentTeachers'), dataIndex: 'excellent', align: 'right' as const },
    { title: t('competency.rate'), dataIndex: 'rate', align: 'right' as const, render: (v: number) => `${(v * 100).toFixed(1)}%` },
  ];
  const data = report.data;
  return (
    <Page
      title={t('competency.menu.report')}
      subTitle={data ? `${data.node_name} · ${year}` : undefined}
      extra={
        <Space wrap>
          <InputNumber aria-label={t('competency.year')} min={2020} max={2100} value={year} onChange={(v) => v && setYear(v)} />
          <Input.Search aria-label={t('competency.node')} placeholder={t('competency.node')} allowClear style={{ width: 200, maxWidth: '100%' }} onSearch={(v) => setNode(v.trim() || undefined)} />
          <ExportButtons path="/api/competency/report/export" fileBase={`competency-${year}`} params={() => ({ year, node })} testId="competency-export" background={{ kind: 'competency_report', params: () => ({ year, node }) }} />
        </Space>
      }
    >
      {report.isError ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <>
          <Table<Row>
            rowKey="code"
            size="small"
            loading={report.isLoading}
            pagination={false}
            dataSource={data ? [...data.regions, data.total] : []}
            columns={columns(t('competency.region'))}
            onRow={(r) => ({ onClick: () => r.code !== data?.node_code && setNode(r.code), style: { cursor: 'pointer' } })}
          />
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
            {t('competency.perPoint')}
          </Typography.Title>
          <Table<Row> rowKey="code" size="small" loading={report.isLoading} pagination={false} dataSource={data?.points ?? []} columns={columns(t('competency.point'))} data-testid="report-points" />
        </>
      )}
    </Page>
  );
}
