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

/// 20 distinct colours for categories such as suppliers: the ten Tableau 20 hues, then their light twins
/// (neighbours in file order get different hues).
export const CATEGORY_COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#b07aa1', '#499894', '#b6992d', '#d37295',
  '#9d7660', '#79706e', '#a0cbe8', '#ffbe7d', '#8cd17d', '#ff9d9a', '#d4a6c8', '#86bcb6', '#f1ce63', '#fabfd2',
  '#d7b5a6', '#bab0ac'];

/// The colour of `id` among `ids` (file order): the same supplier keeps its colour on every chart and run;
/// beyond 20 ids the colours repeat with a darker shade.
export function stableColor(ids: string[], id: string): string {
  const i = Math.max(0, ids.indexOf(id));
  const base = CATEGORY_COLORS[i % CATEGORY_COLORS.length];
  if (i < CATEGORY_COLORS.length) return base;
  const dim = (hex: string) => Math.round(parseInt(hex, 16) * 0.7).toString(16).padStart(2, '0');
  return `#${dim(base.slice(1, 3))}${dim(base.slice(3, 5))}${dim(base.slice(5, 7))}`;
}
