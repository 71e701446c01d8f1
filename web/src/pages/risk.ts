// Risk: time-to-survive vs time-to-recover per node, performance impact, a
// Monte Carlo launcher, a "Plan resilient" launcher and the ordinary vs
// resilient plan of the latest `plan --resilient` run, and a what-if panel that plans with one outage and
// compares it with the baseline run.

import { Accepted, apiGet, apiPost, PlanJson, Run, runError, waitForJob, waitForRun } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { card, el, kpi, message, table } from '../dom';
import { num, pct, racks, usd, WeekFormat, weekFormat } from '../format';
import { currentRunId, LATEST, runLabel, runPicker } from '../runpicker';
import { refreshRuns, runsOf, scenarioDetail, state } from '../state';

export interface RiskNode {
  node: string;
  tts_weeks: number;
  recovery_weeks: number;
  pi_rack_weeks: number;
  exposed: boolean;
  exposure_index: number;
}

/// The node rows of a risk result.
export function riskNodes(result: unknown): RiskNode[] {
  const nodes = (result as { nodes?: RiskNode[] } | null)?.nodes;
  return Array.isArray(nodes) ? nodes : [];
}

function quadrantChart(nodes: RiskNode[]): HTMLElement {
  const maxWeeks = Math.max(1, ...nodes.map((n) => Math.max(n.tts_weeks, n.recovery_weeks))) * 1.1;
  const point = (n: RiskNode) => ({ name: n.node, value: [n.recovery_weeks, n.tts_weeks, n.pi_rack_weeks] });
  const option: Option = {
    tooltip: {
      formatter: (p: { name: string; value: number[] }) =>
        `${p.name}<br/>time to recover: ${num(p.value[0], 'weeks')}<br/>time to survive: ${num(p.value[1], 'weeks')}<br/>impact: ${num(p.value[2], 'rack-weeks')}`,
    },
    legend: { data: ['exposed (TTS < TTR)', 'covered'] },
    grid: { left: 60, right: 30, top: 40, bottom: 50 },
    xAxis: { type: 'value', name: 'time to recover (weeks)', nameLocation: 'middle', nameGap: 30, min: 0, max: Math.ceil(maxWeeks) },
    yAxis: { type: 'value', name: 'time to survive (weeks)', nameLocation: 'middle', nameGap: 36, min: 0, max: Math.ceil(maxWeeks) },
    series: [
      {
        name: 'exposed (TTS < TTR)', type: 'scatter', color: PALETTE[3], symbolSize: 12, data: nodes.filter((n) => n.exposed).map(point),
        label: { show: true, position: 'right', formatter: '{b}', fontSize: 10 },
        // Many nodes share a (TTR, TTS) point: move labels apart and drop those that still collide (tooltips keep them).
        labelLayout: { hideOverlap: true, moveOverlap: 'shiftY' },
        markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#888' }, data: [[{ coord: [0, 0] }, { coord: [Math.ceil(maxWeeks), Math.ceil(maxWeeks)] }]] },
      },
      { name: 'covered', type: 'scatter', color: PALETTE[2], symbolSize: 9, data: nodes.filter((n) => !n.exposed).map(point) },
    ],
  };
  return chart('Time to survive against time to recover per node; below the diagonal means exposed', option, 'chart-quadrant', 360);
}

function impactChart(nodes: RiskNode[]): HTMLElement {
  const top = [...nodes].sort((a, b) => b.pi_rack_weeks - a.pi_rack_weeks).slice(0, 12).reverse();
  const option: Option = {
    tooltip: { valueFormatter: (v: unknown) => num(Number(v), 'rack-weeks') },
    grid: { left: 160, right: 30, top: 10, bottom: 40 },
    xAxis: { type: 'value', name: 'rack-weeks of backlog', nameLocation: 'middle', nameGap: 25 },
    yAxis: { type: 'category', data: top.map((n) => n.node) },
    series: [{ type: 'bar', data: top.map((n) => ({ value: n.pi_rack_weeks, itemStyle: { color: n.exposed ? PALETTE[3] : PALETTE[0] } })) }],
  };
  return chart('Performance impact per node (largest 12)', option, 'chart-impact', 360);
}

/// Counts jobs the page is waiting for in body[data-busy] (tests wait for "0").
function setBusy(delta: number): void {
  document.body.dataset.busy = String(Number(document.body.dataset.busy ?? 0) + delta);
}

