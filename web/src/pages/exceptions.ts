// Exceptions: one sortable list of what a planner acts on, each with its ISO
// week and date: late orders (pegging), lines and test cells at 100 %,
// single-source parts (check), suppliers whose outage would stop output (the
// latest risk run of the scenario), quarters below the domestic floor, and
// parts that run out while a line waits.

import { apiGet, CheckResult, PlanJson, Run } from '../api';
import { card, el, message, sortableTable, table } from '../dom';
import { num, pct, usd, WeekFormat, weekFormat, weekRanges } from '../format';
import { pickedPlanRun, runLabel } from '../runpicker';
import { runsOf, scenarioCheck } from '../state';
import { riskNodes } from './risk';

export interface ExceptionRow {
  type: string;
  subject: string;
  week: number | null;  // first week concerned; null: not tied to a week
  weeks: string;        // the weeks as text
  detail: string;
  size: number;         // what the list sorts "largest" by: rack-weeks, weeks, share points, designs
  unit: string;         // the unit of size
}

const TYPE_ORDER = ['late order', 'at capacity', 'part runs out', 'below domestic floor', 'supplier outage stops output', 'single source'];

export function lateOrders(plan: PlanJson, wk: WeekFormat): ExceptionRow[] {
  return (plan.pegging ?? []).filter((p) => p.weeks_late > 0).map((p) => ({
    type: 'late order',
    subject: `${p.site} · ${p.design} (${p.kind})`,
    week: p.demand_week,
    weeks: wk.label(p.demand_week),
    detail: p.arrival_week === null
      ? `${num(p.racks, 'racks')} not delivered within the horizon (${p.weeks_late} weeks and more late)`
      : `${num(p.racks, 'racks')} from ${p.plant}, ${p.weeks_late} week${p.weeks_late === 1 ? '' : 's'} late: promised ${wk.label(p.arrival_week)}`,
    size: p.racks * p.weeks_late,
    unit: 'rack-weeks late',
  }));
}

export function atCapacity(plan: PlanJson, wk: WeekFormat): ExceptionRow[] {
  const out: ExceptionRow[] = [];
  for (const row of plan.load?.rows ?? []) {
    if (row.kind === 'supply') continue;
    const what = row.kind === 'test' ? `test cells at ${row.id}` : row.kind === 'component_line' ? `component line ${row.id}` : `line ${row.id}`;
    for (const [first, last] of weekRanges(row.binding_weeks)) {
      out.push({
        type: 'at capacity', subject: what, week: first, weeks: wk.range(first, last),
        detail: `${last - first + 1} week${last === first ? '' : 's'} at 100 % of ${row.unit} (${num(row.available[first])} ${row.unit} in ${wk.iso(first)})`,
        size: last - first + 1,
        unit: 'weeks',
      });
    }
  }
  return out;
}

export function partShortages(plan: PlanJson, wk: WeekFormat): ExceptionRow[] {
  return (plan.part_shortages ?? []).map((s) => ({
    type: 'part runs out', subject: `${s.component} at ${s.plant}`, week: s.first_week, weeks: wk.range(s.first_week, s.last_week),
    detail: `none in stock and no more could arrive (offers full or too late) while ${s.lines.join(', ')} could build more and racks are owed`, size: s.last_week - s.first_week + 1, unit: 'weeks',
  }));
}

export function domesticBelowFloor(plan: PlanJson, floor: number, wk: WeekFormat): ExceptionRow[] {
  return (plan.domestic_by_quarter ?? []).filter((q) => q.share !== null && q.share < floor - 1e-9).map((q) => ({
    type: 'below domestic floor', subject: `quarter ${q.quarter + 1}`, week: q.first_week, weeks: wk.range(q.first_week, q.last_week),
    detail: `domestic share ${pct(q.share)} of spend against a floor of ${pct(floor)} (the floor holds over the horizon, not per quarter)`,
    size: (floor - (q.share ?? 0)) * 100,
    unit: 'points below',
  }));
}

export function singleSource(check: CheckResult): ExceptionRow[] {
  const users = new Map<string, string[]>();
  for (const d of check.designs) for (const c of d.rollup.single_source_components ?? []) users.set(c, [...(users.get(c) ?? []), d.id]);
  return [...users].map(([component, designs]) => ({
    type: 'single source', subject: component, week: null, weeks: 'whole horizon',
    detail: `one supplier only; used by ${designs.join(', ')}`, size: designs.length, unit: designs.length === 1 ? 'design' : 'designs',
  }));
}

