import { useState } from 'react';
import { App, Button, Card, Form, InputNumber, Table, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import SubmissionQueue from './Queue';
import { failedTableProps } from '../../components/States';

type Draw = Schemas['SpotCheckView'];

/** The county's spot-check: draw a share of the school-passed submissions with a seed; review the drawn ones. */
export default function SpotCheckPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const qc = useQueryClient();
  const county = me?.roles.find((r) => (r.role === 'county_admin' || r.role === 'reviewer') && r.scope_code.length === 6);
  const reviewer = me?.roles.some((r) => r.role === 'reviewer' && r.scope_code.length === 6);
  const [selected, setSelected] = useState<number | undefined>();
  const [form] = Form.useForm<{ year: number; share_percent: number; seed: number }>();
  const draws = useQuery({ queryKey: ['competency', 'draws'], queryFn: () => unwrap(api.GET('/api/competency/spot-checks', { params: { query: { page_size: 50 } } })) });

  const draw = async () => {
    const v = await form.validateFields();
    try {
      const d = await unwrap(api.POST('/api/competency/spot-checks', { body: { county_code: county!.scope_code, ...v } }));
      message.success(t('competency.drawn', { drawn: d.drawn, population: d.population }));
      setSelected(d.id);
      await qc.invalidateQueries({ queryKey: ['competency', 'draws'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['year', 'share_percent', 'seed'])) message.error(errorText(t, e));
    }
  };

  return (
    <Page title={t('competency.menu.spotCheck')} subTitle={county?.scope_name}>
      {county && (
        <Card size="small" title={t('competency.newDraw')} style={{ marginBottom: 16 }}>
          <Form form={form} layout="inline" initialValues={{ year: dayjs().year(), share_percent: 10, seed: dayjs().year() * 100 + 1 }}>
            <Form.Item name="year" label={t('competency.year')} rules={[{ required: true }]}>
              <InputNumber min={2020} max={2100} />
            </Form.Item>
            <Form.Item name="share_percent" label={t('competency.share')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100} addonAfter="%" data-testid="draw-share" />
            </Form.Item>
            <Form.Item name="seed" label={t('competency.seed')} rules={[{ required: true }]} tooltip={t('competency.seedHelp')}>
              <InputNumber style={{ width: 160 }} data-testid="draw-seed" />
            </Form.Item>
            <Button type="primary" onClick={draw} data-testid="draw">
              {t('competency.draw')}
            </Button>
          </Form>
        </Card>
      )}
      <Table<Draw>
        rowKey="id"
        size="small"
        loading={draws.isLoading}
        dataSource={draws.data?.items ?? []}
        pagination={false}
        rowClassName={(d) => (d.id === selected ? 'ant-table-row-selected' : '')}
        onRow={(d) => ({ onClick: () => setSelected(d.id) })}
        columns={[
          { title: t('competency.drawnAt'), dataIndex: 'drawn_at', render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm') },
          { title: t('competency.county'), dataIndex: 'county_name' },
          { title: t('competency.year'), dataIndex: 'year' },
          { title: t('competency.seed'), dataIndex: 'seed' },
          { title: t('competency.share'), dataIndex: 'share_percent', render: (v: number) => `${v}%` },
          { title: t('competency.sample'), render: (_, d) => `${d.drawn} / ${d.population}` },
          { title: t('competency.drawnBy'), dataIndex: 'drawn_by' },
        ]}
        {...failedTableProps(draws)}
      />
      {selected !== undefined && (
        <>
          <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
            {t('competency.drawnSubmissions')}
          </Typography.Title>
          <SubmissionQueue key={selected} mode={reviewer ? 'spot-check' : undefined} spotCheckId={selected} />
        </>
      )}
    </Page>
  );
}
