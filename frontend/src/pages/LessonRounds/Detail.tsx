import { useRef, useState } from 'react';
import { Alert, App, Badge, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { CloseOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import Page from '../../components/Page';
import { ErrorState, Loading, failedTableProps } from '../../components/States';
import { errorText } from '../../components/errors';
import { type Entry, type EntryReviewer, type Objection, type Round } from '../Lessons/api';
import { ReviewStatus, RoundStatusTag } from '../Lessons/parts';
import { RoundFormModal } from './index';
import { toTableResult } from '../../components/table';


function OverrideModal({ round, entry, onClose, onDone }: { round: Round; entry: Entry; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ score: number; reason: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('lessonRounds.overrideTitle', { title: entry.title })}
      okText={t('lessonRounds.override')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      okButtonProps={{ 'data-testid': 'save-override' } as never}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        try {
          await unwrap(api.POST('/api/lesson-rounds/{id}/entries/{entry_id}/override', { params: { path: { id: round.id, entry_id: entry.id } }, body: { score: v.score, reason: v.reason.trim() } }));
          message.success(t('common.saved'));
          onDone();
        } catch (e) {
          message.error(errorText(t, e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Typography.Paragraph>
        {t('lessonRounds.overrideHelp', { score: entry.score?.toFixed(2) ?? '—', spread: entry.spread?.toFixed(2) ?? '—' })}
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ score: entry.override_score ?? entry.score ?? undefined, reason: entry.override_reason ?? '' }}>
        <Form.Item name="score" label={t('lessons.score')} rules={[{ required: true, message: t('validation.required') }]}>
          <InputNumber min={0} max={round.rubric.total} step={0.5} />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, message: t('validation.reasonRequired') }]}>
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AddReviewerModal({ round, entry, onClose, onDone }: { round: Round; entry: Entry; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [reviewer, setReviewer] = useState<number | undefined>();
  const [busy, setBusy] = useState(false);
  const pool = useQuery({ queryKey: ['lesson-pool', q], queryFn: () => unwrap(api.GET('/api/lesson-reviewers', { params: { query: { q: q || undefined, page_size: 50 } } })) });
  return (
    <Modal
      open
      title={t('lessonRounds.addReviewerTitle', { title: entry.title })}
      okText={t('lessonRounds.addReviewer')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: !reviewer }}
      destroyOnHidden
      onCancel={onClose}
      onOk={async () => {
        if (reviewer === undefined) return; // the OK button is disabled until one is chosen
        setBusy(true);
        try {
          await unwrap(api.POST('/api/lesson-rounds/{id}/assignments', { params: { path: { id: round.id } }, body: { entry_id: entry.id, reviewer_id: reviewer } }));
          message.success(t('lessonRounds.reviewerAdded'));
          onDone();
        } catch (e) {
          message.error(errorText(t, e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Select
        showSearch
        filterOption={false}
        style={{ width: '100%' }}
        onSearch={setQ}
        value={reviewer}
        onChange={setReviewer}
        aria-label={t('lessonRounds.searchPool')}
        options={(pool.data?.items ?? [])
          .filter((p) => !entry.reviewers.some((r) => r.reviewer_id === p.account_id))
          .map((p) => ({ value: p.account_id, label: `${p.display_name} · ${p.username}${p.home_school_name ? ` · ${p.home_school_name}` : ''}` }))}
      />
    </Modal>
  );
}

function ObjectionsTab({ round, onChanged }: { round: Round; onChanged: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [resolving, setResolving] = useState<Objection | undefined>();
  const [form] = Form.useForm<{ upheld: boolean; response: string }>();
  const [busy, setBusy] = useState(false);
  const list = useQuery({
    queryKey: ['lesson-objections', round.id],
    queryFn: async () => {
      const r = await unwrap(api.GET('/api/lesson-rounds/{id}/objections', { params: { path: { id: round.id }, query: { page_size: 100 } } }));
      return r.items;
    },
  });
  const open = (o: Objection) => o.status === 'open';
  return (
    <>
      <Table<Objection>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        data-testid="objections-table"
        columns={[
          { title: t('lessonRounds.entry'), dataIndex: 'lesson_title' },
          { title: t('lessonPublicity.objection'), dataIndex: 'text' },
          { title: t('lessonRounds.raisedAt'), dataIndex: 'created_at', width: 140, render: (v?: string) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—') },
          {
            title: t('common.status'),
            width: 120,
            render: (_, o) => (open(o) ? <Badge status="warning" text={t('lessonRounds.objectionOpen')} /> : o.status === 'upheld' ? <Badge status="error" text={t('lessonRounds.upheld')} /> : <Badge status="default" text={t('lessonRounds.dismissed')} />),
          },
          { title: t('lessonRounds.response'), dataIndex: 'response', render: (v?: string | null) => v ?? '—' },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, o) =>
              open(o) ? (
                <Typography.Link
                  onClick={() => {
                    form.resetFields();
                    setResolving(o);
                  }}
                  data-testid={`resolve-${o.id}`}
                >
                  {t('lessonRounds.resolve')}
                </Typography.Link>
              ) : null,
          },
        ]}
        {...failedTableProps(list)}
      />
      <Modal
        open={!!resolving}
        title={t('lessonRounds.resolveTitle')}
        okText={t('lessonRounds.resolve')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        forceRender
        onCancel={() => setResolving(undefined)}
        onOk={async () => {
          const v = await form.validateFields();
          setBusy(true);
          try {
            await unwrap(api.POST('/api/lesson-objections/{id}/resolve', { params: { path: { id: resolving!.id } }, body: { upheld: v.upheld, response: v.response.trim() } }));
            message.success(t('lessonRounds.resolved'));
            setResolving(undefined);
            await list.refetch();
            onChanged();
          } catch (e) {
            message.error(errorText(t, e));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Typography.Paragraph>{resolving?.text}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          <Form.Item name="upheld" label={t('lessonRounds.decision')} rules={[{ required: true, message: t('validation.required') }]}>
            <Radio.Group
              options={[
                { value: true, label: t('lessonRounds.uphold') },
                { value: false, label: t('lessonRounds.dismiss') },
              ]}
            />
          </Form.Item>
          <Form.Item name="response" label={t('lessonRounds.response')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** One review round: settings, entries with their reviewers and scores, the round's steps, 公示 objections. */
export default function RoundDetail() {
  const { id } = useParams();
  const roundId = Number(id);
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const entriesRef = useRef<ActionType>(undefined);
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [poolErrors, setPoolErrors] = useState<{ field: string; message: string }[] | null>(null);
  const [override, setOverride] = useState<Entry | undefined>();
  const [adding, setAdding] = useState<Entry | undefined>();
  const q = useQuery({ queryKey: ['lesson-round', roundId], queryFn: () => unwrap(api.GET('/api/lesson-rounds/{id}', { params: { path: { id: roundId } } })) });
  const round = q.data;
  const refresh = async () => {
    await q.refetch();
    entriesRef.current?.reload();
    void qc.invalidateQueries({ queryKey: ['lesson-objections', roundId] });
  };

  const steps = {
    assign: () => unwrap(api.POST('/api/lesson-rounds/{id}/assign', { params: { path: { id: roundId } } })).then((r) => r.assigned),
    start: () => unwrap(api.POST('/api/lesson-rounds/{id}/start', { params: { path: { id: roundId } } })).then(() => 0),
    close: () => unwrap(api.POST('/api/lesson-rounds/{id}/close', { params: { path: { id: roundId } } })).then(() => 0),
    confirm: () => unwrap(api.POST('/api/lesson-rounds/{id}/confirm', { params: { path: { id: roundId } } })).then(() => 0),
    publish: () => unwrap(api.POST('/api/lesson-rounds/{id}/publish', { params: { path: { id: roundId } } })).then(() => 0),
  };
  const step = async (name: keyof typeof steps, done: string) => {
    setBusy(name);
    try {
      const assigned = await steps[name]();
      message.success(t(done, { count: assigned ?? 0 }));
      await refresh();
    } catch (e) {
      if (isApiError(e) && e.code === 'pool_insufficient') setPoolErrors(e.problem.errors ?? []);
      else message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };

  const removeAssignment = async (a: EntryReviewer) => {
    try {
      await unwrap(api.DELETE('/api/lesson-rounds/{id}/assignments/{assignment_id}', { params: { path: { id: roundId, assignment_id: a.assignment_id } } }));
      message.success(t('lessonRounds.reviewerRemoved'));
      await refresh();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  if (q.isLoading) return <Loading />;
  if (q.error || !round) return <ErrorState error={q.error} onRetry={() => q.refetch()} />;
  const s = round.status;

  const columns: ProColumns<Entry>[] = [
    {
      title: t('lessonRounds.show'),
      dataIndex: 'filter',
      hideInTable: true,
      valueType: 'select',
      valueEnum: { flagged: { text: t('lessonRounds.onlyFlagged') }, recommended: { text: t('lessonRounds.onlyRecommended') } },
    },
    { title: t('lessons.rank'), dataIndex: 'rank', search: false, width: 60, sorter: true, render: (_, e) => e.rank ?? '—' },
    {
      title: t('lessons.titleField'),
      dataIndex: 'title',
      search: false,
      width: 220,
      render: (_, e) => (
        <div>
          <div>{e.title}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {[e.teacher_name, e.school_name, e.county_name].filter(Boolean).join(' · ')}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {[e.stage, e.subject, e.grade, e.node].filter(Boolean).join(' / ')}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: t('lessonRounds.reviewers'),
      dataIndex: 'reviewers',
      search: false,
      width: 300,
      render: (_, e) => (
        <Space direction="vertical" size={2}>
          {e.reviewers.map((r) => (
            <Space key={r.assignment_id} size={4} data-testid={`assignment-${r.assignment_id}`}>
              <span>{r.display_name}</span>
              <ReviewStatus status={r.status} />
              {typeof r.total === 'number' && <Typography.Text strong>{r.total}</Typography.Text>}
              {r.status !== 'submitted' && (s === 'draft' || s === 'reviewing') && (
                <Popconfirm title={t('lessonRounds.confirmRemoveReviewer', { name: r.display_name })} okText={t('common.ok')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }} onConfirm={() => removeAssignment(r)}>
                  <Button size="small" type="text" danger icon={<CloseOutlined />} aria-label={t('lessonRounds.removeReviewer', { name: r.display_name })} />
                </Popconfirm>
              )}
            </Space>
          ))}
          {(s === 'draft' || s === 'reviewing' || s === 'closed') && (
            <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => setAdding(e)} data-testid={`add-reviewer-${e.id}`}>
              {t('lessonRounds.addReviewer')}
            </Button>
          )}
        </Space>
      ),
    },
    {
      title: t('lessons.score'),
      dataIndex: 'score',
      search: false,
      sorter: true,
      width: 110,
      render: (_, e) => (
        <span data-testid={`score-${e.id}`}>
          {typeof e.override_score === 'number' ? (
            <>
              {e.override_score.toFixed(2)} <Tag color="blue">{t('lessonRounds.overridden')}</Tag>
            </>
          ) : typeof e.score === 'number' ? (
            e.score.toFixed(2)
          ) : (
            '—'
          )}
        </span>
      ),
    },
    { title: t('lessonRounds.spread'), dataIndex: 'spread', search: false, width: 80, render: (_, e) => (typeof e.spread === 'number' ? e.spread.toFixed(1) : '—') },
    {
      title: t('lessonRounds.flagged'),
      dataIndex: 'flagged',
      search: false,
      width: 90,
      render: (_, e) => (e.flagged ? <Badge status="warning" text={t('lessonRounds.flaggedBadge')} data-testid={`flagged-${e.id}`} /> : '—'),
    },
    {
      title: t('lessons.recommended'),
      dataIndex: 'recommended',
      search: false,
      width: 120,
      render: (_, e) =>
        e.excluded ? (
          <Tag color="red">{t('lessonRounds.excluded')}</Tag>
        ) : e.recommended ? (
          <Tag color="blue" data-testid={`recommended-${e.id}`}>
            {t('lessons.recommended')}
          </Tag>
        ) : e.reason ? (
          <Typography.Text type="secondary">{t(`lessonRounds.notRecommended.${e.reason}`)}</Typography.Text>
        ) : (
          '—'
        ),
    },
    { title: t('lessonRounds.objections'), dataIndex: 'objections', search: false, width: 70 },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 90,
      render: (_, e) =>
        e.flagged && (s === 'reviewing' || s === 'closed') ? (
          <Typography.Link onClick={() => setOverride(e)} data-testid={`override-${e.id}`}>
            {t('lessonRounds.override')}
          </Typography.Link>
        ) : null,
    },
  ];

  const confirmSet = () =>
    modal.confirm({
      title: t('lessonRounds.confirmSetTitle'),
      content: t('lessonRounds.confirmSetBody', { days: round.publicity_days }),
      okText: t('lessonRounds.confirmSet'),
      cancelText: t('common.cancel'),
      okButtonProps: { 'data-testid': 'confirm-set-ok' } as never,
      onOk: () => step('confirm', 'lessonRounds.setConfirmed'),
    });

  return (
    <Page
      title={round.name}
      trail={[{ title: t('lessons.menu.rounds'), to: '/lesson-rounds' }]}
      subTitle={
        <Space>
          <RoundStatusTag status={s} />
          {t(`lessons.level.${round.level}`)} · {round.region_name}
        </Space>
      }
      extra={
        <>
          <Button onClick={() => navigate('/lesson-rounds')}>{t('common.back')}</Button>
          {s === 'draft' && (
            <>
              <Button onClick={() => setEditing(true)} data-testid="edit-round">
                {t('common.edit')}
              </Button>
              <Button loading={busy === 'assign'} onClick={() => step('assign', 'lessonRounds.assigned')} data-testid="auto-assign">
                {t('lessonRounds.autoAssign')}
              </Button>
              <Popconfirm title={t('lessonRounds.confirmStart')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => step('start', 'lessonRounds.started')}>
                <Button type="primary" loading={busy === 'start'} data-testid="start-round">
                  {t('lessonRounds.start')}
                </Button>
              </Popconfirm>
            </>
          )}
          {s === 'reviewing' && (
            <Popconfirm title={t('lessonRounds.confirmClose')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => step('close', 'lessonRounds.closed')}>
              <Button type="primary" loading={busy === 'close'} data-testid="close-round">
                {t('lessonRounds.close')}
              </Button>
            </Popconfirm>
          )}
          {s === 'closed' && (
            <Button type="primary" loading={busy === 'confirm'} onClick={confirmSet} data-testid="confirm-set">
              {t('lessonRounds.confirmSet')}
            </Button>
          )}
          {s === 'publicity' && (
            <Popconfirm title={t('lessonRounds.confirmPublish')} okText={t('common.ok')} cancelText={t('common.cancel')} onConfirm={() => step('publish', 'lessonRounds.published')}>
              <Button type="primary" loading={busy === 'publish'} data-testid="publish-round">
                {t('lessonRounds.publish')}
              </Button>
            </Popconfirm>
          )}
          {s === 'published' && round.level === 'province' && (
            <Button
              icon={<DownloadOutlined />}
              onClick={() => downloadFile(`/api/lesson-activities/${round.activity_id}/ministry-export`, {}, 'ministry-export.xlsx').catch((e: unknown) => message.error(errorText(t, e)))}
              data-testid="ministry-export"
            >
              {t('lessonRounds.ministryExport')}
            </Button>
          )}
        </>
      }
    >
      <Card size="small" style={{ marginBottom: 16 }}>
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={t('lessonRounds.rubric')}>
            {round.rubric.name}（{round.rubric.total}）
          </Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.reviewersPerLesson')}>{round.reviewers_per_lesson}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.blind')}>{round.blind ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.sameCounty')}>{round.same_county_conflict ? t('common.yes') : t('common.no')}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.aggregation')}>{t(`lessonRounds.agg.${round.aggregation}`)}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.spreadThreshold')}>{round.spread_threshold}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.quota')}>{round.quota.kind === 'percent' ? `${round.quota.value}%` : t('lessonRounds.quotaN', { count: round.quota.value })}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.deadline')}>{dayjs(round.deadline).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.reminderDays')}>{round.reminder_days.join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('lessonRounds.publicityDays')}>{round.publicity_days}</Descriptions.Item>
          {round.publicity_ends_at && <Descriptions.Item label={t('lessonRounds.publicityEnds')}>{dayjs(round.publicity_ends_at).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>}
          <Descriptions.Item label={t('lessonRounds.progress')}>
            <span data-testid="round-progress">
              {round.entries} · {round.submitted_reviews} / {round.assigned}
            </span>
          </Descriptions.Item>
        </Descriptions>
      </Card>
      {poolErrors && (
        <Alert
          type="error"
          showIcon
          closable
          onClose={() => setPoolErrors(null)}
          style={{ marginBottom: 16 }}
          message={t('lessonRounds.poolInsufficient')}
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="pool-errors">
              {poolErrors.map((e, i) => (
                // each message names the lesson and how many reviewers it lacks / the pool has free of conflicts
                <li key={i}>{e.message}</li>
              ))}
            </ul>
          }
        />
      )}
      <Tabs
        items={[
          {
            key: 'entries',
            label: t('lessonRounds.entriesTab'),
            children: (
              <ListTable<Entry>
                rowKey="id"
                actionRef={entriesRef}
                columns={columns}
                request={async (p, sort) => {
                  const [field, order] = Object.entries(sort).find(([, o]) => o) ?? [];
                  const query: Record<string, unknown> = { page: p.current ?? 1, page_size: p.pageSize ?? 20, sort: field ?? 'rank' };
                  if (order) query.order = order === 'ascend' ? 'asc' : 'desc';
                  if (p.filter === 'flagged') query.flagged = true;
                  if (p.filter === 'recommended') query.recommended = true;
                  const data = await unwrap(api.GET('/api/lesson-rounds/{id}/entries', { params: { path: { id: roundId }, query: query as never } }));
                  return toTableResult(data);
                }}
                pagination={{ defaultPageSize: 20, showSizeChanger: true }}
                search={{ labelWidth: 'auto' }}
                options={{ density: false, setting: false, reload: true }}
                rowClassName={(e) => (e.flagged ? 'row-flagged' : '')}
                scroll={{ x: 1200 }}
                data-testid="entries-table"
              />
            ),
          },
          ...(s === 'publicity' || s === 'published' ? [{ key: 'objections', label: t('lessonRounds.objectionsTab'), children: <ObjectionsTab round={round} onChanged={refresh} /> }] : []),
        ]}
      />
      <RoundFormModal
        open={editing}
        round={round}
        onClose={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          void refresh();
        }}
      />
      {override && (
        <OverrideModal
          round={round}
          entry={override}
          onClose={() => setOverride(undefined)}
          onDone={() => {
            setOverride(undefined);
            void refresh();
          }}
        />
      )}
      {adding && (
        <AddReviewerModal
          round={round}
          entry={adding}
          onClose={() => setAdding(undefined)}
          onDone={() => {
            setAdding(undefined);
            void refresh();
          }}
        />
      )}
    </Page>
  );
}
