import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Spin, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import type { HourCategory } from '../../api/types';
import { applyFieldErrors, errorText } from '../../components/errors';
import { CATEGORIES } from './parts';
import { attendanceOf, validHours } from './rules';
import { toTableResult } from '../../components/table';

type Session = Schemas['SessionView'];
interface SessionValues {
  held_on: Dayjs;
  title: string;
  category: HourCategory;
  hours: number;
}

/** Offline sessions (面授) of the class; the tutor records who attended, which credits their hours. */
export default function Sessions({ klass, canRun }: { klass: Schemas['ClassView']; canRun: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [marking, setMarking] = useState<Session | undefined>();
  const [form] = Form.useForm<SessionValues>();

  const columns: ProColumns<Session>[] = [
    { title: t('classes.heldOn'), dataIndex: 'held_on', width: 120 },
    { title: t('classes.sessionTitle'), dataIndex: 'title', ellipsis: true },
    { title: t('classes.hours'), dataIndex: 'hours', width: 150, render: (_, r) => `${r.hours} · ${t(`hourCategory.${r.category}`)}` },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 120,
      render: (_, r) => (
        <Typography.Link onClick={() => setMarking(r)} data-testid={`attendance-${r.id}`}>
          {canRun ? t('classes.recordAttendance') : t('classes.viewAttendance')}
        </Typography.Link>
      ),
    },
  ];

  const create = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      await unwrap(
        api.POST('/api/classes/{id}/sessions', {
          params: { path: { id: klass.id } },
          body: { held_on: v.held_on.format('YYYY-MM-DD'), title: v.title.trim(), category: v.category, hours: v.hours },
        }),
      );
      message.success(t('classes.sessionCreated'));
      setCreating(false);
      actionRef.current?.reload();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['held_on', 'title', 'category', 'hours'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <ListTable<Session>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/classes/{id}/sessions', { params: { path: { id: klass.id }, query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('classes.tabSessions')}
        toolBarRender={() =>
          canRun
            ? [
                <Button key="new" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-session">
                  {t('classes.createSession')}
                </Button>,
              ]
            : []
        }
        locale={{ emptyText: <Typography.Text type="secondary">{t('classes.noSessions')}</Typography.Text> }}
        scroll={{ x: 600 }}
      />
      <Modal
        open={creating}
        title={t('classes.createSession')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setCreating(false)}
        onOk={() => void create().catch(() => undefined)}
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={{ category: 'centralized', hours: 3 }}>
          <Form.Item label={t('classes.heldOn')} name="held_on" rules={[{ required: true, message: t('validation.required') }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item label={t('classes.sessionTitle')} name="title" rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 128 }]}>
            <Input maxLength={128} />
          </Form.Item>
          <Form.Item label={t('classes.category')} name="category" rules={[{ required: true, message: t('validation.required') }]}>
            <Select options={CATEGORIES.map((c) => ({ value: c, label: t(`hourCategory.${c}`) }))} />
          </Form.Item>
          <Form.Item
            label={t('classes.hours')}
            name="hours"
            rules={[
              { required: true, message: t('validation.required') },
              { validator: (_, h) => (h === undefined || h === null || validHours(h, 0.5, 24) ? Promise.resolve() : Promise.reject(new Error(t('classes.hoursStep', { min: 0.5, max: 24 })))) },
            ]}
          >
            <InputNumber min={0.5} max={24} step={0.5} style={{ width: '100%' }} />
          </Form.Item>
        </Form>
      </Modal>
      <Attendance session={marking} klass={klass} canRun={canRun} onClose={() => setMarking(undefined)} />
    </>
  );
}

/** A checkbox per member: checked attended, unchecked absent. Unticking someone already marked present is confirmed. */
function Attendance({ session, klass, canRun, onClose }: { session: Session | undefined; klass: Schemas['ClassView']; canRun: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [checked, setChecked] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const members = useQuery({
    queryKey: ['class', klass.id, 'members', 'all'],
    queryFn: () => unwrap(api.GET('/api/classes/{id}/members', { params: { path: { id: klass.id }, query: { page: 1, page_size: 500 } } })),
    enabled: !!session,
  });
  const recorded = useQuery({
    queryKey: ['session', session?.id, 'attendance'],
    queryFn: () => unwrap(api.GET('/api/sessions/{id}/attendance', { params: { path: { id: session!.id } } })),
    enabled: !!session,
  });
  // The ticks start from what was recorded, once per opened session: a later refetch (window focus) must not wipe
  // what the tutor has ticked since.
  const startedFor = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!session) startedFor.current = undefined;
    else if (recorded.data && startedFor.current !== session.id) {
      startedFor.current = session.id;
      setChecked(recorded.data.filter((a) => a.present).map((a) => a.enrollment_id));
    }
  }, [session, recorded.data]);
  // Nothing can be ticked before the recorded attendance is in, or its arrival would overwrite the click.
  const ready = members.isSuccess && recorded.isSuccess;

  const ids = (members.data?.items ?? []).map((m) => m.enrollment_id);
  const save = async () => {
    const body = attendanceOf(ids, checked);
    const wasPresent = new Set((recorded.data ?? []).filter((a) => a.present).map((a) => a.enrollment_id));
    const unticked = body.absent.filter((id) => wasPresent.has(id));
    const go = async () => {
      setBusy(true);
      try {
        await unwrap(api.PUT('/api/sessions/{id}/attendance', { params: { path: { id: session!.id } }, body }));
        message.success(t('classes.attendanceSaved'));
        await qc.invalidateQueries({ queryKey: ['session', session!.id, 'attendance'] });
        onClose();
      } catch (e) {
        message.error(errorText(t, e));
      } finally {
        setBusy(false);
      }
    };
    if (unticked.length) modal.confirm({ title: t('classes.untickConfirm', { count: unticked.length }), okText: t('common.ok'), cancelText: t('common.cancel'), onOk: go });
    else await go();
  };

  const marks = new Map((recorded.data ?? []).map((a) => [a.enrollment_id, a]));
  return (
    <Modal
      open={!!session}
      title={session ? t('classes.attendanceOf', { title: session.title, date: session.held_on }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !canRun || !ready || !ids.length }}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => void save()}
    >
      {!ready && <Spin />}
      {ready && !ids.length && <Alert type="info" showIcon message={t('classes.noMembers')} />}
      {ready && ids.length > 0 && (
        <>
          <Space style={{ marginBottom: 8 }}>
            <Typography.Text>{t('classes.presentCount', { present: checked.length, total: ids.length })}</Typography.Text>
            {canRun && (
              <>
                <Typography.Link onClick={() => setChecked(ids)}>{t('classes.allPresent')}</Typography.Link>
                <Typography.Link onClick={() => setChecked([])}>{t('classes.nonePresent')}</Typography.Link>
              </>
            )}
          </Space>
          <Checkbox.Group value={checked} onChange={(v) => setChecked(v as number[])} disabled={!canRun} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}>
            {(members.data?.items ?? []).map((m) => (
              <Checkbox key={m.enrollment_id} value={m.enrollment_id} data-testid={`present-${m.enrollment_id}`}>
                {m.teacher_name} <Typography.Text type="secondary">· {m.school_name}</Typography.Text>
                {marks.has(m.enrollment_id) && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    （{t(marks.get(m.enrollment_id)!.present ? 'classes.wasPresent' : 'classes.wasAbsent')}）
                  </Typography.Text>
                )}
              </Checkbox>
            ))}
          </Checkbox.Group>
        </>
      )}
    </Modal>
  );
}