function jobButton(label: string, testId: string, path: string, body: () => Record<string, unknown>): HTMLElement {
  const button = el('button', { type: 'button', 'data-testid': testId }, label);
  const status = el('span', { class: 'form-status', role: 'status' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    setBusy(+1);
    try {
      const accepted = await apiPost<Accepted>(path, body());
      const job = await waitForJob(accepted.job_id!, (p) => { status.textContent = `running… ${pct(p)}`; });
      await refreshRuns();
      status.textContent = job.status === 'done' ? 'done' : `${job.status}: ${job.error ?? ''}`;
      if (job.status === 'done') window.dispatchEvent(new HashChangeEvent('hashchange'));
    } catch (error) {
      status.textContent = `failed: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
      setBusy(-1);
    }
  });
  return el('span', { class: 'job-button' }, button, status);
}

function compareRows(base: PlanJson, what: PlanJson): HTMLElement {
  const rows: [string, (p: PlanJson) => string, number, number][] = [
    ['total cost', (p) => usd(p.objective_usd), base.objective_usd, what.objective_usd],
    ['racks built', (p) => racks(p.racks_built), base.racks_built, what.racks_built],
    ['firm backlog', (p) => racks(p.backlog_rack_weeks.firm, 'rack-weeks'), base.backlog_rack_weeks.firm, what.backlog_rack_weeks.firm],
    ['evaluation backlog', (p) => racks(p.backlog_rack_weeks.evaluation, 'rack-weeks'), base.backlog_rack_weeks.evaluation, what.backlog_rack_weeks.evaluation],
    ['domestic content', (p) => pct(p.domestic_content), base.domestic_content, what.domestic_content],
  ];
  return table<typeof rows[number]>('Baseline against the what-if', [
    { header: 'figure', cell: (r) => r[0], rowHeader: true },
    { header: 'baseline', cell: (r) => r[1](base), numeric: true },
    { header: 'what-if', cell: (r) => r[1](what), numeric: true },
    { header: 'change', cell: (r) => (r[0] === 'total cost' ? usd(r[3] - r[2]) : r[0] === 'domestic content' ? `${num((r[3] - r[2]) * 100)} points` : num(r[3] - r[2])), numeric: true },
  ], rows, { testId: 'whatif-compare' });
}

function whatIfChart(base: PlanJson, what: PlanJson, wk: WeekFormat): HTMLElement {
  const option: Option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => racks(Number(v), 'racks/week') },
    legend: {},
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: base.racks_built_by_week.map((_, i) => wk.iso(i)) },
    yAxis: { type: 'value', name: 'racks/week' },
    series: [
      { name: 'baseline', type: 'line', data: base.racks_built_by_week, showSymbol: false, color: PALETTE[0] },
      { name: 'what-if', type: 'line', data: what.racks_built_by_week, showSymbol: false, color: PALETTE[3] },
    ],
  };
  return chart('Weekly output, baseline against the what-if', option, 'chart-whatif');
}

/// The plan options of the picked run that a what-if keeps (domestic floor, option demand).
export function whatIfBody(baseline: Run, disruption: Record<string, unknown>, unforeseen: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const o = (baseline.options ?? {}) as Record<string, unknown>;
  if (o.domestic !== undefined) body.domestic = o.domestic;
  if (o.option_demand !== undefined) body.option_demand = o.option_demand;
  body.disruptions = [disruption];
  if (unforeseen) {
    // The weeks before the outage are what the picked run already released.
    body.baseline_run = baseline.id;
    body.freeze_weeks = disruption.start_week;
  }
  return body;
}

async function whatIfPanel(baselineId: string): Promise<HTMLElement> {
  const detail = await scenarioDetail();
  const wk = weekFormat(detail.start_week);
  const node = el('select', { id: 'whatif-node' }, ...detail.nodes.map((n) => el('option', { value: n.node }, `${n.node} (recovers in ${n.recovery_weeks} wk)`)));
  const start = el('input', { id: 'whatif-start', type: 'number', min: 0, max: detail.horizon_weeks - 1, value: 0 });
  const startDate = el('span', { class: 'form-status', 'data-testid': 'whatif-start-date' }, wk.label(0));
  start.addEventListener('input', () => { startDate.textContent = wk.label(Number(start.value)); });
  const weeks = el('input', { id: 'whatif-weeks', type: 'number', min: 1, max: detail.horizon_weeks, value: 6 });
  const unforeseen = el('input', { id: 'whatif-unforeseen', type: 'checkbox', 'data-testid': 'whatif-unforeseen' });
  const button = el('button', { type: 'submit', 'data-testid': 'run-whatif' }, 'Plan with this outage');
  const status = el('span', { class: 'form-status', role: 'status', 'data-testid': 'whatif-status' });
  const output = el('div', { 'data-testid': 'whatif-output' });
  const baselineRun = runsOf('plan').find((r) => r.id === baselineId);
  const form = el('form', { class: 'inline-form', 'aria-label': 'What-if outage' },
    el('label', { for: 'whatif-node' }, 'Node'), node, el('label', { for: 'whatif-start' }, 'From week'), start, startDate,
    el('label', { for: 'whatif-weeks' }, 'Outage (weeks)'), weeks,
    unforeseen, el('label', { for: 'whatif-unforeseen', title: 'Plan with --baseline-run PICKED --freeze-weeks FIRST_OUTAGE_WEEK: the weeks before the outage stay as the picked run released them' }, 'unforeseen (weeks before the outage frozen to the picked run)'),
    button, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!baselineRun) {
      status.textContent = 'Run a baseline plan first (Overview).';
      return;
    }
    button.disabled = true;
    setBusy(+1);
    status.textContent = 'Solving…';
    try {
      const base = await apiGet<Run>(`/api/runs/${encodeURIComponent(baselineRun.id)}`);
      const disruption = { node: node.value, start_week: Number(start.value), weeks: Number(weeks.value), capacity_loss: 1 };
      const accepted = await apiPost<Accepted>(`/api/scenarios/${encodeURIComponent(state.scenarioId)}/plan`,
        whatIfBody(base, disruption, unforeseen.checked));
      const what = await waitForRun(accepted.run_id);
      await refreshRuns();
      if (what.status !== 'done') throw new Error(runError(what) || what.status);
      status.textContent = `What-if run ${what.id} against the picked run ${base.id}.`;
      output.dataset.baseline = base.id;
      output.dataset.whatif = what.id;
      output.replaceChildren(compareRows(base.result as PlanJson, what.result as PlanJson),
        whatIfChart(base.result as PlanJson, what.result as PlanJson, wk));
    } catch (error) {
      status.textContent = `Failed: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
      setBusy(-1);
    }
  });
  return card('What if a node fails?',
    el('p', { 'data-testid': 'whatif-baseline' }, baselineRun ? `Compared with ${runLabel(baselineRun, detail.start_week)}.` : 'No plan run to compare with yet.'),
    form, output);
}

