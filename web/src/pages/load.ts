// Load by line and week: capacity used against available per rack line,
// component line, plant test cells and supplier offer (an HTML heatmap, one
// cell per row and week, binding weeks marked), and the build plan per line.

import { LoadRow, PlanJson } from '../api';
import { card, el, message } from '../dom';
import { num, pct, WeekFormat, weekFormat } from '../format';
import { pickedPlanRun } from '../runpicker';

const GROUPS: { kind: LoadRow['kind']; title: string }[] = [
  { kind: 'line', title: 'Rack lines' },
  { kind: 'component_line', title: 'Component lines' },
  { kind: 'test', title: 'Test cells per plant' },
  { kind: 'supply', title: 'Supplier offers (order week)' },
];

/// Background of a cell: white at 0 %, deep blue at 100 %; grey where no capacity exists.
function shade(share: number): string {
  const s = Math.max(0, Math.min(1, share));
  const mix = (a: number, b: number) => Math.round(a + (b - a) * s);
  return `rgb(${mix(246, 31)}, ${mix(248, 84)}, ${mix(252, 190)})`;
}

/// The utilisation of a row in a week, or null where the capacity does not exist.
export function utilisation(row: LoadRow, week: number): number | null {
  const available = row.available[week] ?? 0;
  if (available <= 1e-6) return null;
  return (row.used[week] ?? 0) / available;
}

/// A header row with the month of each week's Monday ("Jan 2026"), one cell per month.
function monthRow(weeks: number, wk: WeekFormat, leading = 1): HTMLElement {
  const row = el('tr', { class: 'hm-months' }, ...Array.from({ length: leading }, () => el('td', {})));
  let start = 0;
  const month = (t: number) => wk.date(t).slice(0, 7);
  for (let t = 1; t <= weeks; t += 1) {
    if (t < weeks && month(t) === month(start)) continue;
    const date = wk.date(start);
    const text = date ? new Date(`${date}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }) : '';
    row.append(el('th', { scope: 'colgroup', colspan: t - start, class: 'hm-month' }, t - start >= 3 ? text : ''));
    start = t;
  }
  return row;
}

function heatmap(rows: LoadRow[], kind: string, title: string, wk: WeekFormat, bindingShare: number): HTMLElement {
  const weeks = rows[0]?.used.length ?? 0;
  const head = el('tr', {}, el('th', { scope: 'col', class: 'hm-name' }, 'capacity'),
    ...Array.from({ length: weeks }, (_, t) => el('th', { scope: 'col', class: 'hm-week', title: wk.label(t) }, wk.iso(t).slice(-3))));
  const months = monthRow(weeks, wk);
  const body = el('tbody');
  for (const row of rows) {
    const binding = new Set(row.binding_weeks);
    const tr = el('tr', { 'data-row': row.id },
      el('th', { scope: 'row', class: 'hm-name' }, row.kind === 'test' ? `${row.id} test cells` : row.id,
        row.binding_weeks.length ? el('span', { class: 'hm-count' }, ` ${row.binding_weeks.length} wk at 100 %`) : null));
    for (let t = 0; t < weeks; t += 1) {
      const share = utilisation(row, t);
      const isBinding = binding.has(t) || (share !== null && share >= bindingShare);
      const cell = el('td', {
        class: `hm${isBinding ? ' binding' : ''}${share === null ? ' none' : ''}`,
        'data-week': t,
        'data-util': share === null ? '' : share.toFixed(4),
        title: `${row.id}, ${wk.label(t)}: ${share === null ? 'no capacity' : `${num(row.used[t])} of ${num(row.available[t])} ${row.unit} (${pct(share)})`}${isBinding ? ', binding' : ''}`,
      }, isBinding ? '●' : '');
      if (share !== null) cell.style.background = shade(share);
      tr.append(cell);
    }
    body.append(tr);
  }
  const t = el('table', { class: 'heatmap', 'data-testid': `heatmap-${kind}` },
    el('caption', {}, `${title}: used / available per week`),
    el('thead', {}, months, head), body);
  return el('div', { class: 'table-wrap' }, t);
}

function legend(): HTMLElement {
  const stops = [0, 0.25, 0.5, 0.75, 1].map((s) => {
    const swatch = el('span', { class: 'hm-swatch' });
    swatch.style.background = shade(s);
    return el('span', { class: 'hm-stop' }, swatch, pct(s));
  });
  const none = el('span', { class: 'hm-swatch none' });
  return el('p', { class: 'hm-legend' }, 'Utilisation: ', ...stops, el('span', { class: 'hm-stop' }, none, 'no capacity'),
    el('span', { class: 'hm-stop' }, el('span', { class: 'hm-swatch binding' }, '●'), 'binding week'));
}

/// Whole racks for the build-plan table: "" for none, "<1" for a fraction under half a rack (a
/// continuous plan's sliver, which rounding alone would show as nothing).
export function wholeRacks(v: number): string {
  if (v <= 1e-6) return '';
  return v < 0.5 ? '<1' : String(Math.round(v));
}

function buildPlanTable(plan: PlanJson, wk: WeekFormat): HTMLElement {
  const rows = plan.build_plan ?? [];
  const weeks = plan.racks_built_by_week.length;
  const fractional = rows.some((r) => r.racks.some((v) => Math.abs(v - Math.round(v)) > 1e-6));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'line'), el('th', { scope: 'col' }, 'design'),
    ...Array.from({ length: weeks }, (_, t) => el('th', { scope: 'col', class: 'num', title: wk.label(t) }, wk.iso(t).slice(-3))),
    el('th', { scope: 'col', class: 'num' }, 'total'));
  const body = el('tbody', {}, ...rows.map((r) => el('tr', { 'data-line': r.line },
    el('th', { scope: 'row' }, r.line), el('td', {}, r.design),
    ...r.racks.map((v, t) => el('td', { class: 'num', title: `${r.line}, ${r.design}, ${wk.label(t)}: ${num(v)} racks` }, wholeRacks(v))),
    el('td', { class: 'num' }, wholeRacks(r.racks.reduce((a, b) => a + b, 0))))));
  const t = el('table', { class: 'build-plan', 'data-testid': 'build-plan' },
    el('caption', {}, `Racks to build per line, design and week${fractional ? ' (rounded to whole racks: this plan has continuous quantities; plan with --quantities whole for exact ones)' : ''}`),
    el('thead', {}, monthRow(weeks, wk, 2), head), body);
  if (!rows.length) body.append(el('tr', {}, el('td', { colspan: weeks + 3, class: 'empty' }, 'This plan builds nothing.')));
  return el('div', { class: 'table-wrap' }, t);
}

export async function renderLoad(root: HTMLElement, args: string[]): Promise<void> {
  const picked = await pickedPlanRun(root, 'load', args);
  if (!picked) return;
  const { run, plan, detail } = picked;
  const wk = weekFormat(detail.start_week);
  if (!plan.load) {
    root.append(message(`Run ${run.id} was stored before the server kept per-line load: plan again to see it.`));
    return;
  }
  const cards: HTMLElement[] = [];
  for (const group of GROUPS) {
    const rows = plan.load.rows.filter((r) => r.kind === group.kind);
    if (!rows.length) continue;
    cards.push(card(group.title, heatmap(rows, group.kind, group.title, wk, plan.load.binding_share)));
  }
  root.append(legend(), ...cards, card('Build plan per line', buildPlanTable(plan, wk)));
}
