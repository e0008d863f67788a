import { useRef, useState } from 'react';
import { App, Button, Form, Modal, Select, Typography } from 'antd';
import { UsergroupAddOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import { applyFieldErrors, errorText } from '../../components/errors';
import { toTableResult } from '../../components/table';

type Member = Schemas['ClassMemberView'];

/** The teachers placed in the class (personal data masked); program managers place approved enrolments. */
export default function Members({ klass, canPlace }: { klass: Schemas['ClassView']; canPlace: boolean }) {
  const { t } = useTranslation();
  const actionRef = useRef<ActionType>(undefined);
  const [placing, setPlacing] = useState(false);

  const columns: ProColumns<Member>[] = [
    { title: t('classes.teacher'), dataIndex: 'teacher_name', width: 120 },
    { title: t('classes.school'), dataIndex: 'school_name', ellipsis: true },
    { title: t('classes.idCard'), dataIndex: 'id_card_masked', width: 190 },
    { title: t('classes.trainingStatus'), dataIndex: 'training_status', width: 110, render: (_, r) => t(`classes.training.${r.training_status}`, { defaultValue: r.training_status }) },
    { title: t('classes.countedHours'), dataIndex: 'counted_hours', width: 110, align: 'right' },
    { title: t('classes.placedAt'), dataIndex: 'placed_at', width: 150, render: (_, r) => dayjs(r.placed_at).format('YYYY-MM-DD HH:mm') },
  ];

  return (
    <>
      <ListTable<Member>
        rowKey="enrollment_id"
        actionRef={actionRef}
        columns={columns}
        search={false}
        request={async (p) => {
          const data = await unwrap(api.GET('/api/classes/{id}/members', { params: { path: { id: klass.id }, query: { page: p.current ?? 1, page_size: p.pageSize ?? 20 } } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('classes.tabMembers')}
        toolBarRender={() =>
          canPlace
            ? [
                <Button key="place" type="primary" icon={<UsergroupAddOutlined />} onClick={() => setPlacing(true)} data-testid="place-members">
                  {t('classes.place')}
                </Button>,
              ]
            : []
        }
        locale={{ emptyText: <Typography.Text type="secondary">{t('classes.noMembers')}</Typography.Text> }}
        scroll={{ x: 800 }}
      />
      {canPlace && (
        <PlaceForm
          open={placing}
          klass={klass}
          onClose={() => setPlacing(false)}
          onPlaced={() => {
            setPlacing(false);
            actionRef.current?.reload();
          }}
        />
      )}
    </>
  );
}

/** Picks approved enrolments of the class's program to place in it (an enrolment sits in one class). */
function PlaceForm({ open, klass, onClose, onPlaced }: { open: boolean; klass: Schemas['ClassView']; onClose: () => void; onPlaced: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ enrollment_ids: number[] }>();
  const [busy, setBusy] = useState(false);
  const approved = useQuery({
    queryKey: ['program', klass.program_id, 'enrollments', 'approved'],
    queryFn: () => unwrap(api.GET('/api/programs/{id}/enrollments', { params: { path: { id: klass.program_id }, query: { status: 'approved', page: 1, page_size: 200 } } })),
    enabled: open,
  });

  return (
    <Modal
      open={open}
      title={t('classes.place')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={async () => {
        const { enrollment_ids } = await form.validateFields();
        setBusy(true);
        try {
          await unwrap(api.POST('/api/classes/{id}/members', { params: { path: { id: klass.id } }, body: { enrollment_ids } }));
          message.success(t('classes.placed', { count: enrollment_ids.length }));
          await qc.invalidateQueries({ queryKey: ['class', klass.id] });
          onPlaced();
        } catch (e) {
          if (!applyFieldErrors(form, e, ['enrollment_ids'])) message.error(errorText(t, e));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item label={t('classes.enrolments')} name="enrollment_ids" rules={[{ required: true, message: t('validation.required') }]} extra={t('classes.placeHelp')}>
          <Select
            mode="multiple"
            showSearch
            optionFilterProp="label"
            loading={approved.isLoading}
            options={(approved.data?.items ?? []).map((e) => ({ value: e.id, label: `${e.teacher_name ?? e.teacher_id} · ${e.school_name ?? ''}` }))}
            notFoundContent={t('common.noMatch')}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
