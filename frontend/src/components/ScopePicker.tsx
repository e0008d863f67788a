import { useEffect, useMemo, useState } from 'react';
import { TreeSelect, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { useAuth } from '../auth/AuthContext';
import { useRegionTree } from './reference';
import { matchingRegions, regionOptions, schoolOptions, withChildren, type PickKind, type ScopeOption } from './scope';

/** The most schools one county lists in the picker (one page of the schools API). */
const SCHOOLS_PER_COUNTY = 200;

function NodeTitle({ node }: { node: ScopeOption }) {
  return (
    <span className="scope-node">
      <span>{node.title}</span>{' '}
      <Typography.Text type="secondary" className="mono">
        {node.code}
      </Typography.Text>
    </span>
  );
}

/**
 * Picks a region or a school of my area instead of typing its 6- or 10-digit code: the region tree (my part, with my
 * ancestors shown but not pickable), counties opening onto their schools on demand, and a search by name (regions
 * here, schools on the server). The value is the node's code, so it drops into any form field that took a code.
 */
export default function ScopePicker({
  value,
  onChange,
  id,
  kind = 'any',
  level,
  placeholder,
  allowClear,
  'data-testid': testId,
  'aria-label': ariaLabel,
}: {
  value?: string;
  onChange?: (code: string | undefined) => void;
  id?: string;
  kind?: PickKind;
  level?: string;
  placeholder?: string;
  allowClear?: boolean;
  'data-testid'?: string;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const regions = useRegionTree();
  const mine = useMemo(() => new Set((me?.roles ?? []).map((r) => r.scope_code)), [me]);
  const base = useMemo(() => regionOptions(regions.data, mine, { kind, level }), [regions.data, mine, kind, level]);
  const [tree, setTree] = useState<ScopeOption[]>(base);
  useEffect(() => setTree(base), [base]);
  const [search, setSearch] = useState('');

  const schoolSearch = useQuery({
    queryKey: ['schools', 'scope-picker', search],
    enabled: kind !== 'region' && search.trim().length > 0,
    queryFn: () => unwrap(api.GET('/api/schools', { params: { query: { keyword: search.trim(), page: 1, page_size: 20 } } })),
  });

  const loadSchools = async (node: { value?: unknown }) => {
    const code = String(node.value);
    const page = await unwrap(api.GET('/api/schools', { params: { query: { region: code, page: 1, page_size: SCHOOLS_PER_COUNTY, sort: 'code', order: 'asc' } } }));
    setTree((current) => withChildren(current, code, schoolOptions(page.items, { kind, level })));
  };

  const searching = search.trim().length > 0;
  const shown = searching ? [...matchingRegions(tree, search), ...schoolOptions(schoolSearch.data?.items ?? [], { kind, level })] : tree;
  const titled = (nodes: ScopeOption[]): object[] =>
    nodes.map((n) => ({ ...n, title: <NodeTitle node={n} />, label: n.title, children: n.children && titled(n.children) }));

  return (
    <TreeSelect
      id={id}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={titled(shown)}
      loadData={searching ? undefined : loadSchools}
      treeNodeLabelProp="label"
      showSearch
      searchValue={search}
      onSearch={setSearch}
      filterTreeNode={false}
      allowClear={allowClear}
      loading={regions.isPending || schoolSearch.isFetching}
      placeholder={placeholder ?? t('scopePicker.placeholder')}
      notFoundContent={t('scopePicker.none')}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxWidth: 'calc(100vw - 16px)' } } }}
      listHeight={320}
      data-testid={testId}
      aria-label={ariaLabel}
    />
  );
}
