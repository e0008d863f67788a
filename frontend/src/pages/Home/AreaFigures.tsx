import { lazy, Suspense, useMemo } from 'react';
import { Card, Col, Row, Statistic, Table, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../api/client';
import { Loading } from '../../components/States';
import { chartSeries, percentOf, type NodeFigures } from './figures';

// ECharts is loaded only when a chart is shown, so the first download does not grow.
const AreaChart = lazy(() => import('./AreaChart'));

const pct = (rate: number) => `${percentOf(rate).toFixed(1)}%`;

/** My area's cards for the year, and its children as a chart with the same numbers as a table. */
export default function AreaFiguresCard({ figures }: { figures: Schemas['AreaFigures'] }) {
  const { t } = useTranslation();
  const total = figures.total;
  const cards: { key: string; value: string | number }[] = [
    { key: 'teachers', value: total.teachers },
    { key: 'enrolments', value: total.enrolments },
    { key: 'participation', value: pct(total.participation_rate) },
    { key: 'completion', value: pct(total.completion_rate) },
    { key: 'averageHours', value: total.average_hours.toFixed(1) },
    { key: 'competencyPass', value: pct(total.competency_pass_rate) },
    { key: 'lessonsSubmitted', value: figures.lessons_submitted },
    { key: 'lessonsAwarded', value: figures.lessons_awarded },
  ];
  const series = useMemo(() => chartSeries(figures.children), [figures.children]);
  const bars = useMemo(
    () => [
      { name: t('home.figures.participation'), values: series.participation },
      { name: t('home.figures.completion'), values: series.completion },
    ],
    [series, t],
  );
  const columns: ColumnsType<NodeFigures> = [
    { title: t('home.figures.node'), dataIndex: 'name', fixed: 'left' },
    { title: t('home.figures.teachers'), dataIndex: 'teachers', align: 'right' },
    { title: t('home.figures.enrolments'), dataIndex: 'enrolments', align: 'right' },
    { title: t('home.figures.participation'), dataIndex: 'participation_rate', align: 'right', render: pct },
    { title: t('home.figures.completion'), dataIndex: 'completion_rate', align: 'right', render: pct },
    { title: t('home.figures.averageHours'), dataIndex: 'average_hours', align: 'right', render: (h: number) => h.toFixed(1) },
    { title: t('home.figures.competencyPass'), dataIndex: 'competency_pass_rate', align: 'right', render: pct },
  ];
  return (
    <Card title={t('home.figures.title', { name: total.name, year: figures.year })} className="home-card" data-testid="home-figures">
      <Row gutter={[12, 12]}>
        {cards.map((c) => (
          <Col xs={12} sm={8} md={6} key={c.key}>
            <Statistic title={t(`home.figures.${c.key}`)} value={c.value} />
          </Col>
        ))}
      </Row>
      {figures.children.length > 0 && (
        <Tabs
          className="home-children"
          items={[
            {
              key: 'chart',
              label: t('home.figures.chart'),
              children: (
                <Suspense fallback={<Loading />}>
                  <AreaChart categories={series.categories} series={bars} label={t('home.figures.chartLabel', { name: total.name })} />
                </Suspense>
              ),
            },
            {
              key: 'table',
              label: t('home.figures.table'),
              children: (
                <Table<NodeFigures>
                  rowKey="code"
                  size="small"
                  columns={columns}
                  dataSource={figures.children}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                  data-testid="home-children-table"
                />
              ),
            },
          ]}
        />
      )}
    </Card>
  );
}
