import { useRef, useState } from 'react';
import { App, Button, Form, Input, Modal, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import { toTableResult } from '../../components/table';

type ClassView = Schemas['ClassView'];

/**
 * 班级: the classes of a program (`?program=<id>`, from the program page), or every class I may see — those of
 * programs I manage, those I tutor. Program managers create classes here.
 */
export default function ClassesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { access } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const actionRef = useRef<ActionType>(undefined);
  const [creating, setCreating] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string; institution?: string }>();
  const programId = Number(params.get('program'));
  const forProgram = Number.isInteger(programId) && programId > 0;
  const canManage = access('program.manage');

  const program = useQuery({
    queryKey: ['program', programId],
    queryFn: () => unwrap(api.GET('/api/programs/{id}', { params: { path: { id: programId } } })),
    enabled: forProgram,
  });

  const columns: ProColumns<ClassView>[] = [
    { title: t('classes.name'), dataIndex: 'name', ellipsis: true, render: (_, r) => <Link to={`/classes/${r.id}`}>{r.name}</Link> },
    { title: t('classes.institution'), dataIndex: 'institution', ellipsis: true, render: (_, r) => r.institution || '—' },
    {
      title: t('classes.tutors'),
      dataIndex: 'tutors',
      render: (_, r) =>
        r.tutors.length ? (
          <Space size={[4, 4]} wrap>
            {r.tutors.map((tu) => (
              <Tag key={tu.account_id}>{tu.display_name}</Tag>
            ))}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('classes.noTutor')}</Typography.Text>
        ),
    },
    { title: t('classes.members'), dataIndex: 'members', width: 100, align: 'right' },
    ...(forProgram ? [] : [{ title: t('classes.program'), dataIndex: 'program_id', width: 110, render: (_: unknown, r: ClassView) => <Link to={`/programs/${r.program_id}`}>#{r.program_id}</Link> }]),
    { title: t('classes.createdAt'), dataIndex: 'created_at', width: 150, render: (_, r) => dayjs(r.created_at).format('YYYY-MM-DD HH:mm') },
  ];

  const create = async () => {
    const values = await form.validateFields();
    setBusy(true);
    try {
      const c = await unwrap(
        api.POST('/api/programs/{id}/classes', {
          params: { path: { id: programId } },
          body: { name: values.name.trim(), institution: values.institution?.trim() || undefined },
        }),
      );
      message.success(t('classes.created'));
      setCreating(false);
      navigate(`/classes/${c.id}`);
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'institution'])) message.error(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={forProgram ? t('classes.ofProgram', { name: program.data?.name ?? `#${programId}` }) : t('classes.mine')}
      extra={
        forProgram && (
          <>
            <Button onClick={() => navigate(`/programs/${programId}`)}>{t('common.back')}</Button>
            {canManage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-class">
                {t('classes.create')}
              </Button>
            )}
          </>
        )
      }
    >
      <ListTable<ClassView>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        params={{ programId }}
        request={async (p) => {
          const query: { page: number; page_size: number; program_id?: number } = { page: p.current ?? 1, page_size: p.pageSize ?? 20 };
          if (forProgram) query.program_id = programId;
          const data = await unwrap(api.GET('/api/classes', { params: { query } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('classes.list')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('classes.empty')}</Typography.Text> }}
        scroll={{ x: 800 }}
      />
      <Modal
        open={creating}
        title={t('classes.create')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={busy}
        destroyOnHidden
        onCancel={() => setCreating(false)}
        onOk={() => void create().catch(() => undefined)}
      >
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item label={t('classes.name')} name="name" rules={[{ required: true, whitespace: true, message: t('validation.required') }, { max: 128 }]}>
            <Input maxLength={128} />
          </Form.Item>
          <Form.Item label={t('classes.institution')} name="institution" rules={[{ max: 128 }]} extra={t('classes.institutionHelp')}>
            <Input maxLength={128} />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
