import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import dayjs, { type Dayjs } from 'dayjs';
import { api, unwrap } from '../../api/client';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import ImportWizard from '../Import/ImportWizard';
import CataloguePicker from '../Lessons/CataloguePicker';
import type { Activity } from '../Lessons/api';
import { failedTableProps } from '../../components/States';
import { LESSON_STAGES } from '../../components/reference';

interface FormValues {
  year: number;
  name: string;
  windows: { stage: string; range: [Dayjs, Dayjs] }[];
}

/** 晒课活动 (province admin): the year's activity with an upload window per 学段, its catalogue import and browser. */
export default function LessonActivitiesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const [editing, setEditing] = useState<Activity | 'new' | undefined>();
  const [importing, setImporting] = useState<Activity | undefined>();
  const [browsing, setBrowsing] = useState<number | undefined>();
  const [saving, setSaving] = useState(false);
  const list = useQuery({ queryKey: ['lesson-activities'], queryFn: () => unwrap(api.GET('/api/lesson-activities', { params: { query: { page_size: 100 } } })) });

  const open = (a: Activity | 'new') => {
    setEditing(a);
    form.resetFields();
    if (a === 'new') {
      const y = dayjs().year();
      form.setFieldsValue({ year: y, name: `${y}年度“一师一优课”晒课活动`, windows: [{ stage: '小学', range: [dayjs().startOf('day'), dayjs().add(60, 'day').endOf('day')] }] });
    } else {
      form.setFieldsValue({ year: a.year, name: a.name, windows: a.windows.map((w) => ({ stage: w.stage, range: [dayjs(w.opens_at), dayjs(w.closes_at)] })) });
    }
  };

  const save = async () => {
    const v = await form.validateFields();
    const body = { year: v.year, name: v.name.trim(), windows: v.windows.map((w) => ({ stage: w.stage.trim(), opens_at: w.range[0].toISOString(), closes_at: w.range[1].toISOString() })) };
    setSaving(true);
    try {
      if (editing === 'new') await unwrap(api.POST('/api/lesson-activities', { body }));
      else if (editing) await unwrap(api.PUT('/api/lesson-activities/{id}', { params: { path: { id: editing.id } }, body }));
      message.success(t('common.saved'));
      setEditing(undefined);
      await qc.invalidateQueries({ queryKey: ['lesson-activities'] });
    } catch (e) {
      if (!applyFieldErrors(form, e, ['year', 'name'])) message.error(errorText(t, e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page
      title={t('lessons.menu.activities')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open('new')} data-testid="new-activity">
          {t('lessonActivities.create')}
        </Button>
      }
    >
      <Table<Activity>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        data-testid="activities-table"
        columns={[
          { title: t('lessonActivities.year'), dataIndex: 'year', width: 80 },
          { title: t('lessonActivities.name'), dataIndex: 'name' },
          {
            title: t('lessonActivities.windows'),
            dataIndex: 'windows',
            render: (_, a) =>
              a.windows.map((w) => (
                <div key={w.stage}>
                  <Tag color={a.open_stages.includes(w.stage) ? 'blue' : 'default'}>{w.stage}</Tag>
                  {dayjs(w.opens_at).format('YYYY-MM-DD')} ~ {dayjs(w.closes_at).format('YYYY-MM-DD')}
                </div>
              )),
          },
          { title: t('lessonActivities.nodes'), dataIndex: 'catalogue_nodes', width: 100 },
          {
            title: t('common.actions'),
            width: 240,
            render: (_, a) => (
              <Space>
                <Typography.Link onClick={() => open(a)} data-testid={`edit-activity-${a.id}`}>
                  {t('common.edit')}
                </Typography.Link>
                <Typography.Link onClick={() => setImporting(a)} data-testid={`import-catalogue-${a.id}`}>
                  <UploadOutlined /> {t('lessonActivities.import')}
                </Typography.Link>
                <Typography.Link onClick={() => setBrowsing(a.id)} data-testid={`browse-catalogue-${a.id}`}>
                  {t('lessonActivities.browse')}
                </Typography.Link>
              </Space>
            ),
          },
        ]}
        {...failedTableProps(list)}
      />
      {browsing !== undefined && (
        <Card title={t('lessonActivities.catalogue')} style={{ marginTop: 16 }} extra={<Button onClick={() => setBrowsing(undefined)}>{t('common.back')}</Button>}>
          <CataloguePicker key={browsing} activityId={browsing} />
        </Card>
      )}
      <Modal
        open={!!editing}
        width={720}
        title={editing === 'new' ? t('lessonActivities.create') : t('lessonActivities.edit')}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={saving}
        onOk={save}
        onCancel={() => setEditing(undefined)}
        okButtonProps={{ 'data-testid': 'save-activity' } as never}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Space align="start">
            <Form.Item name="year" label={t('lessonActivities.year')} rules={[{ required: true, message: t('validation.required') }]}>
              <InputNumber min={2020} max={2100} precision={0} />
            </Form.Item>
            <Form.Item name="name" label={t('lessonActivities.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]} style={{ width: 460 }}>
              <Input maxLength={128} />
            </Form.Item>
          </Space>
          <Typography.Text strong>{t('lessonActivities.windows')}</Typography.Text>
          <Form.List name="windows" rules={[{ validator: async (_, v) => ((v ?? []).length ? undefined : Promise.reject(new Error(t('lessonActivities.windowsRequired')))) }]}>
            {(fields, { add, remove }, { errors }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'stage']} rules={[{ required: true, message: t('validation.required') }]}>
                      <Select
                        placeholder={t('lessons.catalogue.stage')}
                        aria-label={t('lessons.catalogue.stage')}
                        style={{ width: 120 }}
                        options={LESSON_STAGES.map((s) => ({ value: s, label: s }))}
                      />
                    </Form.Item>
                    <Form.Item name={[f.name, 'range']} rules={[{ required: true, message: t('validation.required') }]}>
                      <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" aria-label={t('lessonActivities.window')} />
                    </Form.Item>
                    <MinusCircleOutlined aria-label={t('lessons.remove')} onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button onClick={() => add({})} block icon={<PlusOutlined />} disabled={fields.length >= 12}>
                  {t('lessonActivities.addWindow')}
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
      <Modal open={!!importing} title={t('lessonActivities.importTitle', { name: importing?.name ?? '' })} footer={null} width={840} destroyOnHidden onCancel={() => setImporting(undefined)}>
        <Typography.Paragraph type="secondary">{t('lessonActivities.importHelp')}</Typography.Paragraph>
        {importing && (
          <ImportWizard
            kind="questions"
            endpoint={`/api/lesson-activities/${importing.id}/catalogue/import`}
            onFinished={() => {
              setImporting(undefined);
              void qc.invalidateQueries({ queryKey: ['lesson-activities'] });
            }}
          />
        )}
      </Modal>
    </Page>
  );
}
