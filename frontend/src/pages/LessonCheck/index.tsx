import { useRef, useState } from 'react';
import { App, Badge, Button, Descriptions, Drawer, Popconfirm, Select, Space, Tabs, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import ReasonModal from '../../components/ReasonModal';
import { Loading, QueryError } from '../../components/States';
import { errorText } from '../../components/errors';
import { toListQuery, toTableResult } from '../../components/table';
import { formatBytes, LESSON_STATUSES, type LessonSummary, type TeacherVerification } from '../Lessons/api';
import { DownloadLink, LessonStatusTag, MediaSummary, RequirementChecklist, VideoPlayer } from '../Lessons/parts';

function TeachersTab({ activityId }: { activityId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const ref = useRef<ActionType>(undefined);
  const [busy, setBusy] = useState<number | null>(null);
  const toggle = async (r: TeacherVerification) => {
    setBusy(r.teacher_id);
    try {
      const path = { params: { path: { id: activityId, teacher_id: r.teacher_id } } };
      if (r.verified) await unwrap(api.DELETE('/api/lesson-activities/{id}/teachers/{teacher_id}/verify', path));
      else await unwrap(api.POST('/api/lesson-activities/{id}/teachers/{teacher_id}/verify', path));
      message.success(t(r.verified ? 'lessonCheck.revoked' : 'lessonCheck.verified'));
      ref.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(null);
    }
  };
  const columns: ProColumns<TeacherVerification>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true },
    { title: t('lessonCheck.teacher'), dataIndex: 'name', search: false },
    { title: t('lessonCheck.school'), dataIndex: 'school_name', search: false },
    { title: t('lessons.catalogue.stage'), dataIndex: 'stage', search: false, width: 80, render: (_, r) => t(`stage.${r.stage}`) },
    { title: t('lessons.catalogue.subject'), dataIndex: 'subject', search: false, width: 80 },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      valueEnum: { verified: { text: t('lessonCheck.isVerified') }, unverified: { text: t('lessonCheck.notVerified') } },
      render: (_, r) => <Badge status={r.verified ? 'success' : 'default'} text={t(r.verified ? 'lessonCheck.isVerified' : 'lessonCheck.notVerified')} />,
    },
    { title: t('lessonCheck.verifiedAt'), dataIndex: 'verified_at', search: false, render: (_, r) => (r.verified_at ? dayjs(r.verified_at).format('YYYY-MM-DD HH:mm') : '—') },
    { title: t('lessonCheck.lessons'), dataIndex: 'lessons', search: false, width: 80 },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 100,
      render: (_, r) => (
        <Popconfirm
          title={r.verified ? t('lessonCheck.confirmRevoke', { name: r.name }) : t('lessonCheck.confirmVerify', { name: r.name })}
          okText={t('common.ok')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: r.verified }}
          onConfirm={() => toggle(r)}
        >
          <Typography.Link type={r.verified ? 'danger' : undefined} disabled={busy === r.teacher_id} data-testid={`verify-${r.teacher_id}`}>
            {r.verified ? t('lessonCheck.revoke') : t('lessonCheck.verify')}
          </Typography.Link>
        </Popconfirm>
      ),
    },
  ];
  return (
    <ListTable<TeacherVerification>
      rowKey="teacher_id"
      actionRef={ref}
      columns={columns}
      params={{ activityId }}
      request={async (p) => {
        const q = toListQuery(p, {});
        delete q.activityId;
        const data = await unwrap(api.GET('/api/lesson-activities/{id}/teachers', { params: { path: { id: activityId }, query: q as never } }));
        return toTableResult(data);
      }}
      pagination={{ defaultPageSize: 20, showSizeChanger: true }}
      search={{ labelWidth: 'auto' }}
      options={{ density: false, setting: false, reload: true }}
      headerTitle={t('lessonCheck.teachers')}
      data-testid="teachers-table"
    />
  );
}

