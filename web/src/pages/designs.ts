// Designs: design-rule checks with margins (pass/fail coloured) and the
// bill-of-materials roll-up of every design.

import { DesignCheck, Rule } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { badge, card, el, table } from '../dom';
import { num, pct, RULE_UNITS, usd, WeekFormat, weekFormat } from '../format';
import { scenarioCheck, scenarioDetail } from '../state';

function ruleTable(design: DesignCheck, wk: WeekFormat): HTMLElement {
  const unit = (r: Rule) => RULE_UNITS[r.rule] ?? '';
  // A rule that does not apply (note "n.a.": need = have = 0) shows no figures, as `check` prints
  // n.a. for it; the date rule shows ISO weeks only, so the table fits its half-width card.
  const value = (r: Rule, v: number | null) =>
    (r.note === 'n.a.' ? '–' : r.rule === 'date' && v !== null ? wk.iso(v) : num(v, unit(r)));
  return table<Rule>(`Design rules of ${design.id} (meets ${design.meets})`, [
    { header: 'rule', cell: (r) => r.rule, rowHeader: true },
    { header: 'need', cell: (r) => value(r, r.need), numeric: true },
    { header: 'have', cell: (r) => value(r, r.have), numeric: true },
    { header: 'margin', cell: (r) => pct(r.margin), numeric: true },
    { header: 'result', cell: (r) => (r.note ? el('span', { class: 'badge na' }, r.note) : badge(r.pass)) },
  ], design.rules, { rowClass: (r) => (r.pass === false ? 'row-fail' : r.pass ? 'row-pass' : ''), testId: `rules-${design.id}` });
}

function rollupTable(designs: DesignCheck[]): HTMLElement {
  const n = (d: DesignCheck, key: string) => (typeof d.rollup[key] === 'number' ? (d.rollup[key] as number) : null);
  return table<DesignCheck>('Bill-of-materials roll-up per design', [
    { header: 'design', cell: (d) => d.id, rowHeader: true },
    { header: 'result', cell: (d) => badge(d.pass) },
    { header: 'accelerators', cell: (d) => num(n(d, 'accelerators')), numeric: true },
    { header: 'IT power', cell: (d) => num(n(d, 'it_power_kw'), 'kW'), numeric: true },
    { header: 'liquid heat', cell: (d) => num(n(d, 'heat_liquid_kw'), 'kW'), numeric: true },
    { header: 'air heat', cell: (d) => num(n(d, 'heat_air_kw'), 'kW'), numeric: true },
    { header: 'coolant flow', cell: (d) => num(n(d, 'coolant_flow_l_min'), 'L/min'), numeric: true },
    { header: 'weight', cell: (d) => num(n(d, 'weight_kg'), 'kg'), numeric: true },
    { header: 'height', cell: (d) => num(n(d, 'rack_units'), 'U'), numeric: true },
    { header: 'cost', cell: (d) => usd(n(d, 'cost_usd')), numeric: true },
    { header: 'possible domestic share', cell: (d) => pct(n(d, 'domestic_share')), numeric: true },
    { header: 'min suppliers', cell: (d) => num(n(d, 'min_suppliers')), numeric: true },
  ], designs, { rowClass: (d) => (d.pass ? 'row-pass' : 'row-fail'), testId: 'rollup-table' });
}

function marginChart(designs: DesignCheck[]): HTMLElement {
  const rules = [...new Set(designs.flatMap((d) => d.rules.filter((r) => r.margin !== null).map((r) => r.rule)))];
  const option: Option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => pct(Number(v)) },
    legend: { type: 'scroll' },
    grid: { left: 60, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'category', data: rules, axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'margin', axisLabel: { formatter: (v: number) => pct(v) } },
    series: designs.map((d, i) => ({
      name: d.id, type: 'bar', color: PALETTE[i % PALETTE.length],
      data: rules.map((rule) => d.rules.find((r) => r.rule === rule)?.margin ?? null),
    })),
  };
  return chart('Design-rule margins per design', option, 'chart-margins', 280);
}

export async function renderDesigns(root: HTMLElement): Promise<void> {
  const [check, detail] = await Promise.all([scenarioCheck(), scenarioDetail()]);
  const wk = weekFormat(detail.start_week);
  root.append(card('Roll-up', rollupTable(check.designs)));
  root.append(card('Margins', marginChart(check.designs)));
  const grid = el('div', { class: 'grid2' });
  for (const design of check.designs) grid.append(card(`${design.id}`, ruleTable(design, wk)));
  root.append(grid);
}
