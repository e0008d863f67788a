import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import Page from '../../components/Page';
import { applyFieldErrors, errorText } from '../../components/errors';
import { Loading, QueryError, failedTableProps } from '../../components/States';

type Point = Schemas['PointView'];
type Dimension = Schemas['Dimension'];
const DIMENSIONS: Dimension[] = ['analysis', 'design', 'guidance', 'assessment'];

interface CardForm {
  name: string;
  dimension?: Dimension;
  description: string;
  items: { key: string; name: string; required: boolean }[];
  excellent: string;
  pass: string;
}

const lines = (s: string) => s.split('\n').map((l) => l.trim()).filter(Boolean);

/** The province's catalogue: versions, the 30 cards of one, editing a draft's cards, publishing it. */
export default function CataloguePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [selected, setSelected] = useState<number | undefined>();
  const [editing, setEditing] = useState<Point | undefined>();
  const [form] = Form.useForm<CardForm>();
  const versions = useQuery({ queryKey: ['competency', 'catalogs'], queryFn: () => unwrap(api.GET('/api/competency/catalogs', { params: { query: { page_size: 50 } } })) });
  const current = selected ?? versions.data?.items[0]?.id;
  const catalog = useQuery({
    queryKey: ['competency', 'catalog', current],
    enabled: current !== undefined,
    queryFn: () => unwrap(api.GET('/api/competency/catalogs/{id}', { params: { path: { id: current! } } })),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['competency'] });
  const draft = catalog.data?.status === 'draft';

  const act = async (fn: () => Promise<unknown>, done: string) => {
    try {
      await fn();
      message.success(t(done));
      await refresh();
    } catch (e) {
      message.error(errorText(t, e));
    }
  };

  const open = (p: Point) => {
    setEditing(p);
    form.setFieldsValue({
      name: p.name,
      dimension: p.dimension ?? undefined,
      description: p.description,
      items: p.evidence_items.map((i) => ({ key: i.key, name: i.name, required: i.required })),
      excellent: p.excellent_criteria.join('\n'),
      pass: p.pass_criteria.join('\n'),
    });
  };

  const save = async () => {
    if (!editing || current === undefined) return;
    const v = await form.validateFields();
    try {
      await unwrap(
        api.PUT('/api/competency/catalogs/{id}/points/{code}', {
          params: { path: { id: current, code: editing.code } },
          body: {
            name: v.name.trim(),
            dimension: v.dimension,
            description: v.description ?? '',
            evidence_items: (v.items ?? []).map((i) => ({ key: i.key.trim(), name: i.name.trim(), description: '', required: !!i.required })),
            excellent_criteria: lines(v.excellent ?? ''),
            pass_criteria: lines(v.pass ?? ''),
          },
        }),
      );
      message.success(t('common.saved'));
      setEditing(undefined);
      await refresh();
    } catch (e) {
      if (!applyFieldErrors(form, e, ['name', 'dimension', 'description'])) message.error(errorText(t, e));
    }
  };

  if (versions.isLoading) return <Loading />;
  if (versions.error) return <QueryError query={versions} />;
  return (
    <Page
      title={t('competency.menu.catalog')}
      extra={
        <Space>
          <Select
            aria-label={t('competency.version')}
            style={{ width: 200 }}
            value={current}
            onChange={setSelected}
            options={(versions.data?.items ?? []).map((v) => ({ value: v.id, label: `${t('competency.version')} ${v.version} · ${t(`competency.status.${v.status}`)}` }))}
          />
          <Button onClick={() => act(() => unwrap(api.POST('/api/competency/catalogs')), 'competency.draftCreated')} data-testid="new-draft">
            {t('competency.newDraft')}
          </Button>
          {draft && (
            <Button type="primary" onClick={() => act(() => unwrap(api.POST('/api/competency/catalogs/{id}/publish', { params: { path: { id: current! } } })), 'competency.published')} data-testid="publish-catalog">
              {t('competency.publish')}
            </Button>
          )}
        </Space>
      }
    >
      <Table<Point>
        rowKey="code"
        size="small"
        loading={catalog.isLoading}
        dataSource={catalog.data?.points ?? []}
        pagination={false}
        columns={[
          { title: t('competency.code'), dataIndex: 'code', width: 70 },
          { title: t('competency.environment'), dataIndex: 'environment', width: 130, render: (e: string) => t(`competency.env.${e}`) },
          { title: t('competency.dimension'), dataIndex: 'dimension', width: 110, render: (d?: Dimension | null) => (d ? t(`competency.dim.${d}`) : '—') },
          { title: t('competency.name'), dataIndex: 'name' },
          { title: t('competency.complete'), dataIndex: 'complete', width: 90, render: (c: boolean) => <Tag color={c ? 'blue' : 'default'}>{c ? t('competency.completeYes') : t('competency.completeNo')}</Tag> },
          {
            title: t('common.actions'),
            width: 90,
            render: (_, p) => (
              <Typography.Link onClick={() => open(p)} data-testid={`edit-point-${p.code}`}>
                {draft ? t('common.edit') : t('common.view')}
              </Typography.Link>
            ),
          },
        ]}
        {...failedTableProps(catalog)}
      />
      <Modal open={!!editing} width={720} title={editing ? `${editing.code} ${editing.name}` : ''} onCancel={() => setEditing(undefined)} onOk={save} okButtonProps={{ disabled: !draft }} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical" disabled={!draft} preserve={false}>
          <Form.Item name="name" label={t('competency.name')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
            <Input maxLength={128} />
          </Form.Item>
          <Form.Item name="dimension" label={t('competency.dimension')}>
            <Select allowClear options={DIMENSIONS.map((d) => ({ value: d, label: t(`competency.dim.${d}`) }))} />
          </Form.Item>
          <Form.Item name="description" label={t('competency.description')}>
            <Input.TextArea rows={3} maxLength={10000} />
          </Form.Item>
          <Typography.Text strong>{t('competency.evidenceItems')}</Typography.Text>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'key']} rules={[{ required: true, pattern: /^[a-z0-9_]{1,32}$/, message: t('competency.keyRule') }]}>
                      <Input placeholder="design" aria-label={t('competency.itemKey')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
                      <Input placeholder={t('competency.itemName')} aria-label={t('competency.itemName')} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'required']} valuePropName="checked">
                      <Switch checkedChildren={t('competency.required')} unCheckedChildren={t('competency.optional')} />
                    </Form.Item>
                    <Button type="link" onClick={() => remove(f.name)}>
                      {t('competency.remove')}
                    </Button>
                  </Space>
                ))}
                <Button onClick={() => add({ key: '', name: '', required: true })} block style={{ marginBottom: 16 }}>
                  {t('competency.addItem')}
                </Button>
              </>
            )}
          </Form.List>
          <Form.Item name="pass" label={t('competency.passCriteriaHelp')}>
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="excellent" label={t('competency.excellentCriteriaHelp')}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