interface ResilientContingency {
  node: string;
  weight: number;
  backlog_rack_weeks_resilient: number | null;
  backlog_rack_weeks_ordinary: number | null;
}

interface Resilience {
  expected_cost_usd: number | null;
  ordinary_expected_cost_usd: number | null;
  price_of_resilience_usd: number | null;
  vss_usd: number | null;
  nominal_backlog_rack_weeks_resilient: number | null;
  nominal_backlog_rack_weeks_ordinary: number | null;
  contingencies: ResilientContingency[];
}

/// Ordinary vs resilient plan of the latest `plan --resilient` run: expected cost, price of
/// resilience, VSS, and per contingency the extra backlog (its backlog minus scenario 0's) under each.
async function resiliencePanel(): Promise<HTMLElement | null> {
  const latest = runsOf('plan').find((r) => r.options?.resilient === true);
  if (!latest) return null;
  const run = await apiGet<Run>(`/api/runs/${encodeURIComponent(latest.id)}`);
  const r = (run.result as { resilience?: Resilience } | null)?.resilience;
  if (!r || r.expected_cost_usd === null) return null;
  const extra = (v: number | null, base: number | null) => (v === null || base === null ? null : v - base);
  return card('Ordinary vs resilient plan',
    el('div', { class: 'kpis', 'data-testid': 'resilience-kpis' }, kpi('expected cost, resilient', usd(r.expected_cost_usd)),
      kpi('expected cost, ordinary', usd(r.ordinary_expected_cost_usd)),
      kpi('price of resilience', usd(r.price_of_resilience_usd)), kpi('value of the stochastic solution', usd(r.vss_usd))),
    table<ResilientContingency>(`Plan run ${latest.id} (--resilient)`, [
      { header: 'contingency', cell: (c) => c.node, rowHeader: true },
      { header: 'weight', cell: (c) => num(c.weight), numeric: true },
      { header: 'impact, ordinary', cell: (c) => num(extra(c.backlog_rack_weeks_ordinary, r.nominal_backlog_rack_weeks_ordinary), 'rack-weeks'), numeric: true },
      { header: 'impact, resilient', cell: (c) => num(extra(c.backlog_rack_weeks_resilient, r.nominal_backlog_rack_weeks_resilient), 'rack-weeks'), numeric: true },
    ], r.contingencies, { testId: 'resilience-table' }));
}

