import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Space, Table, Typography } from 'antd';
import { BarChartOutlined, FileDoneOutlined, FormOutlined, PlusOutlined, TeamOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { Enrollment, Quota, ReviewLevel } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { ErrorState, Loading, NotFoundResult, failedTableProps } from '../../components/States';
import { ProgramStatus, ReviewStatusBadge } from '../Programs/status';
import BulkAssign from './BulkAssign';
import QuotaForm from './QuotaForm';
import DistributeQuota from './DistributeQuota';
import { mayDistributeFrom } from './distribute';
import SubstituteForm from './SubstituteForm';
import MyProgress from './MyProgress';
import NodeName from '../../components/NodeName';

const RANK: Record<string, number> = { province_admin: 4, city_admin: 3, county_admin: 2, school_admin: 1 };
const LEVEL_RANK: Record<ReviewLevel, number> = { school: 1, county: 2 };

/** Whether my administrative rank reaches the level a pending enrolment waits for (the server checks again). */
export function mayDecide(roles: readonly { role: string }[] | undefined, awaiting: ReviewLevel | undefined): boolean {
  const mine = Math.max(0, ...(roles ?? []).map((r) => RANK[r.role] ?? 0));
  return !!awaiting && mine > 0 && mine >= LEVEL_RANK[awaiting];
}

export default function ProgramDetailPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { id } = useParams();
  const { access, me } = useAuth();
  const navigate = useNavigate();
  const [quotaOpen, setQuotaOpen] = useState(false);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [rejecting, setRejecting] = useState<Enrollment | undefined>();
  const [substituting, setSubstituting] = useState<Enrollment | undefined>();
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const [busy, setBusy] = useState(false);
  const programId = Number(id);
  const valid = Number.isInteger(programId) && programId > 0;
  const canManage = access('program.manage');
  // A teacher without an administrative role has no use for the quota table.
  const teacherOnly = !!me?.teacher_id && (me?.roles ?? []).every((r) => r.role === 'teacher');
  const [distributing, setDistributing] = useState<Quota | undefined>();
  const myNodes = (me?.roles ?? []).map((r) => r.scope_code);

  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: programId } } })),
    enabled: valid,
  });
  const quotas = useQuery({
    queryKey: ['program', programId, 'quotas'],
    queryFn: () => unwrap(api.GET('/api/programs/{id}/quotas', { params: { path: { id: programId } } })),
    enabled: valid && !!program.data && !teacherOnly,
  });
  const enrollments = useQuery({
    queryKey: ['program', programId, 'enrollments'],
    queryFn: () => unwrap(api.GET('/api/programs/{id}/enrollments', { params: { path: { id: programId }, query: { page: 1, page_size: 200 } } })),
    enabled: valid && !!program.data,
  });

  /** Runs an action, toasts success or the translated error, then refreshes the page's data. */
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      message.success(t('common.saved'));
      void program.refetch();
      void quotas.refetch();
      void enrollments.refetch();
      return true;
    } catch (e) {
      message.error(errorText(t, e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (!valid) return <NotFoundResult />;
  if (program.isPending) return <Loading />;
  if (program.error) return <ErrorState error={program.error} onRetry={() => program.refetch()} />;
  const p = program.data;
  const isTeacher = !!me?.teacher_id;
  const mine = enrollments.data?.items.find((e) => e.teacher_id === me?.teacher_id && e.review_status !== 'revoked' && e.review_status !== 'rejected');

  const decide = (e: Enrollment, decision: 'approve' | 'reject', reason?: string) =>
    act(() => unwrap(api.POST('/api/enrollments/{id}/decision', { params: { path: { id: e.id } }, body: reason ? { decision, reason } : { decision } })));

  const quotaColumns = [
    { title: t('programs.quotaNode'), dataIndex: 'node_name', render: (_: unknown, q: Quota) => <span>{q.node_name} <span className="mono">({q.node_code})</span></span> },
    { title: t('programs.quotaSeats'), dataIndex: 'seats', align: 'right' as const, width: 100 },
    { title: t('programs.allocated'), dataIndex: 'allocated', align: 'right' as const, width: 100 },
    { title: t('programs.used'), dataIndex: 'used', align: 'right' as const, width: 100 },
    { title: t('programs.available'), dataIndex: 'available', align: 'right' as const, width: 100 },
    {
      title: t('common.actions'),
      key: 'distribute',
      width: 120,
      render: (_: unknown, q: Quota) =>
        canManage &&
        program.data?.status !== 'closed' &&
        q.available > 0 &&
        mayDistributeFrom(q.node_code, myNodes) && (
          <Typography.Link onClick={() => setDistributing(q)} data-testid={`distribute-${q.node_code}`}>
            {t('distribute.button')}
          </Typography.Link>
        ),
    },
  ];

  const enrollmentColumns = [
    { title: t('programs.teacher'), dataIndex: 'teacher_name', width: 120 },
    { title: t('programs.school'), dataIndex: 'school_name', ellipsis: true },
    {
      title: t('programs.reviewStatus'),
      dataIndex: 'review_status',
      width: 100,
      render: (_: unknown, e: Enrollment) => <ReviewStatusBadge status={e.review_status} />,
    },
    { title: t('programs.awaiting'), dataIndex: 'awaiting', width: 100, render: (_: unknown, e: Enrollment) => (e.awaiting ? t(`reviewLevel.${e.awaiting}`) : '—') },
    { title: t('programs.trainingStatus'), dataIndex: 'training_status', width: 100, render: (_: unknown, e: Enrollment) => t(`trainingStatus.${e.training_status}`, { defaultValue: e.training_status }) },
    { title: t('programs.countedHours'), dataIndex: 'counted_hours', align: 'right' as const, width: 100 },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 200,
      render: (_: unknown, e: Enrollment) => (
        <Space size="middle">
          {e.review_status === 'pending' && mayDecide(me?.roles, e.awaiting) && (
            <>
              <Typography.Link disabled={busy} onClick={() => void decide(e, 'approve')} data-testid={`approve-${e.id}`}>
                {t('programs.approve')}
              </Typography.Link>
              <Typography.Link
                type="danger"
                disabled={busy}
                onClick={() => {
                  reasonForm.resetFields();
                  setRejecting(e);
                }}
                data-testid={`reject-${e.id}`}
              >
                {t('programs.reject')}
              </Typography.Link>
            </>
          )}
          {e.review_status === 'approved' && canManage && e.teacher_id !== me?.teacher_id && (
            <Typography.Link disabled={busy} onClick={() => setSubstituting(e)} data-testid={`substitute-${e.id}`}>
              {t('programs.substitute')}
            </Typography.Link>
          )}
          {(e.review_status === 'pending' || e.review_status === 'approved') && (
            <Popconfirm
              title={t('programs.confirmWithdraw')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => act(() => unwrap(api.POST('/api/enrollments/{id}/withdraw', { params: { path: { id: e.id } }, body: {} })))}
            >
              <Typography.Link disabled={busy} data-testid={`withdraw-${e.id}`}>
                {t('programs.withdraw')}
              </Typography.Link>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Page
      title={p.name}
      subTitle={<ProgramStatus status={p.status} />}
      trail={[{ title: t('menu.programs'), to: '/programs' }]}
      extra={
        <Space>
          <Button onClick={() => navigate('/programs')}>{t('common.back')}</Button>
          {access('result.submit') && p.status !== 'draft' && (
            <Button icon={<FileDoneOutlined />} onClick={() => navigate(`/programs/${p.id}/results`)} data-testid="open-results">
              {t('results.open')}
            </Button>
          )}
          {canManage && (
            <Button icon={<TeamOutlined />} onClick={() => navigate(`/classes?program=${p.id}`)} data-testid="open-classes">
              {t('classes.open')}
            </Button>
          )}
          {(canManage || isTeacher) && (
            <Button icon={<FormOutlined />} onClick={() => navigate(`/quizzes?program=${p.id}`)} data-testid="open-quizzes">
              {t('quizzes.open')}
            </Button>
          )}
          {canManage && p.status !== 'closed' && (
            <Button icon={<PlusOutlined />} onClick={() => navigate(`/quizzes/new?program=${p.id}`)} data-testid="create-quiz">
              {t('quizzes.create')}
            </Button>
          )}
          {canManage && p.status !== 'draft' && (
            <Button icon={<BarChartOutlined />} onClick={() => navigate(`/programs/${p.id}/report`)} data-testid="open-report">
              {t('report.open')}
            </Button>
          )}
          {isTeacher && p.status === 'published' && p.enrolment_mode === 'free' && !mine && (
            <Button type="primary" loading={busy} onClick={() => void act(() => unwrap(api.POST('/api/programs/{id}/enrollments', { params: { path: { id: p.id } }, body: {} })))} data-testid="enroll">
              {t('programs.enroll')}
            </Button>
          )}
          {isTeacher && mine && <ReviewStatusBadge status={mine.review_status} />}
          {canManage && p.status === 'draft' && (
            <Popconfirm
              title={t('programs.confirmPublish')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => act(() => unwrap(api.POST('/api/programs/{id}/publish', { params: { path: { id: p.id } } })))}
            >
              <Button type="primary" loading={busy} data-testid="publish-program">
                {t('programs.publish')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      <Space direction="vertical" size="middle" style={{ display: 'flex' }}>
        {mine?.review_status === 'approved' && <MyProgress program={p} enrollment={mine} />}
        <Card title={t('programs.summary')}>
          <Descriptions column={{ xs: 1, md: 2, lg: 3 }} bordered size="small">
            <Descriptions.Item label={t('programs.level')}>{t(`programLevel.${p.level}`)}</Descriptions.Item>
            <Descriptions.Item label={t('programs.kind')}>{p.kind}</Descriptions.Item>
            <Descriptions.Item label={t('programs.year')}>{p.year}</Descriptions.Item>
            <Descriptions.Item label={t('programs.mode')}>{t(`enrolmentMode.${p.enrolment_mode}`)}</Descriptions.Item>
            <Descriptions.Item label={t('programs.hourRule')}>
              {t(`hourRule.${p.hour_rule_kind}`)}
              {p.hour_caps.length > 0 && <> · {p.hour_caps.map((c) => `${t(`hourCategory.${c.category}`)} ${c.hours}`).join('、')}</>}
            </Descriptions.Item>
            <Descriptions.Item label={t('programs.requiredHours')}>{p.required_hours}</Descriptions.Item>
            {p.competencies > 0 && <Descriptions.Item label={t('programs.competencies')}>{p.competencies}</Descriptions.Item>}
            <Descriptions.Item label={t('programs.owner')}>
              <NodeName code={p.owner_code} />
            </Descriptions.Item>
            {!teacherOnly && <Descriptions.Item label={t('programs.seats')}>{p.seats}</Descriptions.Item>}
            <Descriptions.Item label={t('programs.createdAt')}>{dayjs(p.created_at).format('YYYY-MM-DD HH:mm')}</Descriptions.Item>
          </Descriptions>
        </Card>
        {!teacherOnly && (
          <Card
            title={t('programs.quotas')}
            extra={
              canManage &&
              p.status !== 'closed' && (
                <Button onClick={() => setQuotaOpen(true)} data-testid="allocate-quota">
                  {t('programs.allocate')}
                </Button>
              )
            }
          >
            {quotas.error ? (
              <ErrorState error={quotas.error} onRetry={() => quotas.refetch()} />
            ) : (
              <Table<Quota> rowKey="id" size="small" loading={quotas.isPending} dataSource={quotas.data} columns={quotaColumns} pagination={false} locale={{ emptyText: <Typography.Text type="secondary">{t('programs.quotasEmpty')}</Typography.Text> }} data-testid="quotas" {...failedTableProps(quotas)} />
            )}
          </Card>
        )}
        <Card
          title={t('programs.enrollments')}
          extra={
            canManage &&
            p.status === 'published' && (
              <Button icon={<UsergroupAddOutlined />} onClick={() => setBulkOpen(true)} data-testid="bulk-assign">
                {t('programs.bulk.open')}
              </Button>
            )
          }
        >
          {enrollments.error ? (
            <ErrorState error={enrollments.error} onRetry={() => enrollments.refetch()} />
          ) : (
            <Table<Enrollment>
              rowKey="id"
              size="small"
              loading={enrollments.isPending}
              dataSource={enrollments.data?.items}
              columns={enrollmentColumns}
              pagination={false}
              scroll={{ x: 900 }}
              locale={{ emptyText: <Typography.Text type="secondary">{t('programs.enrollmentsEmpty')}</Typography.Text> }}
              {...failedTableProps(enrollments)}
            />
          )}
        </Card>
      </Space>
      <DistributeQuota
        programId={p.id}
        quota={distributing}
        onClose={() => setDistributing(undefined)}
        onDone={() => void quotas.refetch()}
      />
      <QuotaForm
        programId={p.id}
        open={quotaOpen}
        onClose={() => setQuotaOpen(false)}
        onSaved={() => {
          setQuotaOpen(false);
          void quotas.refetch();
        }}
      />
      <BulkAssign
        programId={p.id}
        open={bulkOpen}
        onClose={() => setBulkOpen(false)}
        onCommitted={() => {
          void quotas.refetch();
          void enrollments.refetch();
        }}
      />
      <SubstituteForm
        enrollment={substituting}
        onClose={() => setSubstituting(undefined)}
        onSaved={() => {
          setSubstituting(undefined);
          void quotas.refetch();
          void enrollments.refetch();
        }}
      />
      <Modal
        open={!!rejecting}
        title={t('programs.rejectTitle')}
        okText={t('programs.reject')}
        okButtonProps={{ danger: true }}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setRejecting(undefined)}
        onOk={async () => {
          const { reason } = await reasonForm.validateFields();
          if (rejecting && (await decide(rejecting, 'reject', reason.trim()))) setRejecting(undefined);
        }}
      >
        <Form form={reasonForm} layout="vertical" preserve={false}>
          <Form.Item label={t('programs.reason')} name="reason" rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input.TextArea maxLength={500} rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
