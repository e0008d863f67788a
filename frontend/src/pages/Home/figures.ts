import type { Schemas } from '../../api/client';

export type NodeFigures = Schemas['NodeFigures'];

/** A rate of the API (0…1) as a percentage with one decimal, for charts. */
export function percentOf(rate: number): number {
  return Math.round(rate * 1000) / 10;
}

/** The chart's two series per child: 参训率 and 完成率, in percent. */
export function chartSeries(children: NodeFigures[]): { categories: string[]; participation: number[]; completion: number[] } {
  return {
    categories: children.map((c) => c.name),
    participation: children.map((c) => percentOf(c.participation_rate)),
    completion: children.map((c) => percentOf(c.completion_rate)),
  };
}

/** Badge counts per menu route: several queues may share one page (enrolments and result batches: programs). */
export function countsByRoute(todos: readonly { route: string; count: number }[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of todos) out.set(t.route, (out.get(t.route) ?? 0) + t.count);
  return out;
}
