import type { RegionNode, School } from '../api/types';

/** What a picker offers: any node, only regions (optionally of one level), or only schools. */
export type PickKind = 'any' | 'region' | 'school';

export interface ScopeOption {
  value: string;
  title: string;
  code: string;
  selectable: boolean;
  disabled?: boolean;
  isLeaf: boolean;
  children?: ScopeOption[];
}

export interface PickRules {
  kind: PickKind;
  /** With `kind: 'region'`, only regions of this level can be picked. */
  level?: string;
}

/**
 * The region tree as TreeSelect options. The tree carries my ancestors for context: a region can be picked only at
 * or below one of my own nodes (`mine`), so an administrator is never offered a node outside their area. Counties
 * open onto their schools (loaded on demand) when schools may be picked.
 */
export function regionOptions(nodes: RegionNode[] | undefined, mine: ReadonlySet<string>, rules: PickRules, inside = false): ScopeOption[] {
  return (nodes ?? []).map((n) => {
    const own = inside || mine.has(n.code);
    const opensOntoSchools = rules.kind !== 'region' && n.level === 'county';
    const children = n.children?.length ? regionOptions(n.children, mine, rules, own) : undefined;
    const pickable = own && rules.kind !== 'school' && (!rules.level || n.level === rules.level);
    return {
      value: n.code,
      title: n.name,
      code: n.code,
      selectable: pickable,
      isLeaf: !children && !opensOntoSchools,
      children,
    };
  });
}

/** Schools as leaves of the tree (the API only ever returns schools of my area). */
export function schoolOptions(schools: Pick<School, 'code' | 'name'>[], rules: PickRules): ScopeOption[] {
  return schools.map((s) => ({ value: s.code, title: s.name, code: s.code, selectable: rules.kind !== 'region', isLeaf: true }));
}

/** Puts `children` under the node `code`, wherever it is in the tree (a new tree; the rest is shared). */
export function withChildren(tree: ScopeOption[], code: string, children: ScopeOption[]): ScopeOption[] {
  return tree.map((n) => {
    if (n.value === code) {
      const merged = [...(n.children ?? []), ...children.filter((c) => !n.children?.some((o) => o.value === c.value))];
      return { ...n, children: merged, isLeaf: merged.length === 0 };
    }
    return n.children ? { ...n, children: withChildren(n.children, code, children) } : n;
  });
}

/** Pickable regions whose name or code contains the text, flattened for a search result list. */
export function matchingRegions(tree: ScopeOption[], text: string, out: ScopeOption[] = []): ScopeOption[] {
  const needle = text.trim();
  if (!needle) return out;
  for (const n of tree) {
    if (n.selectable && n.code.length === 6 && (n.title.includes(needle) || n.code.startsWith(needle))) out.push({ ...n, children: undefined, isLeaf: true });
    if (n.children) matchingRegions(n.children, needle, out);
  }
  return out;
}
