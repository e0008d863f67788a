import { useState } from 'react';
import { Modal, Tag, Typography } from 'antd';
import { type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { Question } from '../../api/types';
import { toListQuery, toTableResult } from '../../components/table';
import { DIFFICULTIES, KINDS } from '../Questions/rules';

/** Picks active bank questions for a fixed paper (search and filter the bank; the ones on the paper are ticked off). */
export default function QuestionPicker({ open, taken, onClose, onPick }: { open: boolean; taken: readonly number[]; onClose: () => void; onPick: (qs: Question[]) => void }) {
  const { t } = useTranslation();
  const [picked, setPicked] = useState<Question[]>([]);

  const columns: ProColumns<Question>[] = [
    { title: t('common.keyword'), dataIndex: 'q', hideInTable: true },
    { title: 'ID', dataIndex: 'id', search: false, width: 70 },
    { title: t('questions.stem'), dataIndex: 'stem', search: false, ellipsis: true },
    {
      title: t('questions.kind'),
      dataIndex: 'kind',
      width: 90,
      valueType: 'select',
      valueEnum: Object.fromEntries(KINDS.map((k) => [k, { text: t(`questionKind.${k}`) }])),
      render: (_, r) => t(`questionKind.${r.kind}`),
    },
    { title: t('questions.subject'), dataIndex: 'subject', width: 90 },
    { title: t('questions.tags'), dataIndex: 'tag', width: 130, render: (_, r) => r.tags.map((g) => <Tag key={g}>{g}</Tag>) },
    {
      title: t('questions.difficulty'),
      dataIndex: 'difficulty',
      width: 80,
      valueType: 'select',
      valueEnum: Object.fromEntries(DIFFICULTIES.map((d) => [d, { text: t(`questions.level.${d}`) }])),
      render: (_, r) => t(`questions.level.${r.difficulty}`),
    },
    { title: t('questions.points'), dataIndex: 'points', search: false, width: 60, align: 'right' },
  ];

  return (
    <Modal
      open={open}
      title={t('quizzes.pickTitle')}
      width={1000}
      okText={t('quizzes.addPicked', { count: picked.length })}
      okButtonProps={{ disabled: picked.length === 0, 'data-testid': 'pick-confirm' } as never}
      cancelText={t('common.cancel')}
      destroyOnHidden
      afterOpenChange={(o) => !o && setPicked([])}
      onCancel={onClose}
      onOk={() => {
        onPick(picked);
        setPicked([]);
      }}
    >
      <ListTable<Question>
        rowKey="id"
        columns={columns}
        request={async (p, sort) => {
          const data = await unwrap(api.GET('/api/questions', { params: { query: toListQuery(p, sort) as never } }));
          return toTableResult(data);
        }}
        rowSelection={{
          selectedRowKeys: picked.map((q) => q.id),
          preserveSelectedRowKeys: true,
          getCheckboxProps: (r) => ({ disabled: taken.includes(r.id), 'aria-label': t('quizzes.pickRow', { id: r.id }) }),
          onChange: (_, rows) => setPicked(rows.filter(Boolean)),
        }}
        tableAlertRender={false}
        pagination={{ defaultPageSize: 10 }}
        search={{ labelWidth: 'auto', defaultCollapsed: false, span: 8 }}
        options={false}
        size="small"
        locale={{ emptyText: <Typography.Text type="secondary">{t('questions.empty')}</Typography.Text> }}
        scroll={{ x: 800 }}
        data-testid="question-picker"
      />
    </Modal>
  );
}
