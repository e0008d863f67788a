import { useEffect, useRef } from 'react';
// Only the parts drawn here: the bar chart on a canvas with its grid, tooltip, legend and ARIA description.
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface BarSeries {
  name: string;
  /** One value per category, in percent. */
  values: number[];
}

/** Bars per child node; loaded on demand (React.lazy) so ECharts stays out of the first download. */
export default function AreaChart({ categories, series, label }: { categories: string[]; series: BarSeries[]; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el);
    chart.setOption({
      aria: { enabled: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${Number(v).toFixed(1)}%` },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 36, containLabel: true },
      xAxis: { type: 'category', data: categories, axisLabel: { interval: 0, rotate: categories.length > 5 ? 40 : 0 } },
      yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      series: series.map((s) => ({ type: 'bar', name: s.name, data: s.values })),
    });
    // The chart follows its box: the window resizing and the phone turning.
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [categories, series]);
  return <div ref={ref} role="img" aria-label={label} className="home-chart" data-testid="home-chart" />;
}
