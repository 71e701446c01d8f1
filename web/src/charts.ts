// ECharts setup: only the chart types and components the dashboard uses are
// bundled. Every chart made through `chart()` is disposed on page change.

import * as echarts from 'echarts/core';
import { BarChart, LineChart, MapChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { el } from './dom';

echarts.use([
  BarChart, LineChart, MapChart, PieChart, ScatterChart,
  GeoComponent, GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent, VisualMapComponent,
  CanvasRenderer,
]);

export { echarts };
export type Option = echarts.EChartsCoreOption;

const live: echarts.ECharts[] = [];

export function disposeCharts(): void {
  while (live.length) live.pop()!.dispose();
}

window.addEventListener('resize', () => live.forEach((c) => c.resize()));

/// A chart container with an accessible label; the chart renders once the
/// element is in the document (call after appending, or pass to mount()).
export function chart(label: string, option: Option, testId: string, height = 300): HTMLElement {
  const box = el('div', { class: 'chart', role: 'img', 'aria-label': label, 'data-testid': testId });
  box.style.height = `${height}px`;
  requestAnimationFrame(() => {
    if (!box.isConnected) return;
    const instance = echarts.init(box, undefined, { renderer: 'canvas' });
    // Users who ask for reduced motion (and the browser test's screenshots) get the final frame at once.
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    instance.setOption(still ? { ...option, animation: false } : option);
    live.push(instance);
  });
  return box;
}

export const PALETTE = ['#2f6fde', '#e0803a', '#3aa675', '#b5485d', '#7a5cc9', '#c9a227', '#4bb3c4', '#8a8a8a'];
