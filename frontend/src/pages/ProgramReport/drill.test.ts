import { describe, expect, it } from 'vitest';
import { drillTrail, percent, regionAncestors, rowLevel } from './drill';

describe('region ancestors', () => {
  it('derive from the code', () => {
    expect(regionAncestors('510000')).toEqual(['510000']);
    expect(regionAncestors('510100')).toEqual(['510000', '510100']);
    expect(regionAncestors('510104')).toEqual(['510000', '510100', '510104']);
  });
});

describe('drill-down breadcrumb', () => {
  it('starts at the user’s own node', () => {
    expect(drillTrail('510000', undefined)).toEqual(['510000']);
    expect(drillTrail('510000', '510000')).toEqual(['510000']);
    expect(drillTrail('510000', '510104')).toEqual(['510000', '510100', '510104']);
    expect(drillTrail('510100', '510104')).toEqual(['510100', '510104']);
  });
  it('puts a school below its county', () => {
    expect(drillTrail('510000', '2151990001', '510104')).toEqual(['510000', '510100', '510104', '2151990001']);
    expect(drillTrail('510104', '2151990001', '510104')).toEqual(['510104', '2151990001']);
    expect(drillTrail('510104', '2151990001')).toEqual(['510104', '2151990001']);
  });
  it('never climbs above the root', () => {
    expect(drillTrail('510104', '510100')).toEqual(['510100']);
    expect(drillTrail('2151990001', '2151990001')).toEqual(['2151990001']);
  });
});

describe('rows', () => {
  it('are one level below the node', () => {
    expect(rowLevel('510000', false)).toBe('city');
    expect(rowLevel('510100', false)).toBe('county');
    expect(rowLevel('510104', false)).toBe('school');
    expect(rowLevel('2151990001', true)).toBe('teacher');
  });
  it('rates print as percentages', () => {
    expect(percent(0.5)).toBe('50.0%');
    expect(percent(0.12345)).toBe('12.3%');
    expect(percent(0)).toBe('0.0%');
  });
});