export async function renderRisk(root: HTMLElement, args: string[]): Promise<void> {
  const base = `/api/scenarios/${encodeURIComponent(state.scenarioId)}`;
  const detail = await scenarioDetail();
  const planId = currentRunId(args);
  const riskId = args[1] ?? runsOf('risk')[0]?.id ?? '';
  const runsInput = el('input', { id: 'sim-runs', type: 'number', min: 1, max: 100000, value: 200 });
  const seedInput = el('input', { id: 'sim-seed', type: 'number', min: 0, value: 1 });
  root.append(el('div', { class: 'inline-form' },
    jobButton('Run risk analysis', 'run-risk', `${base}/risk`, () => ({})),
    el('label', { for: 'sim-runs' }, 'Monte Carlo runs'), runsInput, el('label', { for: 'sim-seed' }, 'seed'), seedInput,
    jobButton('Run simulation', 'run-simulate', `${base}/simulate`, () => ({ runs: Number(runsInput.value), seed: Number(seedInput.value) }))));
  // plan --resilient on the picked scenario (the two-stage program over the chosen contingencies).
  const contingencies = el('select', { id: 'resilient-contingencies' },
    ...['plants', 'lines', 'suppliers', 'all'].map((v) => el('option', { value: v }, v)));
  root.append(el('div', { class: 'inline-form' },
    el('label', { for: 'resilient-contingencies', title: 'One contingency scenario per node of this set: out from risk.start_week for its recovery weeks' }, 'Contingencies'),
    contingencies,
    jobButton('Plan resilient', 'run-resilient', `${base}/plan`, () => ({ resilient: true, contingencies: contingencies.value }))));

  const latestRisk = runsOf('risk').find((r) => r.id === riskId);
  if (latestRisk) {
    root.append(runPicker('risk', latestRisk.id, detail.start_week, 'risk', 'Risk run',
      (id) => `#/risk/${encodeURIComponent(planId || LATEST)}/${encodeURIComponent(id)}`));
    const nodes = riskNodes((await apiGet<Run>(`/api/runs/${encodeURIComponent(latestRisk.id)}`)).result);
    const exposed = nodes.filter((n) => n.exposed).length;
    root.append(
      el('div', { class: 'kpis' }, kpi('nodes', String(nodes.length)), kpi('exposed', String(exposed)),
        kpi('largest impact', num(Math.max(0, ...nodes.map((n) => n.pi_rack_weeks)), 'rack-weeks'))),
      el('div', { class: 'grid2' }, card('Time to survive vs time to recover', quadrantChart(nodes)), card('Performance impact', impactChart(nodes))),
      card('Nodes', table<RiskNode>(`Risk run ${latestRisk.id}`, [
        { header: 'node', cell: (n) => n.node, rowHeader: true },
        { header: 'time to survive', cell: (n) => num(n.tts_weeks, 'weeks'), numeric: true },
        { header: 'time to recover', cell: (n) => num(n.recovery_weeks, 'weeks'), numeric: true },
        { header: 'impact', cell: (n) => num(n.pi_rack_weeks, 'rack-weeks'), numeric: true },
        { header: 'exposure index', cell: (n) => num(n.exposure_index), numeric: true },
        { header: 'exposed', cell: (n) => (n.exposed ? 'yes' : 'no') },
      ], nodes, { rowClass: (n) => (n.exposed ? 'row-fail' : ''), testId: 'risk-table' })));
  } else {
    root.append(message('No risk analysis for this scenario yet: run one above.'));
  }
  const resilience = await resiliencePanel();
  if (resilience) root.append(resilience);
  const panel = await whatIfPanel(planId);
  if (planId) {
    panel.insertBefore(runPicker('risk', planId, detail.start_week, 'plan', 'Plan run (what-if baseline)',
      (id) => `#/risk/${encodeURIComponent(id)}${riskId ? `/${encodeURIComponent(riskId)}` : ''}`), panel.children[1]);
  }
  root.append(panel);
}
