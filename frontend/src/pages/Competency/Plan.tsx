import { useEffect, useState } from 'react';
import { Alert, App, Button, Form, InputNumber, Radio, Space, Switch, Table, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import { Loading, QueryError } from '../../components/States';

type Point = Schemas['PointView'];
type Choice = 'off' | 'compulsory' | 'optional';

/** A school admin's plan for a year: which points of the published catalogue are 必修 / 选修, how many to pass. */
export default function PlanPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const qc = useQueryClient();
  const school = me?.roles.find((r) => r.role === 'school_admin');
  const [year, setYear] = useState(dayjs().year());
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [form] = Form.useForm<{ required_passes: number; distinct_dimensions: boolean }>();
  const published = useQuery({
    queryKey: ['competency', 'published'],
    queryFn: async () => {
      const list = await unwrap(api.GET('/api/competency/catalogs', { params: { query: { status: 'published' } } }));
      const id = list.items[0]?.id;
      return id === undefined ? null : unwrap(api.GET('/api/competency/catalogs/{id}', { params: { path: { id } } }));
    },
  });
  const plan = useQuery({
    queryKey: ['competency', 'plan', school?.scope_code, year],
    enabled: !!school,
    queryFn: async () => (await unwrap(api.GET('/api/competency/plans', { params: { query: { year, school_code: school!.scope_code } } }))).items[0] ?? null,
  });
  useEffect(() => {
    const p = plan.data;
    setChoices(Object.fromEntries((p?.points ?? []).map((x) => [x.code, x.compulsory ? 'compulsory' : 'optional'])));
    form.setFieldsValue({ required_passes: p?.required_passes ?? 3, distinct_dimensions: p?.distinct_dimensions ?? false });
  }, [plan.data, form]);

  const save = async () => {
    const v = await form.validateFields();
    const points = Object.entries(choices)
      .filter(([, c]) => c !== 'off')
      .map(([code, c]) => ({ code, compulsory: c === 'compulsory' }));
    try {
      await unwrap(api.PUT('/api/competency/plans', { body: { school_code: school!.scope_code, year, required_passes: v.required_passes, distinct_dimensions: v.distinct_dimensions, points } }));
      message.success(t('competency.planSaved'));
      await qc.invalidateQueries({ queryKey: ['competency', 'plan'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['required_passes', 'distinct_dimensions'])) message.error(errorText(t, e));
    }
  };

  // A saved plan keeps its catalogue version; its cards are listed from the plan's own version.
  const versionCards = useVersionCards(plan.data?.catalog_id, published.data?.points ?? []);
  if (published.isLoading || plan.isLoading) return <Loading />;
  if (published.error) return <QueryError query={published} />;
  if (plan.error) return <QueryError query={plan} />;
  return (
    <Page
      title={t('competency.menu.plan')}
      subTitle={school ? `${school.scope_name} · ${t('competency.planFor', { year })}` : undefined}
      extra={
        <Space>
          <InputNumber aria-label={t('competency.year')} min={2020} max={2100} value={year} onChange={(v) => v && setYear(v)} />
          <Button type="primary" onClick={save} data-testid="save-plan">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {!published.data && !plan.data && <Alert type="warning" showIcon message={t('competency.noCatalog')} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item name="required_passes" label={t('competency.requiredPasses')} rules={[{ required: true }]}>
          <InputNumber min={1} max={30} />
        </Form.Item>
        <Form.Item name="distinct_dimensions" label={t('competency.distinctDimensions')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary">
        {t('competency.planHint', { n: Object.values(choices).filter((c) => c !== 'off').length })}
      </Typography.Paragraph>
      <Table<Point>
        rowKey="code"
        size="small"
        pagination={false}
        dataSource={versionCards}
        columns={[
          { title: t('competency.code'), dataIndex: 'code', width: 70 },
          { title: t('competency.name'), dataIndex: 'name' },
          { title: t('competency.dimension'), dataIndex: 'dimension', width: 110, render: (d?: string | null) => (d ? t(`competency.dim.${d}`) : '—') },
          {
            title: t('competency.choice'),
            width: 260,
            render: (_, p) => (
              <Radio.Group
                size="small"
                value={choices[p.code] ?? 'off'}
                onChange={(e) => setChoices((c) => ({ ...c, [p.code]: e.target.value as Choice }))}
                data-testid={`choice-${p.code}`}
                options={[
                  { value: 'off', label: t('competency.notOffered') },
                  { value: 'compulsory', label: t('competency.compulsory') },
                  { value: 'optional', label: t('competency.optional') },
                ]}
              />
            ),
          },
        ]}
      />
    </Page>
  );
}

/** The cards of a plan's catalogue version (or the published ones for a new plan). */
function useVersionCards(catalogId: number | undefined, fallback: Point[]): Point[] {
  const q = useQuery({
    queryKey: ['competency', 'catalog', catalogId],
    enabled: catalogId !== undefined,
    queryFn: () => unwrap(api.GET('/api/competency/catalogs/{id}', { params: { path: { id: catalogId! } } })),
  });
  return catalogId === undefined ? fallback : (q.data?.points ?? []);
}
