import { useMemo, useState } from 'react';
import { App, Breadcrumb, Button, Card, Col, InputNumber, Row, Space, Statistic, Switch, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { FilePdfOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, downloadFile, unwrap } from '../../api/client';
import type { AnnualRow, HourCategory } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import ExportButtons from '../../components/ExportButtons';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { ErrorState, Loading } from '../../components/States';
import { CATEGORIES } from '../Hours/rules';
import { percent } from '../ProgramReport/drill';
import RateChart from './RateChart';

const hoursOf = (row: AnnualRow, c: HourCategory) => row.hours.find((h) => h.category === c)?.hours ?? 0;

/** 全员培训年度报表: a year across all programs, drilling down province → city → county → school → teacher. */
export default function AnnualReportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { access } = useAuth();
  const [search, setSearch] = useSearchParams();
  const year = Number(search.get('year')) || new Date().getFullYear();
  const node = search.get('node') ?? undefined;
  const hideEmpty = search.get('hide_empty') === '1';
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(50);
  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) next.delete(k);
      else next.set(k, v);
    }
    setPage(1);
    setSearch(next);
  };
  const query = { year, ...(node ? { node } : {}), hide_empty: hideEmpty };
  const report = useQuery({
    queryKey: ['annual-report', year, node ?? '', hideEmpty, page, pageSize],
    queryFn: () => unwrap(api.GET('/api/reports/annual', { params: { query: { ...query, page, page_size: pageSize } } })),
    placeholderData: (prev) => prev,
  });
  const points = useMemo(
    () =>
      (report.data?.teacher_rows ? [] : (report.data?.rows ?? [])).map((r) => ({
        name: r.node_name,
        participation: r.participation_rate,
        completion: r.completion_rate,
        cycle: r.cycle_rate,
      })),
    [report.data],
  );
  const [pdfBusy, setPdfBusy] = useState(false);

  if (report.isPending) return <Loading />;
  if (report.error && !report.data) return <ErrorState error={report.error} onRetry={() => report.refetch()} />;
  const r = report.data!;
  const level = r.teacher_rows ? 'teacher' : r.level === 'province' ? 'city' : r.level === 'city' ? 'county' : 'school';

  const pdf = async () => {
    setPdfBusy(true);
    try {
      await downloadFile('/api/reports/annual/pdf', query, `annual-${year}.pdf`);
      message.success(t('export.done'));
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setPdfBusy(false);
    }
  };

  const columns: ColumnsType<AnnualRow> = [
    {
      title: t(`report.level.${level}`),
      dataIndex: 'node_name',
      fixed: 'left',
      width: 170,
      render: (_, row) =>
        !r.teacher_rows ? (
          <Link to={`?${new URLSearchParams({ ...Object.fromEntries(search), node: row.node_code }).toString()}`} data-testid={`drill-${row.node_code}`}>
            {row.node_name}
          </Link>
        ) : access('teacher.read') ? (
          <Link to={`/teachers/${row.node_code}/record`} data-testid={`record-${row.node_code}`}>
            {row.node_name}
          </Link>
        ) : (
          row.node_name
        ),
    },
    { title: t('report.teachers'), dataIndex: 'teachers', align: 'right', width: 80 },
    { title: t('annual.participants'), dataIndex: 'participants', align: 'right', width: 90 },
    { title: t('report.participationRate'), dataIndex: 'participation_rate', align: 'right', width: 80, render: (v: number) => percent(v) },
    { title: t('annual.enrolments'), dataIndex: 'enrolments', align: 'right', width: 80 },
    { title: t('report.completed'), dataIndex: 'completed', align: 'right', width: 80 },
    { title: t('report.completionRate'), dataIndex: 'completion_rate', align: 'right', width: 80, render: (v: number) => percent(v) },
    {
      title: t('annual.hours'),
      children: [
        ...CATEGORIES.map((c) => ({
          title: t(`hourCategory.${c}`),
          key: `h-${c}`,
          align: 'right' as const,
          width: 80,
          render: (_: unknown, row: AnnualRow) => hoursOf(row, c),
        })),
        { title: t('annual.supplement'), dataIndex: 'supplement_hours', align: 'right' as const, width: 80 },
        { title: t('annual.totalHours'), dataIndex: 'total_hours', align: 'right' as const, width: 90 },
      ],
    },
    { title: t('annual.metMinimum'), dataIndex: 'met_minimum', align: 'right', width: 90 },
    { title: t('annual.cycleComplete'), dataIndex: 'cycle_complete', align: 'right', width: 90 },
    { title: t('annual.competencyRate'), dataIndex: 'competency_pass_rate', align: 'right', width: 90, render: (v: number) => percent(v) },
    {
      title: t('annual.awards'),
      key: 'awards',
      align: 'right',
      width: 120,
      render: (_, row) => `${row.awards.county}/${row.awards.city}/${row.awards.province}/${row.awards.ministry}`,
    },
  ];
  const total = r.total;

  return (
    <Page
      title={t('annual.title')}
      subTitle={`${r.node_name} · ${year}`}
      extra={
        <>
          <ExportButtons
            path="/api/reports/annual/export"
            fileBase={`annual-${year}`}
            params={() => query}
            testId="annual-export"
            background={{ kind: 'annual_report', params: () => ({ year: query.year, node: query.node, hide_empty: query.hide_empty }) }}
          />
          <Button icon={<FilePdfOutlined />} loading={pdfBusy} onClick={pdf} data-testid="annual-export-pdf">
            {t('annual.pdf')}
          </Button>
        </>
      }
    >
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <label>
            {t('annual.year')}{' '}
            <InputNumber min={2000} max={2100} value={year} onChange={(v) => v && update({ year: String(v) })} data-testid="annual-year" />
          </label>
          <label>
            <Switch checked={hideEmpty} onChange={(v) => update({ hide_empty: v ? '1' : undefined })} data-testid="annual-hide-empty" /> {t('annual.hideEmpty')}
          </label>
        </Space>
        <nav aria-label={t('report.breadcrumb')}>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={r.breadcrumbs.map((c, i) => ({
              key: c.code,
              title:
                i < r.breadcrumbs.length - 1 ? (
                  <Typography.Link onClick={() => update({ node: i === 0 ? undefined : c.code })} data-testid={`crumb-${c.code}`}>
                    {c.name}
                  </Typography.Link>
                ) : (
                  <span aria-current="page" data-testid="crumb-current">
                    {c.name}
                  </span>
                ),
            }))}
          />
        </nav>
        <Row gutter={[12, 12]} style={{ marginBottom: 12 }} data-testid="annual-cards">
          <Col xs={12} md={6}>
            <Statistic title={t('report.teachers')} value={total.teachers} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('report.participationRate')} value={percent(total.participation_rate)} suffix={`(${total.participants})`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('report.completionRate')} value={percent(total.completion_rate)} suffix={`(${total.completed}/${total.enrolments})`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('annual.totalHours')} value={total.total_hours} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('annual.metMinimum')} value={percent(total.met_minimum_rate)} suffix={`(${total.met_minimum})`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('annual.cycleRate')} value={percent(total.cycle_rate)} suffix={`(${total.cycle_complete})`} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic title={t('annual.competencyRate')} value={percent(total.competency_pass_rate)} />
          </Col>
          <Col xs={12} md={6}>
            <Statistic
              title={t('annual.awards')}
              value={`${total.awards.county}/${total.awards.city}/${total.awards.province}/${total.awards.ministry}`}
            />
          </Col>
        </Row>
        {points.length > 0 && <RateChart points={points} />}
        <Table<AnnualRow>
          rowKey="node_code"
          size="small"
          bordered
          loading={report.isFetching}
          dataSource={r.rows}
          columns={columns}
          scroll={{ x: 1800 }}
          data-testid="annual-table"
          pagination={
            r.teacher_rows
              ? {
                  current: page,
                  pageSize,
                  total: r.row_count,
                  showSizeChanger: true,
                  onChange: (p, s) => {
                    setPage(p);
                    setPageSize(s);
                  },
                }
              : false
          }
        />
      </Card>
    </Page>
  );
}
