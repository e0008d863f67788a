import { useMemo } from 'react';
import { Breadcrumb, Button, Card, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { HourCategory, ReportRow } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import ExportButtons from '../../components/ExportButtons';
import Page from '../../components/Page';
import { programTrail } from '../../components/trails';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import { flattenRegions, useRegionTree } from '../../components/reference';
import { CATEGORIES } from '../Hours/rules';
import { drillTrail, isSchoolCode, percent, rowLevel } from './drill';

/** 完成情况报表: a program's completion drilling down province → city → county → school → teacher (`?node=`). */
export default function ProgramReportPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const { me, access } = useAuth();
  const programId = Number(id);
  const valid = Number.isInteger(programId) && programId > 0;
  const node = search.get('node') ?? undefined;

  const report = useQuery({
    queryKey: ['program', programId, 'report', node ?? ''],
    queryFn: () => unwrap(api.GET('/api/programs/{id}/report', { params: { path: { id: programId }, query: node ? { node } : {} } })),
    enabled: valid,
    placeholderData: (prev) => prev,
  });
  const regions = useRegionTree();
  const current = report.data?.node_code ?? node;
  const school = useQuery({
    queryKey: ['school-by-code', current],
    queryFn: () => unwrap(api.GET('/api/schools', { params: { query: { keyword: current!, page: 1, page_size: 1 } } })),
    enabled: !!current && isSchoolCode(current) && access('school.read'),
    staleTime: 10 * 60_000,
  });

  const names = useMemo(() => new Map(flattenRegions(regions.data).map((r) => [r.code, r.name])), [regions.data]);
  const root = me?.roles.find((r) => r.role.endsWith('_admin'))?.scope_code ?? report.data?.node_code ?? '';
  const schoolRow = school.data?.items.find((s) => s.code === current);
  const trail = current ? drillTrail(root, current, schoolRow?.county_code) : [];
  const goTo = (code: string) => setSearch(code === root ? {} : { node: code });

  if (!valid) return <NotFoundResult />;
  if (report.isPending) return <Loading />;
  if (report.error && !report.data) return <ErrorState error={report.error} onRetry={() => report.refetch()} />;
  const r = report.data!;
  const level = rowLevel(r.node_code, r.teacher_rows);
  const nameOf = (code: string) => (code === r.node_code ? r.node_name : (names.get(code) ?? (code === schoolRow?.code ? schoolRow.name : code)));

  const avg = (row: ReportRow, c: HourCategory) => row.average_hours.find((a) => a.category === c)?.hours ?? 0;
  const drillable = level !== 'teacher';
  const columns: ColumnsType<ReportRow> = [
    {
      title: t(`report.level.${level}`),
      dataIndex: 'node_name',
      fixed: 'left',
      width: 180,
      sorter: (a, b) => a.node_name.localeCompare(b.node_name, 'zh-CN'),
      render: (_, row) =>
        drillable ? (
          <Link to={`?node=${encodeURIComponent(row.node_code)}`} onClick={(e) => e.stopPropagation()} data-testid={`drill-${row.node_code}`}>
            {row.node_name}
          </Link>
        ) : access('teacher.read') ? (
          <Link to={`/teachers/${row.node_code}`}>{row.node_name}</Link>
        ) : (
          row.node_name
        ),
    },
    { title: t('report.teachers'), dataIndex: 'teachers', align: 'right', width: 90, sorter: (a, b) => a.teachers - b.teachers },
    { title: t('report.enrolled'), dataIndex: 'enrolled', align: 'right', width: 90, sorter: (a, b) => a.enrolled - b.enrolled },
    { title: t('report.participationRate'), dataIndex: 'participation_rate', align: 'right', width: 90, sorter: (a, b) => a.participation_rate - b.participation_rate, render: (v: number) => percent(v) },
    { title: t('report.completed'), dataIndex: 'completed', align: 'right', width: 90, sorter: (a, b) => a.completed - b.completed },
    { title: t('report.completionRate'), dataIndex: 'completion_rate', align: 'right', width: 90, sorter: (a, b) => a.completion_rate - b.completion_rate, render: (v: number) => percent(v) },
    {
      title: t('report.averageHours'),
      children: CATEGORIES.map((c) => ({
        title: t(`hourCategory.${c}`),
        key: `avg-${c}`,
        align: 'right' as const,
        width: 80,
        sorter: (a: ReportRow, b: ReportRow) => avg(a, c) - avg(b, c),
        render: (_: unknown, row: ReportRow) => avg(row, c),
      })),
    },
  ];
  const totalCells = [
    r.total.teachers,
    r.total.enrolled,
    percent(r.total.participation_rate),
    r.total.completed,
    percent(r.total.completion_rate),
    ...CATEGORIES.map((c) => avg(r.total, c)),
  ];

  return (
    <Page
      title={t('report.title')}
      subTitle={r.program_name}
      trail={programTrail(t, programId, r.program_name)}
      printScope={`${r.program_name} · ${r.node_name}`}
      extra={
        <>
          <Button onClick={() => navigate(`/programs/${programId}`)}>{t('common.back')}</Button>
          {access('export.run') && (
            <>
              <ExportButtons
                path={`/api/programs/${programId}/report/export`}
                fileBase={`report-${programId}`}
                params={() => (node ? { node } : {})}
                background={{ kind: 'program_report', params: () => ({ program_id: programId, node }) }}
              />
              <ExportButtons
                path={`/api/programs/${programId}/report/teachers`}
                fileBase={`report-${programId}-teachers`}
                params={() => (node ? { node } : {})}
                labels={{ xlsx: t('report.teachersXlsx'), csv: t('report.teachersCsv') }}
                testId="export-teachers"
                background={{ kind: 'program_teachers', params: () => ({ program_id: programId, node }) }}
              />
            </>
          )}
        </>
      }
    >
      <Card>
        <nav aria-label={t('report.breadcrumb')}>
          <Breadcrumb
            style={{ marginBottom: 12 }}
            items={trail.map((code, i) => ({
              key: code,
              title:
                i < trail.length - 1 ? (
                  <Typography.Link onClick={() => goTo(code)} data-testid={`crumb-${code}`}>
                    {nameOf(code)}
                  </Typography.Link>
                ) : (
                  <span aria-current="page" data-testid="crumb-current">
                    {nameOf(code)}
                  </span>
                ),
            }))}
          />
        </nav>
        <Table<ReportRow>
          rowKey="node_code"
          size="small"
          bordered
          loading={report.isFetching}
          dataSource={r.rows}
          columns={columns}
          pagination={r.rows.length > 50 ? { defaultPageSize: 50, showSizeChanger: true } : false}
          scroll={{ x: 1200 }}
          onRow={(row) => (drillable ? { onClick: () => goTo(row.node_code), style: { cursor: 'pointer' } } : {})}
          locale={{ emptyText: <Typography.Text type="secondary">{t('report.empty')}</Typography.Text> }}
          data-testid="report-table"
          summary={() => (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="report-total">
                <Table.Summary.Cell index={0}>
                  <strong>{t('report.total')}</strong>
                </Table.Summary.Cell>
                {totalCells.map((v, i) => (
                  <Table.Summary.Cell key={i} index={i + 1} align="right">
                    <strong>{v}</strong>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          )}
        />
      </Card>
    </Page>
  );
}
