import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

export interface RatePoint {
  name: string;
  participation: number;
  completion: number;
  cycle: number;
}

/**
 * Bars of three rates per row. ECharts is loaded on first use (its own chunk), so pages without a chart never
 * download it; the table beside the chart carries the same numbers for screen readers.
 */
export default function RateChart({ points }: { points: RatePoint[] }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let dispose: (() => void) | undefined;
    let resize: (() => void) | undefined;
    void (async () => {
      const [core, charts, components, renderers] = await Promise.all([
        import('echarts/core'),
        import('echarts/charts'),
        import('echarts/components'),
        import('echarts/renderers'),
      ]);
      if (disposed || !box.current) return;
      core.use([charts.BarChart, components.GridComponent, components.TooltipComponent, components.LegendComponent, renderers.CanvasRenderer]);
      const chart = core.init(box.current);
      const pct = (v: number) => Math.round(v * 1000) / 10;
      chart.setOption({
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${String(v)}%` },
        legend: {},
        grid: { left: 48, right: 16, bottom: 64, top: 40 },
        xAxis: { type: 'category', data: points.map((p) => p.name), axisLabel: { rotate: points.length > 8 ? 40 : 0 } },
        yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
        series: [
          { name: t('annual.participationRate'), type: 'bar', data: points.map((p) => pct(p.participation)) },
          { name: t('annual.completionRate'), type: 'bar', data: points.map((p) => pct(p.completion)) },
          { name: t('annual.cycleRate'), type: 'bar', data: points.map((p) => pct(p.cycle)) },
        ],
      });
      resize = () => chart.resize();
      window.addEventListener('resize', resize);
      dispose = () => chart.dispose();
    })();
    return () => {
      disposed = true;
      if (resize) window.removeEventListener('resize', resize);
      dispose?.();
    };
  }, [points, t]);
  return <div ref={box} role="img" aria-label={t('annual.chartLabel')} style={{ width: '100%', height: 300 }} data-testid="annual-chart" />;
}
