import { useEffect, useRef, useState } from 'react';
import { App, Badge, Button, DatePicker, Drawer, Form, Input, Modal, Popconfirm, Select, Table, Tabs, Tag, Typography, type UploadFile } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, downloadFile, unwrap } from '../../api/client';
import type { AnnouncementReadCounts, AnnouncementView, FileView, Role } from '../../api/types';
import { useAuth } from '../../auth/AuthContext';
import FileUpload, { uploadedIds } from '../../components/FileUpload';
import ListTable from '../../components/ListTable';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';

const ROLES: Role[] = ['city_admin', 'county_admin', 'school_admin', 'teacher', 'reviewer', 'tutor', 'institution_admin'];

interface DraftForm {
  title: string;
  body: string;
  roles: Role[];
  period?: [Dayjs | null, Dayjs | null];
  files?: UploadFile<FileView>[];
}

/** One announcement: its text and attachments; opening it marks it read. */
function Reader({ a, onClose }: { a?: AnnouncementView; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (
    <Drawer open={!!a} onClose={onClose} title={a?.title} width={560} data-testid="announcement-reader">
      {a && (
        <>
          <Typography.Paragraph type="secondary">
            {dayjs(a.valid_from).format('YYYY-MM-DD HH:mm')}
            {a.valid_until ? ` — ${dayjs(a.valid_until).format('YYYY-MM-DD HH:mm')}` : ''}
          </Typography.Paragraph>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{a.body}</Typography.Paragraph>
          {a.attachments.map((f) => (
            <div key={f.id}>
              <Typography.Link onClick={() => downloadFile(`/api/files/${f.id}/content`, {}, f.name).catch((e: unknown) => message.error(errorText(t, e)))}>{f.name}</Typography.Link>
            </div>
          ))}
        </>
      )}
    </Drawer>
  );
}

/** The valid announcements that reach me, unread first. */
function MyAnnouncements() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [open, setOpen] = useState<AnnouncementView>();
  const [params] = useSearchParams();

  const read = async (a: AnnouncementView) => {
    try {
      const r = await unwrap(api.POST('/api/announcements/{id}/read', { params: { path: { id: a.id } } }));
      setOpen(r);
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const asked = Number(params.get('open'));
  useEffect(() => {
    if (!asked) return;
    unwrap(api.GET('/api/announcements/{id}', { params: { path: { id: asked } } }))
      .then((a) => read(a))
      .catch(() => undefined);
    // Only when the link names another announcement.
  }, [asked]);

  const columns: ProColumns<AnnouncementView>[] = [
    {
      title: t('announcements.title'),
      dataIndex: 'title',
      render: (_, a) => (
        <Typography.Link onClick={() => read(a)} data-testid={`open-${a.id}`}>
          <Badge status={a.read ? 'default' : 'processing'} /> <Typography.Text strong={!a.read}>{a.title}</Typography.Text>
        </Typography.Link>
      ),
    },
    { title: t('announcements.validFrom'), dataIndex: 'valid_from', width: 150, render: (_, a) => dayjs(a.valid_from).format('YYYY-MM-DD HH:mm') },
    { title: t('announcements.state'), dataIndex: 'read', width: 100, render: (_, a) => (a.read ? t('announcements.read') : <Tag color="blue">{t('announcements.unread')}</Tag>) },
  ];

  return (
    <>
      <ListTable<AnnouncementView>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/announcements/mine', { params: { query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return { data: data.items, total: data.total, success: true };
        }}
        pagination={{ defaultPageSize: 20 }}
        options={{ density: false, setting: false, reload: true }}
        locale={{ emptyText: <Typography.Text type="secondary">{t('announcements.none')}</Typography.Text> }}
        data-testid="my-announcements"
      />
      <Reader a={open} onClose={() => setOpen(undefined)} />
    </>
  );
}