function LessonDrawer({ id, onClose, onDone }: { id: number; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [busy, setBusy] = useState(false);
  const q = useQuery({ queryKey: ['lesson', id], queryFn: () => unwrap(api.GET('/api/lessons/{id}', { params: { path: { id } } })) });
  const l = q.data;
  const check = async (approved: boolean, reason?: string) => {
    await unwrap(api.POST('/api/lessons/{id}/check', { params: { path: { id } }, body: { approved, reason } }));
    message.success(t(approved ? 'lessonCheck.passedMsg' : 'lessonCheck.returnedMsg'));
    onDone();
  };
  const video = l?.items.find((i) => i.kind === 'video');
  return (
    <Drawer open width={820} title={l?.title ?? ''} onClose={onClose} destroyOnHidden data-testid="check-drawer">
      {!l ? (
        <Loading />
      ) : (
        <Space direction="vertical" style={{ width: '100%' }} size={16}>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label={t('lessonCheck.teacher')}>{l.teacher_name}</Descriptions.Item>
            <Descriptions.Item label={t('lessonCheck.school')}>{l.school_name}</Descriptions.Item>
            <Descriptions.Item label={t('lessons.catalogue.node')} span={2}>
              {[l.stage, l.subject, l.edition, l.grade, l.volume, l.chapter, l.node].join(' / ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('lessons.lessonNo')}>{l.lesson_no}</Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <LessonStatusTag status={l.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('lessons.advisors')} span={2}>
              {l.advisors.join('、') || '—'}
            </Descriptions.Item>
            {(['objectives', 'learner_analysis', 'key_points', 'activities'] as const).map((k) => (
              <Descriptions.Item key={k} label={t(`lessons.designSection.${k}`)} span={2}>
                <span style={{ whiteSpace: 'pre-wrap' }}>{l.design[k] || '—'}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
          <div>
            <Typography.Title level={2} style={{ fontSize: 16 }}>
              {t('lessons.items')}
            </Typography.Title>
            <ul data-testid="check-items">
              {l.items.map((i) => (
                <li key={i.id}>
                  {t(`lessons.kind.${i.kind}`)}
                  {i.material_type && ` (${t(`lessons.material.${i.material_type}`)})`}: <DownloadLink path={`/api/files/${i.file.id}/content`} name={i.file.name} /> {formatBytes(i.file.size)}
                </li>
              ))}
            </ul>
          </div>
          {video && (
            <div>
              <MediaSummary media={video.file.media} />
              <VideoPlayer token={{ file: video.file.id }} posterPath={video.file.has_poster ? `/api/files/${video.file.id}/poster` : undefined} title={video.file.name} />
            </div>
          )}
          <RequirementChecklist requirements={l.requirements} checks={video?.file.media?.checks} />
          {l.status === 'submitted' && (
            <Space>
              <Popconfirm
                title={t('lessonCheck.confirmPass', { title: l.title })}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={async () => {
                  setBusy(true);
                  try {
                    await check(true);
                  } catch (e) {
                    message.error(errorText(t, e));
                  } finally {
                    setBusy(false);
                  }
                }}
              >
                <Button type="primary" loading={busy} data-testid="check-pass">
                  {t('lessonCheck.pass')}
                </Button>
              </Popconfirm>
              <Button danger onClick={() => setReturning(true)} data-testid="check-return">
                {t('lessonCheck.sendBack')}
              </Button>
            </Space>
          )}
          <ReasonModal open={returning} title={t('lessonCheck.sendBackTitle')} okText={t('lessonCheck.sendBack')} onCancel={() => setReturning(false)} onSubmit={(reason) => check(false, reason)} />
        </Space>
      )}
    </Drawer>
  );
}

function LessonsTab({ activityId }: { activityId: number }) {
  const { t } = useTranslation();
  const ref = useRef<ActionType>(undefined);
  const [open, setOpen] = useState<number | null>(null);
  const columns: ProColumns<LessonSummary>[] = [
    { title: t('lessons.titleField'), dataIndex: 'q', hideInTable: true },
    { title: t('lessons.titleField'), dataIndex: 'title', search: false, ellipsis: true, sorter: true },
    { title: t('lessonCheck.teacher'), dataIndex: 'teacher_name', search: false },
    { title: t('lessons.catalogue.stage'), dataIndex: 'stage', width: 70 },
    { title: t('lessons.catalogue.subject'), dataIndex: 'subject', width: 70 },
    { title: t('lessons.catalogue.node'), dataIndex: 'node', search: false, ellipsis: true },
    {
      title: t('common.status'),
      dataIndex: 'status',
      valueType: 'select',
      initialValue: 'submitted',
      width: 100,
      valueEnum: Object.fromEntries(LESSON_STATUSES.map((s) => [s, { text: t(`lessons.status.${s}`) }])),
      render: (_, r) => <LessonStatusTag status={r.status} />,
    },
    { title: t('lessons.submittedAt'), dataIndex: 'submitted_at', search: false, sorter: true, render: (_, r) => (r.submitted_at ? dayjs(r.submitted_at).format('YYYY-MM-DD HH:mm') : '—') },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 90,
      render: (_, r) => (
        <Typography.Link onClick={() => setOpen(r.id)} data-testid={`check-${r.id}`}>
          {r.status === 'submitted' ? t('lessonCheck.check') : t('common.view')}
        </Typography.Link>
      ),
    },
  ];
  return (
    <>
      <ListTable<LessonSummary>
        rowKey="id"
        actionRef={ref}
        columns={columns}
        params={{ activityId }}
        request={async (p, sort) => {
          const q = toListQuery(p, sort);
          delete q.activityId;
          const data = await unwrap(api.GET('/api/lessons', { params: { query: { ...(q as object), activity_id: activityId } as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto' }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('lessonCheck.lessonsTitle')}
        data-testid="check-lessons-table"
      />
      {open !== null && (
        <LessonDrawer
          id={open}
          onClose={() => setOpen(null)}
          onDone={() => {
            setOpen(null);
            ref.current?.reload();
          }}
        />
      )}
    </>
  );
}

/** 晒课审查 (school admin): verify the school's teachers for the activity, then check their submitted lessons. */
export default function LessonCheckPage() {
  const { t } = useTranslation();
  const [selected, setSelected] = useState<number | undefined>();
  const activities = useQuery({ queryKey: ['lesson-activities'], queryFn: () => unwrap(api.GET('/api/lesson-activities', { params: { query: { page_size: 100 } } })) });
  const activityId = selected ?? activities.data?.items[0]?.id;
  if (activities.isLoading) return <Loading />;
  if (activities.error) return <QueryError query={activities} />;
  return (
    <Page
      title={t('lessons.menu.check')}
      extra={
        <Select
          style={{ width: 240 }}
          aria-label={t('lessons.activity')}
          // A province runs one activity a year: after a few years the list is long enough to want a search.
          showSearch
          optionFilterProp="label"
          value={activityId}
          onChange={setSelected}
          options={(activities.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.year} ${a.name}` }))}
        />
      }
    >
      {activityId === undefined ? (
        <Typography.Text type="secondary">{t('lessons.noActivity')}</Typography.Text>
      ) : (
        <Tabs
          items={[
            { key: 'lessons', label: t('lessonCheck.lessonsTab'), children: <LessonsTab activityId={activityId} /> },
            { key: 'teachers', label: t('lessonCheck.teachersTab'), children: <TeachersTab activityId={activityId} /> },
          ]}
        />
      )}
    </Page>
  );
}
