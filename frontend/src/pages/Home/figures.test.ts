import { describe, expect, it } from 'vitest';
import { chartSeries, countsByRoute, percentOf } from './figures';

describe('workbench figures', () => {
  it('turns rates into chart percentages per child', () => {
    expect(percentOf(0.3333)).toBe(33.3);
    const child = { code: '510104', name: '锦江区', teachers: 4, enrolments: 3, participation_rate: 0.75, completed: 1, completion_rate: 0.3333, average_hours: 5, competency_submitted: 0, competency_passed: 0, competency_pass_rate: 0 };
    expect(chartSeries([child])).toEqual({ categories: ['锦江区'], participation: [75], completion: [33.3] });
  });

  it('adds up the queues that share a page', () => {
    const counts = countsByRoute([
      { route: '/programs', count: 2 },
      { route: '/hours', count: 1 },
      { route: '/programs', count: 3 },
    ]);
    expect(counts.get('/programs')).toBe(5);
    expect(counts.get('/hours')).toBe(1);
    expect(counts.get('/jobs')).toBeUndefined();
  });
});
