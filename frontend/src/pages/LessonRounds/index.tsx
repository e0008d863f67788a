import { useRef, useState } from 'react';
import { App, Badge, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import { toListQuery, toTableResult } from '../../components/table';
import { ROUND_LEVELS, ROUND_STATUSES, type PoolReviewer, type Round, type RoundInput, type RoundLevel, type Rubric } from '../Lessons/api';
import { RoundStatusTag } from '../Lessons/parts';
import { failedTableProps } from '../../components/States';

const LEVEL_OF_ROLE: Record<string, RoundLevel> = { county_admin: 'county', city_admin: 'city', province_admin: 'province' };

/** The round level a region admin runs: the level of the node of their grant. */
export function myRoundLevel(roles: readonly { role: string }[] | undefined): RoundLevel | undefined {
  for (const r of roles ?? []) if (LEVEL_OF_ROLE[r.role]) return LEVEL_OF_ROLE[r.role];
  return undefined;
}

interface RoundForm {
  activity_id: number;
  level: RoundLevel;
  name: string;
  rubric_id: number;
  reviewers_per_lesson: number;
  blind: boolean;
  same_county_conflict: boolean;
  aggregation: 'mean' | 'drop_high_low';
  spread_threshold: number;
  quota_kind: 'percent' | 'fixed';
  quota_value: number;
  deadline: Dayjs;
  reminder_days: number[];
  publicity_days: number;
}

export function RoundFormModal({ open, round, onClose, onSaved }: { open: boolean; round?: Round; onClose: () => void; onSaved: (r: Round) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { me } = useAuth();
  const [form] = Form.useForm<RoundForm>();
  const [saving, setSaving] = useState(false);
  const activities = useQuery({ queryKey: ['lesson-activities'], queryFn: () => unwrap(api.GET('/api/lesson-activities', { params: { query: { page_size: 100 } } })) });
  const rubrics = useQuery({ queryKey: ['lesson-rubrics'], queryFn: () => unwrap(api.GET('/api/lesson-rubrics')) });
  const level = myRoundLevel(me?.roles);
  const quotaKind = Form.useWatch('quota_kind', form);
  const chosenLevel = Form.useWatch('level', form);
  const initial: Partial<RoundForm> = round
    ? {
        ...round,
        rubric_id: round.rubric.id,
        quota_kind: round.quota.kind,
        quota_value: round.quota.value,
        deadline: dayjs(round.deadline),
      }
    : {
        activity_id: activities.data?.items[0]?.id,
        level,
        reviewers_per_lesson: 3,
        blind: true,
        // A county round's pool is all of its own county: same-county 回避 would leave nobody to review.
        same_county_conflict: level !== 'county',
        aggregation: 'mean',
        spread_threshold: 15,
        quota_kind: 'percent',
        quota_value: 30,
        deadline: dayjs().add(14, 'day').endOf('day'),
        reminder_days: [3, 1],
        publicity_days: 7,
        rubric_id: rubrics.data?.find((r) => r.is_default)?.id,
      };

  const save = async () => {
    const v = await form.validateFields();
    const body: RoundInput = {
      activity_id: v.activity_id,
      level: v.level,
      name: v.name.trim(),
      rubric_id: v.rubric_id,
      reviewers_per_lesson: v.reviewers_per_lesson,
      blind: v.blind,
      same_county_conflict: v.level !== 'county' && v.same_county_conflict,
      aggregation: v.aggregation,
      spread_threshold: v.spread_threshold,
      quota: { kind: v.quota_kind, value: v.quota_value },
      deadline: v.deadline.toISOString(),
      reminder_days: [...new Set(v.reminder_days ?? [])].sort((a, b) => b - a),
      publicity_days: v.publicity_days,
    };
    setSaving(true);
    try {
      const saved = round
        ? await unwrap(api.PUT('/api/lesson-rounds/{id}', { params: { path: { id: round.id } }, body }))
        : await unwrap(api.POST('/api/lesson-rounds', { body }));
      message.success(t('common.saved'));
      onSaved(saved);
    } catch (e) {
      if (!applyFieldErrors(form, e)) message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      width={760}
      title={round ? t('lessonRounds.edit') : t('lessonRounds.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={save}
      onCancel={onClose}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'save-round', disabled: activities.isLoading || rubrics.isLoading } as never}
    >
      {!activities.isLoading && !rubrics.isLoading && (
        <Form form={form} layout="vertical" initialValues={initial} preserve={false} data-testid="round-form">
          <Space wrap align="start">
            <Form.Item name="activity_id" label={t('lessons.activity')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select style={{ width: 240 }} options={(activities.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.year} ${a.name}` }))} />
            </Form.Item>
            <Form.Item name="level" label={t('lessons.round.level')} rules={[{ required: true, message: t('validation.required') }]} extra={t('lessonRounds.levelHelp')}>
              <Select style={{ width: 140 }} options={ROUND_LEVELS.map((l) => ({ value: l, label: t(`lessons.level.${l}`) }))} />
            </Form.Item>
          </Space>
          <Form.Item name="name" label={t('lessons.round.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={128} data-testid="round-name" />
          </Form.Item>
          <Space wrap align="start">
            <Form.Item name="rubric_id" label={t('lessonRounds.rubric')} rules={[{ required: true, message: t('validation.required') }]}>
              <Select style={{ width: 260 }} options={(rubrics.data ?? []).map((r) => ({ value: r.id, label: `${r.name}（${r.total}）` }))} />
            </Form.Item>
            <Form.Item name="reviewers_per_lesson" label={t('lessonRounds.reviewersPerLesson')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={15} precision={0} />
            </Form.Item>
            <Form.Item name="aggregation" label={t('lessonRounds.aggregation')} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'mean', label: t('lessonRounds.agg.mean') },
                  { value: 'drop_high_low', label: t('lessonRounds.agg.drop_high_low') },
                ]}
              />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="blind" label={t('lessonRounds.blind')} valuePropName="checked">
              <Switch />
            </Form.Item>
            {chosenLevel === 'county' ? (
              <Form.Item label={t('lessonRounds.sameCounty')} extra={t('lessonRounds.sameCountyCounty')}>
                <Switch checked={false} disabled aria-label={t('lessonRounds.sameCounty')} />
              </Form.Item>
            ) : (
              <Form.Item name="same_county_conflict" label={t('lessonRounds.sameCounty')} valuePropName="checked">
                <Switch />
              </Form.Item>
            )}
            <Form.Item name="spread_threshold" label={t('lessonRounds.spreadThreshold')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={0} max={100} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="quota_kind" label={t('lessonRounds.quota')} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'percent', label: t('lessonRounds.quotaPercent') },
                  { value: 'fixed', label: t('lessonRounds.quotaFixed') },
                ]}
              />
            </Form.Item>
            <Form.Item name="quota_value" label={quotaKind === 'fixed' ? t('lessonRounds.quotaCount') : t('lessonRounds.quotaShare')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={quotaKind === 'fixed' ? 100000 : 100} precision={0} addonAfter={quotaKind === 'fixed' ? undefined : '%'} />
            </Form.Item>
          </Space>
          <Space wrap align="start">
            <Form.Item name="deadline" label={t('lessonRounds.deadline')} rules={[{ required: true, message: t('validation.required') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" />
            </Form.Item>
            <Form.Item name="reminder_days" label={t('lessonRounds.reminderDays')} extra={t('lessonRounds.reminderHelp')}>
              <Checkbox.Group options={[7, 3, 2, 1].map((d) => ({ value: d, label: t('lessonRounds.daysBefore', { count: d }) }))} />
            </Form.Item>
            <Form.Item name="publicity_days" label={t('lessonRounds.publicityDays')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={1} max={60} precision={0} />
            </Form.Item>
          </Space>
        </Form>
      )}
    </Modal>
  );
}

function RoundsTab() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const ref = useRef<ActionType>(undefined);
  const [creating, setCreating] = useState(false);
  const columns: ProColumns<Round>[] = [
    { title: t('lessons.round.name'), dataIndex: 'name', search: false, render: (_, r) => <Link to={`/lesson-rounds/${r.id}`}>{r.name}</Link> },
    { title: t('lessons.round.level'), dataIndex: 'level', valueType: 'select', width: 90, valueEnum: Object.fromEntries(ROUND_LEVELS.map((l) => [l, { text: t(`lessons.level.${l}`) }])), render: (_, r) => t(`lessons.level.${r.level}`) },
    { title: t('lessonRounds.region'), dataIndex: 'region_name', search: false, width: 110 },
    { title: t('common.status'), dataIndex: 'status', valueType: 'select', width: 100, valueEnum: Object.fromEntries(ROUND_STATUSES.map((s) => [s, { text: t(`lessons.roundStatus.${s}`) }])), render: (_, r) => <RoundStatusTag status={r.status} /> },
    { title: t('lessonRounds.entries'), dataIndex: 'entries', search: false, width: 80 },
    { title: t('lessonRounds.progress'), dataIndex: 'submitted_reviews', search: false, width: 120, render: (_, r) => `${r.submitted_reviews} / ${r.assigned}` },
    { title: t('lessonRounds.flagged'), dataIndex: 'flagged', search: false, width: 80, render: (_, r) => (r.flagged ? <Badge status="warning" text={r.flagged} /> : 0) },
    { title: t('lessonRounds.deadline'), dataIndex: 'deadline', search: false, width: 140, render: (_, r) => dayjs(r.deadline).format('YYYY-MM-DD HH:mm') },
  ];
  return (
    <>
      <ListTable<Round>
        rowKey="id"
        actionRef={ref}
        columns={columns}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/lesson-rounds', { params: { query: toListQuery(p, {}) as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('lessonRounds.list')}
        toolBarRender={() => [
          <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="new-round">
            {t('lessonRounds.create')}
          </Button>,
        ]}
        data-testid="rounds-table"
      />
      <RoundFormModal open={creating} onClose={() => setCreating(false)} onSaved={(r) => navigate(`/lesson-rounds/${r.id}`)} />
    </>
  );
}

function PoolTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ref = useRef<ActionType>(undefined);
  const [adding, setAdding] = useState(false);
  const [keyword, setKeyword] = useState('');
  const [account, setAccount] = useState<number | undefined>();
  const [saving, setSaving] = useState(false);
  const accounts = useQuery({
    queryKey: ['accounts', 'reviewers', keyword],
    enabled: adding,
    queryFn: () => unwrap(api.GET('/api/accounts', { params: { query: { role: 'reviewer', keyword: keyword || undefined, page_size: 20 } } })),
  });
  const remove = async (r: PoolReviewer) => {
    try {
      await unwrap(api.DELETE('/api/lesson-reviewers/{id}', { params: { path: { id: r.id } } }));
      message.success(t('lessonRounds.poolRemoved'));
      ref.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };
  const certify = async () => {
    if (!account) return;
    setSaving(true);
    try {
      await unwrap(api.POST('/api/lesson-reviewers', { body: { account_id: account } }));
      message.success(t('lessonRounds.certified'));
      setAdding(false);
      setAccount(undefined);
      ref.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  const columns: ProColumns<PoolReviewer>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true },
    { title: t('lessonRounds.username'), dataIndex: 'username', search: false },
    { title: t('lessonRounds.displayName'), dataIndex: 'display_name', search: false },
    { title: t('lessonRounds.pool'), dataIndex: 'region_name', search: false },
    { title: t('lessonRounds.homeSchool'), dataIndex: 'home_school_name', search: false, render: (_, r) => r.home_school_name ?? '—' },
    { title: t('lessonRounds.homeCounty'), dataIndex: 'home_county', search: false, render: (_, r) => r.home_county ?? '—' },
    { title: t('lessonRounds.certifiedAt'), dataIndex: 'certified_at', search: false, render: (_, r) => dayjs(r.certified_at).format('YYYY-MM-DD') },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 90,
      render: (_, r) => (
        <Popconfirm title={t('lessonRounds.confirmRemovePool', { name: r.display_name })} okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => remove(r)}>
          <Typography.Link type="danger" data-testid={`remove-pool-${r.id}`}>
            {t('lessons.remove')}
          </Typography.Link>
        </Popconfirm>
      ),
    },
  ];
  return (
    <>
      <ListTable<PoolReviewer>
        rowKey="id"
        actionRef={ref}
        columns={columns}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/lesson-reviewers', { params: { query: toListQuery(p, {}) as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('lessonRounds.poolTitle')}
        toolBarRender={() => [
          <Button key="add" type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="certify-reviewer">
            {t('lessonRounds.certify')}
          </Button>,
        ]}
        data-testid="pool-table"
      />
      <Modal open={adding} title={t('lessonRounds.certify')} okText={t('lessonRounds.certify')} cancelText={t('common.cancel')} confirmLoading={saving} okButtonProps={{ disabled: !account }} onOk={certify} onCancel={() => setAdding(false)} destroyOnHidden>
        <Typography.Paragraph type="secondary">{t('lessonRounds.certifyHelp')}</Typography.Paragraph>
        <Select
          showSearch
          style={{ width: '100%' }}
          filterOption={false}
          aria-label={t('lessonRounds.searchAccount')}
          onSearch={setKeyword}
          value={account}
          onChange={setAccount}
          loading={accounts.isFetching}
          options={(accounts.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.username} · ${a.display_name}` }))}
          data-testid="account-search"
        />
      </Modal>
    </>
  );
}

interface RubricForm {
  name: string;
  criteria: { key: string; name: string; max_points: number; description?: string }[];
}

function RubricsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RubricForm>();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const rubrics = useQuery({ queryKey: ['lesson-rubrics'], queryFn: () => unwrap(api.GET('/api/lesson-rubrics')) });
  const criteria = Form.useWatch('criteria', form);
  const total = (criteria ?? []).reduce((a, c) => a + (Number(c?.max_points) || 0), 0);
  const save = async () => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      await unwrap(api.POST('/api/lesson-rubrics', { body: { name: v.name.trim(), criteria: v.criteria.map((c) => ({ ...c, key: c.key.trim(), name: c.name.trim() })) } }));
      message.success(t('common.saved'));
      setOpen(false);
      await qc.invalidateQueries({ queryKey: ['lesson-rubrics'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name'])) message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="new-rubric">
          {t('lessonRounds.newRubric')}
        </Button>
      </Space>
      <Table<Rubric>
        rowKey="id"
        loading={rubrics.isLoading}
        dataSource={rubrics.data ?? []}
        pagination={false}
        expandable={{
          expandedRowRender: (r) => (
            <Table
              rowKey="key"
              size="small"
              pagination={false}
              dataSource={r.criteria}
              columns={[
                { title: t('lessonRounds.criterionKey'), dataIndex: 'key', width: 140 },
                { title: t('lessonRounds.criterionName'), dataIndex: 'name', width: 160 },
                { title: t('lessonRounds.maxPoints'), dataIndex: 'max_points', width: 90 },
                { title: t('lessonRounds.criterionDesc'), dataIndex: 'description' },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('lessonRounds.rubricName'), dataIndex: 'name', render: (n: string, r) => (r.is_default ? <Space>{n}<Tag color="blue">{t('lessonRounds.default')}</Tag></Space> : n) },
          { title: t('lessonRounds.criteria'), dataIndex: 'criteria', render: (c: Rubric['criteria']) => c.map((x) => `${x.name} ${x.max_points}`).join('，') },
          { title: t('lessonRounds.total'), dataIndex: 'total', width: 80 },
        ]}
        data-testid="rubrics-table"
        {...failedTableProps(rubrics)}
      />
      <Modal open={open} width={760} title={t('lessonRounds.newRubric')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={saving} onOk={save} onCancel={() => setOpen(false)} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ criteria: [{ key: '', name: '', max_points: 10 }] }}>
          <Form.Item name="name" label={t('lessonRounds.rubricName')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={128} />
          </Form.Item>
          <Form.List name="criteria">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline" wrap>
                    <Form.Item name={[f.name, 'key']} rules={[{ required: true, pattern: /^[a-z0-9_]{1,32}$/, message: t('lessonRounds.keyRule') }]}>
                      <Input placeholder="goals" aria-label={t('lessonRounds.criterionKey')} style={{ width: 120 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                      <Input placeholder={t('lessonRounds.criterionName')} aria-label={t('lessonRounds.criterionName')} style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'max_points']} rules={[{ required: true, message: t('validation.required') }]}>
                      <InputNumber min={1} max={100} precision={0} aria-label={t('lessonRounds.maxPoints')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'description']}>
                      <Input placeholder={t('lessonRounds.criterionDesc')} aria-label={t('lessonRounds.criterionDesc')} style={{ width: 200 }} />
                    </Form.Item>
                    <MinusCircleOutlined aria-label={t('lessons.remove')} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button block icon={<PlusOutlined />} onClick={() => add({ key: '', name: '', max_points: 10 })} disabled={fields.length >= 20}>
                  {t('lessonRounds.addCriterion')}
                </Button>
              </>
            )}
          </Form.List>
          <Typography.Paragraph style={{ marginTop: 12 }}>{t('lessonRounds.rubricTotal', { total })}</Typography.Paragraph>
        </Form>
      </Modal>
    </>
  );
}

/** 评审组织 (region admins): review rounds, the region's reviewer pool and the rubrics. */
export default function LessonRoundsPage() {
  const { t } = useTranslation();
  return (
    <Page title={t('lessons.menu.rounds')}>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'rounds', label: t('lessonRounds.roundsTab'), children: <RoundsTab /> },
          { key: 'pool', label: t('lessonRounds.poolTab'), children: <PoolTab /> },
          { key: 'rubrics', label: t('lessonRounds.rubricsTab'), children: <RubricsTab /> },
        ]}
      />
    </Page>
  );
}