/** Publish or edit: title, text, roles (none: everyone), validity, attachments. */
function DraftModal({ editing, open, onDone }: { editing?: AnnouncementView; open: boolean; onDone: (changed: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DraftForm>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (editing) {
      form.setFieldsValue({
        title: editing.title,
        body: editing.body,
        roles: editing.roles,
        period: [dayjs(editing.valid_from), editing.valid_until ? dayjs(editing.valid_until) : null],
        files: editing.attachments.map((f) => ({ uid: String(f.id), name: f.name, status: 'done', response: f })),
      });
    }
  }, [open, editing, form]);

  const submit = async (v: DraftForm) => {
    const body = {
      title: v.title,
      body: v.body ?? '',
      roles: v.roles ?? [],
      attachments: uploadedIds(v.files),
      valid_from: v.period?.[0]?.toISOString(),
      valid_until: v.period?.[1]?.toISOString(),
    };
    setBusy(true);
    try {
      if (editing) {
        await unwrap(api.PUT('/api/announcements/{id}', { params: { path: { id: editing.id } }, body }));
      } else {
        await unwrap(api.POST('/api/announcements', { body }));
      }
      message.success(t(editing ? 'announcements.saved' : 'announcements.published'));
      onDone(true);
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t(editing ? 'announcements.edit' : 'announcements.publish')}
      onCancel={() => onDone(false)}
      onOk={() => form.submit()}
      okText={t(editing ? 'common.save' : 'announcements.publish')}
      confirmLoading={busy}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit} data-testid="announcement-form">
        <Form.Item name="title" label={t('announcements.title')} rules={[{ required: true, max: 200 }]}>
          <Input data-testid="announcement-title" />
        </Form.Item>
        <Form.Item name="body" label={t('announcements.body')} rules={[{ max: 20000 }]}>
          <Input.TextArea rows={6} data-testid="announcement-body" />
        </Form.Item>
        <Form.Item name="roles" label={t('announcements.roles')} extra={t('announcements.rolesHint')}>
          <Select mode="multiple" allowClear options={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`, { defaultValue: r }) }))} data-testid="announcement-roles" />
        </Form.Item>
        <Form.Item name="period" label={t('announcements.period')}>
          <DatePicker.RangePicker showTime allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="files" label={t('announcements.attachments')} valuePropName="fileList" getValueFromEvent={(e: { fileList: UploadFile<FileView>[] }) => e.fileList}>
          <FileUpload purpose="announcement" testId="announcement-upload" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Reads per child region (or school) of the announcement's node. */
function ReadCounts({ id, onClose }: { id?: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [counts, setCounts] = useState<AnnouncementReadCounts>();
  useEffect(() => {
    setCounts(undefined);
    if (id) void unwrap(api.GET('/api/announcements/{id}/read-counts', { params: { path: { id } } })).then(setCounts).catch(() => undefined);
  }, [id]);
  return (
    <Modal open={!!id} onCancel={onClose} footer={null} title={t('announcements.readCounts', { total: counts?.total ?? 0 })}>
      <Table
        size="small"
        rowKey={(r) => r.code ?? '-'}
        loading={!counts}
        dataSource={counts?.regions ?? []}
        pagination={false}
        columns={[
          { title: t('announcements.region'), dataIndex: 'name', render: (name: string, r) => (r.code ? name : t('announcements.atNode')) },
          { title: t('announcements.reads'), dataIndex: 'reads', width: 100 },
        ]}
        data-testid="read-counts"
      />
    </Modal>
  );
}

/** The announcements I manage: publish, edit, withdraw (with confirmation), read counts. */
function ManagedAnnouncements() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [draft, setDraft] = useState<{ open: boolean; editing?: AnnouncementView }>({ open: false });
  const [counting, setCounting] = useState<number>();

  const withdraw = async (id: number) => {
    try {
      await unwrap(api.POST('/api/announcements/{id}/withdraw', { params: { path: { id } } }));
      message.success(t('announcements.withdrawn'));
      await actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const columns: ProColumns<AnnouncementView>[] = [
    { title: t('announcements.title'), dataIndex: 'title' },
    { title: t('announcements.node'), dataIndex: 'node_code', width: 120 },
    { title: t('announcements.roles'), dataIndex: 'roles', render: (_, a) => (a.roles.length ? a.roles.map((r) => <Tag key={r}>{t(`roles.${r}`, { defaultValue: r })}</Tag>) : t('announcements.everyone')) },
    {
      title: t('announcements.period'),
      dataIndex: 'valid_from',
      width: 200,
      render: (_, a) => `${dayjs(a.valid_from).format('YYYY-MM-DD')} — ${a.valid_until ? dayjs(a.valid_until).format('YYYY-MM-DD') : t('announcements.open')}`,
    },
    { title: t('announcements.state'), dataIndex: 'withdrawn_at', width: 100, render: (_, a) => <Badge status={a.withdrawn_at ? 'default' : 'success'} text={t(a.withdrawn_at ? 'announcements.withdrawnTag' : 'announcements.published')} /> },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 200,
      render: (_, a) => [
        <Typography.Link key="counts" onClick={() => setCounting(a.id)} data-testid={`counts-${a.id}`}>
          {t('announcements.counts')}
        </Typography.Link>,
        !a.withdrawn_at && (
          <Typography.Link key="edit" onClick={() => setDraft({ open: true, editing: a })}>
            {t('announcements.edit')}
          </Typography.Link>
        ),
        !a.withdrawn_at && (
          <Popconfirm key="withdraw" title={t('announcements.confirmWithdraw')} okText={t('announcements.withdraw')} cancelText={t('common.cancel')} onConfirm={() => withdraw(a.id)}>
            <Typography.Link type="danger">{t('announcements.withdraw')}</Typography.Link>
          </Popconfirm>
        ),
      ],
    },
  ];

  return (
    <>
      <ListTable<AnnouncementView>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        toolBarRender={() => [
          <Button key="publish" type="primary" onClick={() => setDraft({ open: true })} data-testid="publish-announcement">
            {t('announcements.publish')}
          </Button>,
        ]}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/announcements', { params: { query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return { data: data.items, total: data.total, success: true };
        }}
        pagination={{ defaultPageSize: 20 }}
        options={{ density: false, setting: false, reload: true }}
        data-testid="managed-announcements"
      />
      <DraftModal
        open={draft.open}
        editing={draft.editing}
        onDone={(changed) => {
          setDraft({ open: false });
          if (changed) void actionRef.current?.reload();
        }}
      />
      <ReadCounts id={counting} onClose={() => setCounting(undefined)} />
    </>
  );
}

/** 通知公告: what reaches me, and for administrators what they publish. */
export default function AnnouncementsPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const tabs = [{ key: 'mine', label: t('announcements.mine'), children: <MyAnnouncements /> }];
  if (access('announcement.publish')) tabs.push({ key: 'managed', label: t('announcements.managed'), children: <ManagedAnnouncements /> });
  return (
    <Page title={t('menu.announcements')}>
      <Tabs items={tabs} />
    </Page>
  );
}