export function supplierStops(riskResult: unknown, riskRunId: string): ExceptionRow[] {
  return riskNodes(riskResult).filter((n) => n.exposed && n.node.startsWith('supplier:')).map((n) => {
    const part = (n as { critical_part?: string }).critical_part;
    return {
      type: 'supplier outage stops output', subject: n.node, week: null, weeks: 'any outage',
      detail: `survives ${num(n.tts_weeks)} weeks but needs ${num(n.recovery_weeks)} to recover: ${num(n.pi_rack_weeks)} rack-weeks lost${part ? `; part ${part}` : ''} (risk run ${riskRunId})`,
      size: n.pi_rack_weeks,
      unit: 'rack-weeks lost',
    };
  });
}

export async function renderExceptions(root: HTMLElement, args: string[]): Promise<void> {
  const picked = await pickedPlanRun(root, 'exceptions', args);
  if (!picked) return;
  const { run, plan, detail } = picked;
  const check = await scenarioCheck();
  const wk = weekFormat(detail.start_week);
  const floor = typeof run.options?.domestic === 'number' ? (run.options.domestic as number) : detail.domestic_content_min;
  const risk = runsOf('risk')[0];
  const riskRun = risk ? await apiGet<Run>(`/api/runs/${encodeURIComponent(risk.id)}`) : null;
  const rows = [
    ...lateOrders(plan, wk), ...atCapacity(plan, wk), ...partShortages(plan, wk), ...domesticBelowFloor(plan, floor, wk),
    ...(riskRun ? supplierStops(riskRun.result, riskRun.id) : []), ...singleSource(check),
  ];
  const typeRank = (r: ExceptionRow) => TYPE_ORDER.indexOf(r.type);
  const counts = TYPE_ORDER.map((t) => `${t}: ${rows.filter((r) => r.type === t).length}`).join(' · ');
  const typeFilter = el('select', { id: 'exception-type', 'data-testid': 'exception-type' },
    el('option', { value: '' }, 'every type'), ...TYPE_ORDER.map((t) => el('option', { value: t }, t)));
  const listing = el('div');
  const list = () => listing.replaceChildren(sortableTable<ExceptionRow>(`Exceptions of run ${run.id}: click a header to sort`, [
    { header: 'type', cell: (r) => r.type, sort: (r) => typeRank(r) * 1e6 + (r.week ?? 1e5) },
    { header: 'subject', cell: (r) => r.subject, rowHeader: true, sort: (r) => r.subject },
    { header: 'week', cell: (r) => r.weeks, sort: (r) => r.week ?? 1e9 },
    { header: 'what', cell: (r) => r.detail },
    { header: 'how much (largest first)', cell: (r) => num(r.size, r.size === 1 ? r.unit.replace(/^weeks\b/, 'week') : r.unit), numeric: true, sort: (r) => -r.size },
  ], rows.filter((r) => !typeFilter.value || r.type === typeFilter.value),
  { testId: 'exceptions-table', initial: 0, rowClass: (r) => `exc-${r.type.replace(/ /g, '-')}` }));
  typeFilter.addEventListener('change', list);
  list();
  root.append(
    el('p', { 'data-testid': 'exception-counts' }, counts),
    riskRun ? el('p', { class: 'form-status' }, `Supplier outages from ${runLabel(riskRun, detail.start_week)}.`)
      : message('No risk analysis for this scenario yet: run one on the Risk page to list suppliers whose outage stops output.'),
    card('Exceptions', el('div', { class: 'inline-form' }, el('label', { for: 'exception-type' }, 'Show'), typeFilter), listing),
    card('Domestic share per quarter', table(`Against the floor of ${pct(floor)} (by order week; component lines' value added counts as domestic)`, [
      { header: 'quarter', cell: (q) => `Q${q.quarter + 1}`, rowHeader: true },
      { header: 'weeks', cell: (q) => wk.range(q.first_week, q.last_week) },
      { header: 'domestic share', cell: (q) => pct(q.share), numeric: true },
      { header: 'component spend', cell: (q) => usd(q.total_usd), numeric: true },
      { header: 'against floor', cell: (q) => (q.share === null ? 'nothing bought' : q.share + 1e-9 >= floor ? 'meets' : 'below') },
    ], plan.domestic_by_quarter ?? [], { testId: 'domestic-quarters' })));
}
