import { useRef, useState } from 'react';
import { Tag, Typography } from 'antd';
import { type ActionType, type ProColumns } from '@ant-design/pro-components';
import ListTable from '../../components/ListTable';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { api, unwrap, type Schemas } from '../../api/client';
import ChecklistModal, { GradeTag } from './Checklist';
import { toTableResult } from '../../components/table';

type Submission = Schemas['EvidenceSubmissionView'];
type Status = Schemas['EvidenceStatus'];

/**
 * Submissions with filters (year, point, status, school), newest first; `mode` decides the action: the school's
 * review, or the county's spot-check of drawn submissions (optionally of one draw).
 */
export default function SubmissionQueue({ mode, spotCheckId }: { mode?: 'school' | 'spot-check'; spotCheckId?: number }) {
  const { t } = useTranslation();
  const actionRef = useRef<ActionType>(undefined);
  const [grading, setGrading] = useState<Submission | undefined>();
  const gradable = (s: Submission) =>
    s.latest && (mode === 'school' ? s.status !== 'county_reviewed' : mode === 'spot-check' ? s.sampled && s.status === 'school_graded' : false);
  const columns: ProColumns<Submission>[] = [
    { title: t('competency.year'), dataIndex: 'year', valueType: 'digit', width: 80, initialValue: dayjs().year() },
    { title: t('competency.code'), dataIndex: 'code', width: 80 },
    { title: t('competency.name'), dataIndex: 'point_name', search: false, ellipsis: true },
    { title: t('competency.teacher'), dataIndex: 'teacher_name', search: false, width: 110 },
    { title: t('competency.school'), dataIndex: 'school_code', width: 180, render: (_, s) => s.school_name },
    {
      title: t('common.status'),
      dataIndex: 'status',
      width: 120,
      valueType: 'select',
      valueEnum: { pending: { text: t('competency.reviewStatus.pending') }, school_graded: { text: t('competency.reviewStatus.school_graded') }, county_reviewed: { text: t('competency.reviewStatus.county_reviewed') } },
      render: (_, s) => t(`competency.reviewStatus.${s.status}`),
    },
    {
      title: t('competency.finalGrade'),
      dataIndex: 'final_grade',
      search: false,
      width: 140,
      render: (_, s) => (
        <>
          <GradeTag grade={s.final_grade ?? null} />
          {s.overridden && <Tag>{t('competency.override')}</Tag>}
          {s.sampled && <Tag>{t('competency.sampled')}</Tag>}
        </>
      ),
    },
    { title: t('competency.submittedAt'), dataIndex: 'submitted_at', search: false, width: 150, sorter: true, render: (_, s) => dayjs(s.submitted_at).format('YYYY-MM-DD HH:mm') },
    {
      title: t('common.actions'),
      valueType: 'option',
      width: 100,
      render: (_, s) =>
        gradable(s) ? (
          <Typography.Link onClick={() => setGrading(s)} data-testid={`grade-${s.id}`}>
            {mode === 'school' ? t('competency.review') : t('competency.spotReview')}
          </Typography.Link>
        ) : null,
    },
  ];
  return (
    <>
      <ListTable<Submission>
        rowKey="id"
        actionRef={actionRef}
        columns={columns}
        search={{ labelWidth: 'auto' }}
        params={{ spotCheckId }}
        request={async (p, sort) => {
          const order = sort.submitted_at === 'ascend' ? 'asc' : 'desc';
          const data = await unwrap(
            api.GET('/api/competency/submissions', {
              params: {
                query: {
                  year: p.year ? Number(p.year) : undefined,
                  code: (p.code as string | undefined) || undefined,
                  status: (p.status as Status | undefined) || undefined,
                  school_code: (p.school_code as string | undefined) || undefined,
                  spot_check_id: spotCheckId,
                  order,
                  page: p.current ?? 1,
                  page_size: p.pageSize ?? 20,
                },
              },
            }),
          );
          return toTableResult(data);
        }}
        pagination={{ defaultPageSize: 20, showSizeChanger: true }}
        options={{ density: false, setting: false, reload: true }}
        scroll={{ x: 1000 }}
      />
      {grading && mode && (
        <ChecklistModal
          submission={grading}
          mode={mode}
          onClose={() => setGrading(undefined)}
          onDone={() => {
            setGrading(undefined);
            actionRef.current?.reload();
          }}
        />
      )}
    </>
  );
}
