import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import ScopePicker from './ScopePicker';
import { json, mockApi, renderWithProviders } from '../test/utils';
import { matchingRegions, regionOptions, schoolOptions, withChildren } from './scope';
import { setTokens } from '../api/tokens';
import type { RegionNode } from '../api/types';

/** What a county administrator of 锦江区 sees: the province and city above (context), then their county. */
const tree: RegionNode[] = [
  {
    code: '510000',
    name: '四川省',
    level: 'province',
    children: [{ code: '510100', name: '成都市', level: 'city', children: [{ code: '510104', name: '锦江区', level: 'county', children: [] }] }],
  },
];
const mine = new Set(['510104']);
const flat = (nodes: ReturnType<typeof regionOptions>): ReturnType<typeof regionOptions> => nodes.flatMap((n) => [n, ...flat(n.children ?? [])]);

describe('scope picker options', () => {
  it('offers only my own node and what is below it; my ancestors are shown for context', () => {
    const options = flat(regionOptions(tree, mine, { kind: 'any' }));
    expect(options.map((o) => [o.code, o.selectable])).toEqual([
      ['510000', false],
      ['510100', false],
      ['510104', true],
    ]);
    // A county opens onto its schools when schools may be picked, and is a leaf otherwise.
    expect(options[2].isLeaf).toBe(false);
    expect(flat(regionOptions(tree, mine, { kind: 'region' }))[2].isLeaf).toBe(true);
    expect(flat(regionOptions(tree, mine, { kind: 'school' }))[2].selectable).toBe(false);
    expect(flat(regionOptions(tree, new Set(['510000']), { kind: 'region', level: 'city' })).map((o) => o.selectable)).toEqual([false, true, false]);
  });

  it('hangs loaded schools under their county and finds pickable regions by name or code', () => {
    const options = regionOptions(tree, mine, { kind: 'any' });
    const loaded = withChildren(options, '510104', schoolOptions([{ code: '2151000001', name: '锦江实验小学' }], { kind: 'any' }));
    const county = flat(loaded).find((o) => o.code === '510104')!;
    expect(county.children?.map((c) => c.title)).toEqual(['锦江实验小学']);
    expect(matchingRegions(loaded, '锦江').map((o) => o.code)).toEqual(['510104']);
    expect(matchingRegions(loaded, '5101').map((o) => o.code)).toEqual(['510104']);
    expect(matchingRegions(loaded, '成都')).toEqual([]);
  });
});

describe('scope picker', () => {
  it('picks a school by its name and gives its code; the search runs on the server', async () => {
    setTokens({ access_token: 'a', refresh_token: 'r', token_type: 'Bearer', expires_in: 900 } as Parameters<typeof setTokens>[0]);
    const calls = mockApi({
      'GET /api/me': () => json({ id: 3, username: 'jj', display_name: '锦江区管理员', roles: [{ role: 'county_admin', scope_code: '510104', scope_name: '锦江区' }], permissions: ['region.read', 'school.read'] }),
      'GET /api/regions/tree': () => json(tree),
      'GET /api/schools': (req) => {
        const keyword = new URL(req.url).searchParams.get('keyword');
        const items = keyword === '实验' ? [{ id: 1, code: '2151000001', name: '锦江实验小学', county_code: '510104', stage: 'primary', urban_rural: 'urban', teaching_point: false, active: true }] : [];
        return json({ items, total: items.length, page: 1, page_size: 20 });
      },
    });
    let picked: string | undefined;
    renderWithProviders(<ScopePicker aria-label="区划或学校" onChange={(c) => (picked = c)} />);
    const input = screen.getByRole('combobox', { name: '区划或学校' });
    await waitFor(() => expect(calls.some((c) => new URL(c.url).pathname === '/api/me')).toBe(true));
    fireEvent.mouseDown(input);
    fireEvent.change(input, { target: { value: '实验' } });
    const option = await screen.findByText('锦江实验小学');
    expect(within(option.closest('.ant-select-tree-treenode') as HTMLElement).getByText('2151000001')).toBeInTheDocument();
    fireEvent.click(option);
    expect(picked).toBe('2151000001');
    const search = calls.find((c) => new URL(c.url).searchParams.get('keyword') === '实验');
    expect(search).toBeDefined();
  });
});
