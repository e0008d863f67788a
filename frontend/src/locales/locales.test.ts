import { describe, expect, it } from 'vitest';
import zh from './zh-CN.json';
import en from './en-US.json';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('locale files', () => {
  it('have the same keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });
});
