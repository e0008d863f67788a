import { useRef, useState } from 'react';
import { App, Button, Modal, Popconfirm, Space, Switch, Tag, Typography } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap } from '../../api/client';
import type { ExportParams, Question } from '../../api/types';
import ActiveTag from '../../components/ActiveTag';
import ExportButtons from '../../components/ExportButtons';
import Page from '../../components/Page';
import { errorText } from '../../components/errors';
import { toListQuery, toTableResult } from '../../components/table';
import ImportWizard from '../Import/ImportWizard';
import QuestionForm from './QuestionForm';
import { DIFFICULTIES, KINDS, answerSummary } from './rules';

/** The list's filters as the background export of the bank takes them. */
function questionParams(f: Record<string, unknown>): ExportParams {
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return { question_kind: text(f.kind) as ExportParams['question_kind'], subject: text(f.subject), tag: text(f.tag) };
}

/** 题库: the bank questions I manage (and read-only ones of the nodes above me); create, edit, retire, import, export. */
export default function QuestionsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const actionRef = useRef<ActionType>(undefined);
  const filters = useRef<Record<string, unknown>>({});
  const [editing, setEditing] = useState<Question | 'new' | undefined>();
  const [importing, setImporting] = useState(false);
  const [busyId, setBusyId] = useState<number | null>(null);
  const words = { true: t('questions.true'), false: t('questions.false') };

  const toggle = async (q: Question) => {
    setBusyId(q.id);
    try {
      const path = { params: { path: { id: q.id } } };
      if (q.active) await unwrap(api.POST('/api/questions/{id}/retire', path));
      else await unwrap(api.POST('/api/questions/{id}/restore', path));
      message.success(t(q.active ? 'questions.retired' : 'questions.restored'));
      actionRef.current?.reload();
    } catch (e) {
      message.error(errorText(t, e));
    } finally {
      setBusyId(null);
    }
  };

  const columns: ProColumns<Question>[] = [
    { title: 'ID', dataIndex: 'id', search: false, sorter: true, width: 80 },
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true, fieldProps: { placeholder: t('questions.keywordHint') } },
    {
      title: t('questions.stem'),
      dataIndex: 'stem',
      search: false,
      ellipsis: true,
      render: (_, r) => (
        <span>
          {r.stem}
          {!r.editable && (
            <Tag style={{ marginLeft: 8 }} color="default">
              {t('questions.readOnly')}
            </Tag>
          )}
        </span>
      ),
    },
    {
      title: t('questions.kind'),
      dataIndex: 'kind',
      width: 90,
      valueType: 'select',
      valueEnum: Object.fromEntries(KINDS.map((k) => [k, { text: t(`questionKind.${k}`) }])),
      render: (_, r) => t(`questionKind.${r.kind}`),
    },
    { title: t('questions.subject'), dataIndex: 'subject', width: 90, sorter: true },
    {
      title: t('questions.tags'),
      dataIndex: 'tag',
      width: 150,
      render: (_, r) => (r.tags.length ? r.tags.map((g) => <Tag key={g}>{g}</Tag>) : '—'),
    },
    {
      title: t('questions.difficulty'),
      dataIndex: 'difficulty',
      width: 80,
      sorter: true,
      valueType: 'select',
      valueEnum: Object.fromEntries(DIFFICULTIES.map((d) => [d, { text: t(`questions.level.${d}`) }])),
      render: (_, r) => t(`questions.level.${r.difficulty}`),
    },
    { title: t('questions.points'), dataIndex: 'points', search: false, width: 70, align: 'right' },
    { title: t('questions.answer'), dataIndex: 'answer', search: false, width: 140, ellipsis: true, render: (_, r) => answerSummary(r, words) },
    {
      title: t('questions.includeInactive'),
      dataIndex: 'include_inactive',
      hideInTable: true,
      renderFormItem: () => <Switch aria-label={t('questions.includeInactive')} />,
      formItemProps: { valuePropName: 'checked' },
    },
    { title: t('common.status'), dataIndex: 'active', search: false, width: 80, render: (_, r) => <ActiveTag active={r.active} /> },
    { title: t('questions.updatedAt'), dataIndex: 'updated_at', search: false, sorter: true, width: 140, render: (_, r) => dayjs(r.updated_at).format('YYYY-MM-DD HH:mm') },
    {
      title: t('common.actions'),
      valueType: 'option',
      fixed: 'right',
      width: 120,
      render: (_, r) =>
        r.editable ? (
          <Space size="middle">
            <Typography.Link onClick={() => setEditing(r)} data-testid={`edit-question-${r.id}`}>
              {t('common.edit')}
            </Typography.Link>
            <Popconfirm
              title={r.active ? t('questions.confirmRetire') : t('questions.confirmRestore')}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
              onConfirm={() => toggle(r)}
            >
              <Typography.Link type={r.active ? 'danger' : undefined} disabled={busyId === r.id} data-testid={`toggle-question-${r.id}`}>
                {r.active ? t('questions.retire') : t('questions.restore')}
              </Typography.Link>
            </Popconfirm>
          </Space>
        ) : null,
    },
  ];

  return (
    <Page
      title={t('questions.title')}
      subTitle={t('questions.subtitle')}
      extra={
        <>
          <ExportButtons path="/api/questions/export" fileBase={t('questions.fileBase')} params={() => filters.current} testId="export-questions" background={{ kind: 'question_bank', params: () => questionParams(filters.current) }} />
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-questions">
            {t('questions.import')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="create-question">
            {t('questions.create')}
          </Button>
        </>
      }
    >
      <ListTable<Question>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        request={async (p, sort) => {
          const query = toListQuery(p, sort);
          const { kind, subject, tag } = query;
          filters.current = { kind, subject, tag };
          const data = await unwrap(api.GET('/api/questions', { params: { query: query as never } }));
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        search={{ labelWidth: 'auto', defaultCollapsed: false }}
        options={{ density: false, setting: false, reload: true }}
        headerTitle={t('questions.list')}
        locale={{ emptyText: <Typography.Text type="secondary">{t('questions.empty')}</Typography.Text> }}
        expandable={{
          expandedRowRender: (r) => (
            <div>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{r.stem}</Typography.Paragraph>
              {r.options.length > 0 && (
                <ol type="A">
                  {r.options.map((o, i) => (
                    <li key={i}>{o}</li>
                  ))}
                </ol>
              )}
              <Typography.Text>
                {t('questions.answer')}：{answerSummary(r, words)}
              </Typography.Text>
              {r.explanation && (
                <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                  {t('questions.explanation')}：{r.explanation}
                </Typography.Paragraph>
              )}
            </div>
          ),
        }}
        scroll={{ x: 1200 }}
        data-testid="questions-table"
      />
      <QuestionForm
        open={!!editing}
        question={editing === 'new' ? undefined : editing}
        onClose={() => setEditing(undefined)}
        onSaved={() => {
          setEditing(undefined);
          actionRef.current?.reload();
        }}
      />
      <Modal open={importing} title={t('questions.importTitle')} footer={null} width={840} destroyOnHidden onCancel={() => setImporting(false)}>
        <Typography.Paragraph type="secondary">{t('questions.importHelp')}</Typography.Paragraph>
        <ImportWizard
          kind="questions"
          endpoint="/api/questions/import"
          onFinished={() => {
            setImporting(false);
            actionRef.current?.reload();
          }}
        />
      </Modal>
    </Page>
  );
}

