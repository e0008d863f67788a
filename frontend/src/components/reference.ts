import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { api, unwrap } from '../api/client';
import type { Gender, RegionNode, Stage, UrbanRural } from '../api/types';

/** 学段类别, in the order forms offer them. */
export const STAGES: readonly Stage[] = ['kindergarten', 'primary', 'junior_secondary', 'senior_secondary', 'nine_year', 'twelve_year', 'complete_secondary', 'vocational', 'special_education', 'other'];
export const URBAN_RURAL: readonly UrbanRural[] = ['urban', 'town', 'rural'];
export const GENDERS: readonly Gender[] = ['male', 'female'];
export const SUBJECTS = ['语文', '数学', '英语', '物理', '化学', '生物', '历史', '地理', '政治', '道德与法治', '音乐', '体育', '美术', '信息技术', '科学', '综合实践'] as const;

/** 学段 of the 一师一优课 catalogue and its upload windows, as the catalogue writes them. */
export const LESSON_STAGES = ['学前', '小学', '初中', '高中', '中职', '特殊教育'] as const;

export function stageOptions(t: TFunction) {
  return STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }));
}
export function urbanRuralOptions(t: TFunction) {
  return URBAN_RURAL.map((v) => ({ value: v, label: t(`urbanRural.${v}`) }));
}
export function valueEnum(opts: { value: string; label: string }[]) {
  return Object.fromEntries(opts.map((o) => [o.value, { text: o.label }]));
}

export function useRegionTree() {
  return useQuery({
    queryKey: ['regions', 'tree'],
    queryFn: () => unwrap(api.GET('/api/regions/tree')),
    staleTime: 10 * 60_000,
  });
}

export function flattenRegions(nodes: RegionNode[] | undefined, out: RegionNode[] = []): RegionNode[] {
  for (const n of nodes ?? []) {
    out.push(n);
    flattenRegions(n.children, out);
  }
  return out;
}

/** Counties the caller may see, for the school form's county picker. */
export function countiesOf(tree: RegionNode[] | undefined): RegionNode[] {
  return flattenRegions(tree).filter((n) => n.level === 'county');
}

export interface TreeSelectNode {
  value: string;
  title: string;
  selectable: boolean;
  children?: TreeSelectNode[];
}
/** Region tree for a TreeSelect; with `level`, only nodes of that level can be picked (others stay expandable). */
export function toTreeSelect(nodes: RegionNode[] | undefined, level?: string): TreeSelectNode[] {
  return (nodes ?? []).map((n) => ({
    value: n.code,
    title: n.name,
    selectable: !level || n.level === level,
    children: n.children?.length ? toTreeSelect(n.children, level) : undefined,
  }));
}
