import { useMemo, useState } from 'react';
import { Button, Card, Descriptions, Empty, Input, Tag, Tree } from 'antd';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { RegionNode } from '../../api/types';
import Page from '../../components/Page';
import { ErrorState, Loading } from '../../components/States';
import { flattenRegions, useRegionTree } from '../../components/reference';
import { useAuth } from '../../auth/AuthContext';

interface TreeItem {
  key: string;
  title: React.ReactNode;
  children?: TreeItem[];
}

function toTree(nodes: RegionNode[], filter: string, t: (k: string) => string): TreeItem[] {
  const out: TreeItem[] = [];
  for (const n of nodes) {
    const children = toTree(n.children ?? [], filter, t);
    const hit = !filter || n.name.includes(filter) || n.code.startsWith(filter);
    if (hit || children.length) {
      out.push({
        key: n.code,
        title: (
          <span>
            {n.name} <span className="mono" style={{ color: 'rgba(0,0,0,.55)' }}>{n.code}</span>
          </span>
        ),
        children: children.length ? children : undefined,
      });
    }
  }
  return out;
}

export default function RegionsPage() {
  const { t } = useTranslation();
  const { access } = useAuth();
  const navigate = useNavigate();
  const { data, isPending, error, refetch } = useRegionTree();
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const all = useMemo(() => flattenRegions(data), [data]);
  const treeData = useMemo(() => toTree(data ?? [], filter.trim(), t), [data, filter, t]);
  const current = all.find((r) => r.code === selected) ?? null;
  const expanded = useMemo(() => (filter ? all : all.filter((r) => r.level !== 'county')).map((r) => r.code), [filter, all]);

  let content;
  if (isPending) content = <Loading />;
  else if (error) content = <ErrorState error={error} onRetry={() => refetch()} />;
  else if (!data?.length) content = <Empty description={t('regions.empty')} />;
  else
    content = (
      <div className="region-layout">
        <Card title={t('regions.tree')} size="small">
          <Input.Search placeholder={t('regions.search')} aria-label={t('regions.search')} allowClear onChange={(e) => setFilter(e.target.value)} style={{ marginBottom: 12 }} />
          {treeData.length ? (
            <Tree
              treeData={treeData}
              key={filter ? 'filtered' : 'all'}
              defaultExpandedKeys={expanded}
              selectedKeys={selected ? [selected] : []}
              onSelect={(keys) => setSelected((keys[0] as string) ?? null)}
              height={560}
            />
          ) : (
            <Empty description={t('common.noMatch')} />
          )}
        </Card>
        <Card title={t('regions.detail')} size="small">
          {current ? (
            <>
              <Descriptions column={1} bordered size="small">
                <Descriptions.Item label={t('regions.name')}>{current.name}</Descriptions.Item>
                <Descriptions.Item label={t('regions.code')}>
                  <span className="mono">{current.code}</span>
                </Descriptions.Item>
                <Descriptions.Item label={t('regions.level')}>
                  <Tag>{t(`regionLevel.${current.level}`, { defaultValue: current.level })}</Tag>
                </Descriptions.Item>
                <Descriptions.Item label={t('regions.children')}>{current.children?.length ?? 0}</Descriptions.Item>
              </Descriptions>
              {access('school.read') && (
                <Button type="primary" style={{ marginTop: 16 }} onClick={() => navigate(`/schools?region=${current.code}`)}>
                  {t('regions.viewSchools')}
                </Button>
              )}
            </>
          ) : (
            <Empty description={t('regions.pick')} />
          )}
        </Card>
      </div>
    );

  return (
    <Page title={t('menu.regions')} subTitle={t('regions.subtitle', { count: all.length })}>
      {content}
    </Page>
  );
}
