import { useState } from 'react';
import { App, Button, Descriptions, Form, Modal, Select, Space, Tabs, Tag, Typography } from 'antd';
import { TeamOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { isApiError } from '../../api/problem';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { programTrail, useProgramName } from '../../components/trails';
import { applyFieldErrors, errorText } from '../../components/errors';
import { ErrorState, Loading, NotFoundResult } from '../../components/States';
import Assignments from './Assignments';
import Members from './Members';
import Sessions from './Sessions';

/** One class: its tutors, members, assignments with their submissions, and sessions with attendance. */
export default function ClassDetailPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const { access, me } = useAuth();
  const [tutorsOpen, setTutorsOpen] = useState(false);
  const classId = Number(id);
  const valid = Number.isInteger(classId) && classId > 0;

  const klass = useQuery({
    queryKey: ['class', classId],
    queryFn: () => unwrap(api.GET('/api/classes/{id}', { params: { path: { id: classId } } })),
    enabled: valid,
  });
  const programName = useProgramName(klass.data?.program_id);

  if (!valid || (isApiError(klass.error) && klass.error.status === 404)) return <NotFoundResult />;
  if (klass.error) return <ErrorState error={klass.error} onRetry={() => void klass.refetch()} />;
  if (!klass.data) return <Loading />;
  const c = klass.data;
  const canManage = access('program.manage');
  const isTutor = c.tutors.some((tu) => tu.account_id === me?.id);
  // Tutors run their class (coursework, sessions); program managers also place members and choose tutors.
  const canRun = canManage || isTutor;

  return (
    <Page
      title={c.name}
      subTitle={c.institution}
      trail={[...programTrail(t, c.program_id, programName), { title: t('classes.menu'), to: canManage ? `/classes?program=${c.program_id}` : '/classes' }]}
      extra={
        <>
          <Button onClick={() => navigate(canManage ? `/classes?program=${c.program_id}` : '/classes')}>{t('common.back')}</Button>
          {canManage && (
            <Button icon={<TeamOutlined />} onClick={() => setTutorsOpen(true)} data-testid="set-tutors">
              {t('classes.setTutors')}
            </Button>
          )}
        </>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('classes.program')}>
          <Link to={`/programs/${c.program_id}`}>{t('classes.openProgram')}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('classes.tutors')}>
          {c.tutors.length ? (
            <Space size={[4, 4]} wrap>
              {c.tutors.map((tu) => (
                <Tag key={tu.account_id}>{tu.display_name}</Tag>
              ))}
            </Space>
          ) : (
            <Typography.Text type="secondary">{t('classes.noTutor')}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('classes.members')}>{c.members}</Descriptions.Item>
      </Descriptions>
      <Tabs
        destroyOnHidden
        items={[
          { key: 'assignments', label: t('classes.tabAssignments'), children: <Assignments klass={c} canRun={canRun} /> },
          { key: 'members', label: t('classes.tabMembers'), children: <Members klass={c} canPlace={canManage} /> },
          { key: 'sessions', label: t('classes.tabSessions'), children: <Sessions klass={c} canRun={canRun} /> },
        ]}
      />
      {canManage && <TutorsForm open={tutorsOpen} onClose={() => setTutorsOpen(false)} classId={c.id} current={c.tutors} />}
    </Page>
  );
}

/** Replaces the class's tutors with accounts holding the tutor role (searched by name). */
function TutorsForm({ open, onClose, classId, current }: { open: boolean; onClose: () => void; classId: number; current: { account_id: number; display_name: string }[] }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ account_ids: number[] }>();
  const [keyword, setKeyword] = useState('');
  const [busy, setBusy] = useState(false);
  const tutors = useQuery({
    queryKey: ['accounts', 'tutor', keyword],
    queryFn: () => unwrap(api.GET('/api/accounts', { params: { query: { role: 'tutor', active: true, keyword: keyword || undefined, page: 1, page_size: 50 } } })),
    enabled: open,
  });
  const options = new Map<number, string>(current.map((c) => [c.account_id, c.display_name]));
  for (const a of tutors.data?.items ?? []) options.set(a.id, `${a.display_name}（${a.username}）`);

  const save = async () => {
    const { account_ids } = await form.validateFields();
    const removed = current.filter((c) => !account_ids.includes(c.account_id));
    const go = async () => {
      setBusy(true);
      try {
        await unwrap(api.PUT('/api/classes/{id}/tutors', { params: { path: { id: classId } }, body: { account_ids } }));
        message.success(t('common.saved'));
        await qc.invalidateQueries({ queryKey: ['class', classId] });
        onClose();
      } catch (e) {
        if (!applyFieldErrors(form, e, ['account_ids'])) message.error(errorText(t, e));
      } finally {
        setBusy(false);
      }
    };
    // Taking a tutor off a class is confirmed: they lose access to its coursework at once.
    if (removed.length) {
      modal.confirm({ title: t('classes.removeTutorsConfirm', { names: removed.map((r) => r.display_name).join('、') }), okText: t('common.ok'), cancelText: t('common.cancel'), onOk: go });
    } else await go();
  };

  return (
    <Modal open={open} title={t('classes.setTutors')} okText={t('common.save')} cancelText={t('common.cancel')} confirmLoading={busy} destroyOnHidden onCancel={onClose} onOk={() => void save().catch(() => undefined)}>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ account_ids: current.map((c) => c.account_id) }}>
        <Form.Item label={t('classes.tutors')} name="account_ids" extra={t('classes.tutorsHelp')}>
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            onSearch={setKeyword}
            loading={tutors.isFetching}
            options={[...options].map(([value, label]) => ({ value, label }))}
            notFoundContent={t('common.noMatch')}
            data-testid="tutor-select"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
