// Bottlenecks & late demand of a plan run, with the engine's explanations.

import { apiGet, Bottleneck, LateDemand, PlanJson, Run } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { card, el, message, table } from '../dom';
import { num, usd } from '../format';
import { runsOf } from '../state';

function dualChart(bottlenecks: Bottleneck[]): HTMLElement {
  const top = bottlenecks.slice(0, 10).reverse();
  const option: Option = {
    tooltip: { valueFormatter: (v: unknown) => `${usd(Number(v))} per unit` },
    grid: { left: 180, right: 40, top: 10, bottom: 30 },
    xAxis: { type: 'value', name: 'USD per unit' },
    yAxis: { type: 'category', data: top.map((b) => `${b.node} (${b.kind})`) },
    series: [{ type: 'bar', data: top.map((b) => b.dual_usd_per_unit), color: PALETTE[3] }],
  };
  return chart('Objective gain per extra unit of capacity, top 10', option, 'chart-duals', Math.max(160, 30 * top.length + 50));
}

export async function renderBottlenecks(root: HTMLElement, args: string[]): Promise<void> {
  const runId = args[0] ?? runsOf('plan')[0]?.id;
  if (!runId) {
    root.append(message('No plan has been run for this scenario yet: run one on the Overview page.'));
    return;
  }
  const run = await apiGet<Run>(`/api/runs/${encodeURIComponent(runId)}`);
  const plan = run.result as PlanJson | undefined;
  if (!plan) {
    root.append(message(`Run ${run.id} is ${run.status}.`));
    return;
  }
  root.append(el('p', {}, `Run ${run.id} (${run.created_at}).`));
  const limits = card('What limits output',
    plan.bottlenecks.length ? dualChart(plan.bottlenecks) : null,
    table<Bottleneck>('Binding capacity, ranked by objective gain per unit', [
      { header: 'node', cell: (b) => b.node, rowHeader: true },
      { header: 'kind', cell: (b) => b.kind },
      { header: 'weeks', cell: (b) => (b.first_week === b.last_week ? `W${b.first_week}` : `W${b.first_week}–W${b.last_week}`) },
      { header: 'gain per unit', cell: (b) => usd(b.dual_usd_per_unit), numeric: true },
      { header: 'explanation', cell: (b) => b.text },
    ], plan.bottlenecks, { testId: 'bottleneck-table' }));
  const late = card('Late demand',
    table<LateDemand>('Demand served late, and what holds it back', [
      { header: 'site', cell: (d) => d.site, rowHeader: true },
      { header: 'design', cell: (d) => d.design },
      { header: 'kind', cell: (d) => d.kind },
      { header: 'late', cell: (d) => num(d.rack_weeks, 'rack-weeks'), numeric: true },
      { header: 'held back by', cell: (d) => d.held_back_by.join(', ') || '–' },
      { header: 'explanation', cell: (d) => d.text },
    ], plan.late_demand, { testId: 'late-table' }));
  root.append(limits, late);
}
