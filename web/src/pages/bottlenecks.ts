// Bottlenecks & late demand of a plan run, with the engine's explanations.

import { Bottleneck, LateDemand } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { card, table } from '../dom';
import { num, pct, usd, weekFormat } from '../format';
import { pickedPlanRun } from '../runpicker';

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
  const picked = await pickedPlanRun(root, 'bottlenecks', args);
  if (!picked) return;
  const { plan, detail } = picked;
  const wk = weekFormat(detail.start_week);
  const limits = card('What limits output',
    plan.bottlenecks.length ? dualChart(plan.bottlenecks) : null,
    table<Bottleneck>('Binding capacity, ranked by objective gain per unit', [
      { header: 'node', cell: (b) => b.node, rowHeader: true },
      { header: 'kind', cell: (b) => b.kind },
      { header: 'weeks', cell: (b) => wk.range(b.first_week, b.last_week) },
      { header: 'per unit and week', cell: (b) => usd(b.weekly_usd_per_unit ?? null), numeric: true },
      { header: 'peak (one unit in one week)', cell: (b) => `${usd(b.dual_usd_per_unit)}${b.peak_week === undefined ? '' : ` in ${wk.iso(b.peak_week)}`}`, numeric: true },
      { header: 'explanation', cell: (b) => b.text },
    ], plan.bottlenecks, { testId: 'bottleneck-table' }));
  const late = card('Late demand',
    table<LateDemand>('Demand served late, and what holds it back', [
      { header: 'site', cell: (d) => d.site, rowHeader: true },
      { header: 'design', cell: (d) => d.design },
      { header: 'kind', cell: (d) => d.kind },
      { header: 'late', cell: (d) => num(d.rack_weeks, 'rack-weeks'), numeric: true },
      { header: 'latest order', cell: (d) => {
        const o = d.latest_order;
        if (!o) return '–';
        return `${num(o.racks, 'racks')} due ${wk.label(o.demand_week)}, ${o.promised_week === null ? 'not delivered' : `promised ${wk.label(o.promised_week)}`} (${o.weeks_late} weeks late)`;
      } },
      { header: 'held back by', cell: (d) => d.held_back_by.slice(0, 3).map((n, i) => `${n}${d.held_back_share?.[i] !== undefined ? ` (${pct(d.held_back_share[i])})` : ''}`).join(', ') || '–' },
      { header: 'explanation', cell: (d) => d.text },
    ], plan.late_demand, { testId: 'late-table' }));
  root.append(limits, late);
}
