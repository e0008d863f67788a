import { describe, expect, it } from 'vitest';
import { accessTally, actorLabel } from './history';

const names: Record<string, string> = { province_admin: '省级管理员', county_admin: '区县管理员' };
const roleName = (r: string) => names[r] ?? r;

describe('actorLabel', () => {
  it('names every role with its area and nothing else', () => {
    expect(
      actorLabel(
        [
          { role: 'province_admin', scope_name: '四川省' },
          { role: 'county_admin', scope_name: '锦江区' },
        ],
        roleName,
        '未知',
      ),
    ).toBe('省级管理员 · 四川省；区县管理员 · 锦江区');
  });

  it('says unknown for an actor without roles (a removed account)', () => {
    expect(actorLabel([], roleName, '未知')).toBe('未知');
  });
});

describe('accessTally', () => {
  it('counts reveals and exports apart', () => {
    expect(accessTally([{ kind: 'reveal' }, { kind: 'export' }, { kind: 'reveal' }])).toEqual({ reveal: 2, export: 1 });
    expect(accessTally([])).toEqual({ reveal: 0, export: 0 });
  });
});
