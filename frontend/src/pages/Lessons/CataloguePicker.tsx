import { useState } from 'react';
import { Flex, Input, Select, Table, Typography } from 'antd';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import type { CatalogueNode } from './api';
import { failedTableProps } from '../../components/States';

export interface Picks {
  stage?: string;
  subject?: string;
  edition?: string;
  grade?: string;
  volume?: string;
}
const LEVELS = [
  ['stage', 'stages'],
  ['subject', 'subjects'],
  ['edition', 'editions'],
  ['grade', 'grades'],
  ['volume', 'volumes'],
] as const;

/**
 * The catalogue with cascading pickers (学段 → 学科 → 教材版本 → 年级 → 册次, each offering only what the facets
 * below the earlier picks hold) and the matching 知识节点 list; with `onChange` a node is picked by its radio.
 */
export default function CataloguePicker({
  activityId,
  value,
  onChange,
  initial,
  disabled,
}: {
  activityId: number;
  value?: number;
  onChange?: (id: number, node: CatalogueNode) => void;
  initial?: Picks;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [picks, setPicks] = useState<Picks>(initial ?? {});
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const facets = useQuery({
    queryKey: ['lesson-facets', activityId, picks.stage, picks.subject, picks.edition, picks.grade],
    queryFn: () =>
      unwrap(
        api.GET('/api/lesson-activities/{id}/catalogue/facets', {
          params: { path: { id: activityId }, query: { stage: picks.stage, subject: picks.subject, edition: picks.edition, grade: picks.grade } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  const nodes = useQuery({
    queryKey: ['lesson-catalogue', activityId, picks, q, page, pageSize],
    queryFn: () =>
      unwrap(
        api.GET('/api/lesson-activities/{id}/catalogue', {
          params: { path: { id: activityId }, query: { ...picks, q: q.trim() || undefined, page, page_size: pageSize } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const pick = (level: keyof Picks, v: string | undefined) => {
    // a change clears the picks below it: they may not exist under the new choice
    const order = LEVELS.map(([l]) => l);
    const next: Picks = {};
    for (const l of order) {
      if (l === level) {
        next[l] = v;
        break;
      }
      next[l] = picks[l];
    }
    setPicks(next);
    setPage(1);
  };

  return (
    <div data-testid="catalogue-picker">
      <Flex gap={8} wrap style={{ marginBottom: 8 }}>
        {LEVELS.map(([level, facet]) => (
          <Flex key={level} vertical gap={2}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t(`lessons.catalogue.${level}`)}
            </Typography.Text>
          <Select
            allowClear
            disabled={disabled}
            style={{ width: 140 }}
            aria-label={t(`lessons.catalogue.${level}`)}
            value={picks[level]}
            onChange={(v?: string) => pick(level, v)}
            options={(facets.data?.[facet] ?? (picks[level] ? [picks[level]!] : [])).map((s) => ({ value: s, label: s }))}
            data-testid={`facet-${level}`}
          />
          </Flex>
        ))}
        <Input.Search
          allowClear
          style={{ width: 200, alignSelf: 'flex-end' }}
          placeholder={t('lessons.catalogue.search')}
          aria-label={t('lessons.catalogue.search')}
          onSearch={(v) => {
            setQ(v);
            setPage(1);
          }}
        />
      </Flex>
      <Table<CatalogueNode>
        rowKey="id"
        size="small"
        loading={nodes.isFetching}
        dataSource={nodes.data?.items ?? []}
        rowSelection={
          onChange
            ? {
                type: 'radio',
                selectedRowKeys: value ? [value] : [],
                getCheckboxProps: (r) => ({ disabled, 'aria-label': `${r.chapter} ${r.node}` }) as never,
                onChange: (_, rows) => rows[0] && onChange(rows[0].id, rows[0]),
              }
            : undefined
        }
        onRow={(r) => (onChange && !disabled ? { onClick: () => onChange(r.id, r), style: { cursor: 'pointer' } } : {})}
        pagination={{
          current: page,
          pageSize,
          total: nodes.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
        columns={[
          { title: t('lessons.catalogue.stage'), dataIndex: 'stage', width: 70 },
          { title: t('lessons.catalogue.subject'), dataIndex: 'subject', width: 70 },
          { title: t('lessons.catalogue.edition'), dataIndex: 'edition', width: 110 },
          { title: t('lessons.catalogue.grade'), dataIndex: 'grade', width: 80 },
          { title: t('lessons.catalogue.volume'), dataIndex: 'volume', width: 60 },
          { title: t('lessons.catalogue.chapter'), dataIndex: 'chapter' },
          { title: t('lessons.catalogue.node'), dataIndex: 'node' },
        ]}
        data-testid="catalogue-nodes"
        {...failedTableProps(nodes)}
      />
    </div>
  );
}
