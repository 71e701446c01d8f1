// Runs: every stored run; pick two for a side-by-side comparison from the
// diff endpoint.

import { apiGet, PlanJson, Run, RunInfo, scenarioIdentity } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { card, el, table } from '../dom';
import { isoWeekOf, pct, racks, usd } from '../format';
import { runLabel, runOptionParts } from '../runpicker';
import { refreshRuns, state } from '../state';

/// Flattens nested JSON into [path, value] pairs for display ("cost.capex").
export function flatten(value: unknown, prefix = '', out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.push([prefix, value]);
  }
  return out;
}

function show(value: unknown): string {
  if (typeof value === 'number') return Math.abs(value) >= 1000 ? value.toLocaleString('en-US', { maximumFractionDigits: 0 }) : String(Math.round(value * 1e4) / 1e4);
  if (Array.isArray(value)) return value.length > 8 ? `[${value.length} values]` : JSON.stringify(value);
  return value === null || value === undefined ? '–' : String(value);
}

/// The start week of a run's scenario ('' when the scenario is no longer served).
function startWeekOf(run: RunInfo): string {
  return state.scenarios.find((s) => s.id === run.scenario_id)?.start_week ?? '';
}

function summaryOf(run: Run): [string, string][] {
  const plan = run.result as PlanJson | undefined;
  const rows: [string, string][] = [['scenario', scenarioIdentity(run)], ['kind', run.kind], ['status', run.status], ['created', run.created_at],
    ['options', runOptionParts(run, startWeekOf(run)).join(' · ') || 'none']];
  if (run.kind === 'plan' && plan?.cost_breakdown_usd) {
    rows.push(['total cost', usd(plan.objective_usd)], ['racks built', racks(plan.racks_built)], ['domestic content', pct(plan.domestic_content)],
      ['firm backlog', racks(plan.backlog_rack_weeks.firm, 'rack-weeks')], ['expansions', plan.expansions_opened.join(', ') || 'none']);
  }
  return rows;
}

async function compare(a: string, b: string, out: HTMLElement): Promise<void> {
  const [runA, runB, diff] = await Promise.all([
    apiGet<Run>(`/api/runs/${encodeURIComponent(a)}`), apiGet<Run>(`/api/runs/${encodeURIComponent(b)}`),
    apiGet<unknown>(`/api/runs/${encodeURIComponent(a)}/diff/${encodeURIComponent(b)}`)]);
  const sa = summaryOf(runA);
  const sb = new Map(summaryOf(runB));
  const side = table<[string, string]>(`Run ${a} beside run ${b}`, [
    { header: 'figure', cell: (r) => r[0], rowHeader: true },
    { header: a, cell: (r) => r[1] },
    { header: b, cell: (r) => sb.get(r[0]) ?? '–' },
  ], sa, { testId: 'compare-table' });
  // Group "x.a", "x.b", "x.delta" leaves into one row per field.
  const grouped = new Map<string, { a?: unknown; b?: unknown; delta?: unknown }>();
  for (const [key, value] of flatten(diff)) {
    const match = key.match(/^(.*)\.(a|b|delta)$/);
    if (!match) continue;
    const row = grouped.get(match[1]) ?? {};
    row[match[2] as 'a' | 'b' | 'delta'] = value;
    grouped.set(match[1], row);
  }
  const diffTable = table<[string, { a?: unknown; b?: unknown; delta?: unknown }]>('Differences reported by the run store', [
    { header: 'field', cell: (r) => r[0].replace(/_/g, ' '), rowHeader: true },
    { header: `run ${a}`, cell: (r) => show(r[1].a), numeric: true },
    { header: `run ${b}`, cell: (r) => show(r[1].b), numeric: true },
    { header: 'change', cell: (r) => show(r[1].delta), numeric: true },
  ], [...grouped], { testId: 'diff-table' });
  const children: HTMLElement[] = [card('Side by side', side)];
  const pa = runA.result as PlanJson | undefined;
  const pb = runB.result as PlanJson | undefined;
  if (pa?.racks_built_by_week && pb?.racks_built_by_week) {
    const option: Option = {
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => racks(Number(v), 'racks/week') },
      legend: {},
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: pa.racks_built_by_week.map((_, i) => isoWeekOf(startWeekOf(runA), i) || `W${i}`) },
      yAxis: { type: 'value', name: 'racks/week' },
      series: [
        { name: a, type: 'line', data: pa.racks_built_by_week, showSymbol: false, color: PALETTE[0] },
        { name: b, type: 'line', data: pb.racks_built_by_week, showSymbol: false, color: PALETTE[1] },
      ],
    };
    children.push(card('Weekly output', chart(`Weekly output of runs ${a} and ${b}`, option, 'chart-compare')));
  }
  children.push(card('Diff', diffTable));
  out.replaceChildren(...children);
}

export async function renderRuns(root: HTMLElement): Promise<void> {
  const runs = (await refreshRuns()).slice().sort((x, y) => (x.created_at < y.created_at ? 1 : -1));
  const picked: string[] = [];
  const output = el('div', { 'data-testid': 'compare-output' });
  const button = el('button', { type: 'button', disabled: true, 'data-testid': 'compare' }, 'Compare the two picked runs');
  const hint = el('span', { class: 'form-status', role: 'status' }, 'Pick two runs (Space or click on the check boxes).');
  const toggle = (id: string, on: boolean) => {
    const i = picked.indexOf(id);
    if (on && i < 0) picked.push(id);
    if (!on && i >= 0) picked.splice(i, 1);
    button.disabled = picked.length !== 2;
    hint.textContent = picked.length === 2 ? `Compare ${picked[0]} with ${picked[1]}.` : `${picked.length} of 2 picked.`;
  };
  const listing = table<RunInfo>('Stored runs, newest first', [
    { header: 'pick', cell: (r) => {
      const box = el('input', { type: 'checkbox', 'aria-label': `pick run ${r.id}`, 'data-run': r.id });
      box.addEventListener('change', () => toggle(r.id, box.checked));
      return box;
    } },
    { header: 'run', cell: (r) => el('a', { href: r.kind === 'plan' ? `#/overview/${encodeURIComponent(r.id)}` : '#/risk' }, r.id), rowHeader: true },
    { header: 'scenario', cell: (r) => scenarioIdentity(r) },
    { header: 'kind', cell: (r) => r.kind },
    { header: 'status', cell: (r) => r.status },
    { header: 'created', cell: (r) => r.created_at },
    { header: 'what it is', cell: (r) => runLabel(r, startWeekOf(r)) },
  ], runs, { testId: 'runs-table' });
  button.addEventListener('click', () => {
    if (picked.length === 2) void compare(picked[0], picked[1], output).catch((e) => { output.textContent = `Compare failed: ${(e as Error).message}`; });
  });
  root.append(card('Runs', listing, el('div', { class: 'inline-form' }, button, hint)), output);
}
