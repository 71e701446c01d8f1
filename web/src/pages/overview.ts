// Overview: one plan run (the latest by default) against the ramp target.

import { Accepted, apiGet, apiPost, isFinished, PlanJson, Run, runError, waitForRun } from '../api';
import { chart, Option, PALETTE } from '../charts';
import { card, el, kpi, message } from '../dom';
import { pct, racks, usd, WeekFormat, weekFormat } from '../format';
import { currentRunId, loadRun, runPicker } from '../runpicker';
import { refreshRuns, runsOf, scenarioDetail, state } from '../state';

/// The P5–P95 band of a simulation result (report::SimulationJson's output_racks_by_week).
export function simulationBand(result: unknown): { p5: number[]; p95: number[] } | null {
  const r = result as Record<string, unknown> | null;
  const weekly = r?.output_racks_by_week as { p5?: number[]; p95?: number[] } | undefined;
  return Array.isArray(weekly?.p5) && Array.isArray(weekly?.p95) ? { p5: weekly!.p5!, p95: weekly!.p95! } : null;
}

function planForm(onStarted: (runId: string) => void): HTMLElement {
  const domestic = el('input', { type: 'number', min: 0, max: 100, step: 1, value: '', id: 'plan-domestic', placeholder: 'policy' });
  const option = el('select', { id: 'plan-option-demand' },
    el('option', { value: '' }, 'policy default'), el('option', { value: 'expected' }, 'expected'),
    el('option', { value: 'all' }, 'all'), el('option', { value: 'none' }, 'none'));
  const button = el('button', { type: 'submit', 'data-testid': 'run-plan' }, 'Run plan');
  const status = el('span', { class: 'form-status', role: 'status' });
  const form = el('form', { class: 'inline-form', 'aria-label': 'Run a plan' },
    el('label', { for: 'plan-domestic' }, 'Domestic floor (%)'), domestic,
    el('label', { for: 'plan-option-demand' }, 'Option demand'), option, button, status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body: Record<string, unknown> = {};
    if (domestic.value !== '') body.domestic = Number(domestic.value) / 100;
    if (option.value) body.option_demand = option.value;
    button.disabled = true;
    status.textContent = 'Solving…';
    try {
      const accepted = await apiPost<Accepted>(`/api/scenarios/${encodeURIComponent(state.scenarioId)}/plan`, body);
      const run = await waitForRun(accepted.run_id);
      await refreshRuns();
      status.textContent = run.status === 'done' ? `Run ${run.id} done.` : `Run ${run.id} ${run.status}: ${runError(run)}`;
      onStarted(run.id);
    } catch (error) {
      status.textContent = `Failed: ${(error as Error).message}`;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function outputChart(plan: PlanJson, target: number[], band: { p5: number[]; p95: number[] } | null, wk: WeekFormat): HTMLElement {
  const weeks = plan.racks_built_by_week.map((_, i) => wk.iso(i));
  const series: unknown[] = [
    { name: 'Output', type: 'line', data: plan.racks_built_by_week, showSymbol: false, lineStyle: { width: 2 }, color: PALETTE[0] },
    { name: 'Ramp target', type: 'line', data: target.slice(0, weeks.length), showSymbol: false, lineStyle: { type: 'dashed' }, color: PALETTE[3] },
  ];
  if (band) {
    series.push({ name: 'P5', type: 'line', data: band.p5, stack: 'band', showSymbol: false, lineStyle: { opacity: 0 }, color: PALETTE[4] });
    series.push({
      name: 'P5–P95', type: 'line', stack: 'band', showSymbol: false, lineStyle: { opacity: 0 }, color: PALETTE[4],
      areaStyle: { opacity: 0.2 }, data: band.p95.map((v, i) => v - (band.p5[i] ?? 0)),
    });
  }
  const option: Option = {
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => racks(Number(v), 'racks/week') },
    legend: { data: band ? ['Output', 'Ramp target', 'P5–P95'] : ['Output', 'Ramp target'] },
    grid: { left: 60, right: 20, top: 40, bottom: 40 },
    xAxis: { type: 'category', data: weeks },
    yAxis: { type: 'value', name: 'racks/week' },
    series,
  };
  const box = chart('Weekly output against the ramp target', option, 'chart-output');
  if (band) box.dataset.band = 'p5-p95';
  return box;
}

function plantChart(plan: PlanJson, wk: WeekFormat): HTMLElement {
  const byWeek = plan.racks_built_by_plant_week;
  const plants = Object.keys(byWeek ?? plan.racks_built_by_plant);
  const option: Option = byWeek
    ? {
        tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => racks(Number(v)) },
        legend: { type: 'scroll' },
        grid: { left: 60, right: 20, top: 40, bottom: 40 },
        xAxis: { type: 'category', data: plan.racks_built_by_week.map((_, i) => wk.iso(i)) },
        yAxis: { type: 'value', name: 'racks/week' },
        series: plants.map((p, i) => ({ name: p, type: 'bar', stack: 'plants', data: byWeek[p], color: PALETTE[i % PALETTE.length] })),
      }
    : {
        tooltip: { valueFormatter: (v: unknown) => racks(Number(v)) },
        grid: { left: 100, right: 20, top: 20, bottom: 30 },
        xAxis: { type: 'value', name: 'racks' },
        yAxis: { type: 'category', data: plants },
        series: [{ type: 'bar', data: plants.map((p) => plan.racks_built_by_plant[p]), color: PALETTE[0] }],
      };
  return chart('Output by plant', option, 'chart-plants');
}

function domesticChart(plan: PlanJson, floor: number): HTMLElement {
  const option: Option = {
    tooltip: { valueFormatter: (v: unknown) => pct(Number(v)) },
    grid: { left: 130, right: 40, top: 20, bottom: 30 },
    xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v: number) => pct(v) } },
    yAxis: { type: 'category', data: ['Domestic content'] },
    series: [{
      type: 'bar', data: [plan.domestic_content], color: PALETTE[2], barWidth: 28,
      label: { show: true, position: 'right', formatter: () => pct(plan.domestic_content) },
      markLine: { symbol: 'none', data: [{ xAxis: floor, name: 'floor' }], label: { formatter: `floor ${pct(floor)}` }, lineStyle: { color: PALETTE[3] } },
    }],
  };
  return chart('Domestic content against the floor', option, 'chart-domestic', 140);
}

/// Cost parts as horizontal bars, largest first (a pie made the small parts unreadable).
function costChart(plan: PlanJson): HTMLElement {
  const entries = Object.entries(plan.cost_breakdown_usd).filter(([, v]) => v !== 0).sort((a, b) => a[1] - b[1]);
  const total = entries.reduce((a, [, v]) => a + v, 0);
  const option: Option = {
    tooltip: { valueFormatter: (v: unknown) => usd(Number(v)) },
    grid: { left: 120, right: 110, top: 10, bottom: 30 },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => usd(v) } },
    yAxis: { type: 'category', data: entries.map(([name]) => name.replace(/_/g, ' ')) },
    series: [{
      type: 'bar', data: entries.map(([, v]) => v), color: PALETTE[0],
      label: { show: true, position: 'right', formatter: (p: { value: number }) => `${usd(p.value)} (${pct(total ? p.value / total : 0)})` },
    }],
  };
  return chart('Cost breakdown', option, 'chart-cost', Math.max(160, 28 * entries.length + 50));
}

export async function renderOverview(root: HTMLElement, args: string[]): Promise<void> {
  root.append(planForm((runId) => { state.runId = runId; window.location.hash = `#/overview/${encodeURIComponent(runId)}`; }));
  const runId = currentRunId(args);
  if (!runId) {
    root.append(message('No plan has been run for this scenario yet: run one above.'));
    return;
  }
  const run = await loadRun(runId);
  const detail = await scenarioDetail();
  const wk = weekFormat(detail.start_week);
  root.append(runPicker('overview', run.id, detail.start_week));
  if (run.status !== 'done' || !run.result) {
    root.append(message(`Run ${run.id} is ${run.status}${runError(run) ? `: ${runError(run)}` : ''}.`, isFinished(run.status) ? 'error' : 'info'));
    return;
  }
  const plan = run.result as PlanJson;
  const simulation = runsOf('simulate')[0];
  const band = simulation ? simulationBand((await apiGet<Run>(`/api/runs/${encodeURIComponent(simulation.id)}`)).result) : null;
  const floor = typeof run.options?.domestic === 'number' ? (run.options.domestic as number) : detail.domestic_content_min;
  root.append(
    el('div', { class: 'kpis' },
      kpi('total cost', usd(plan.objective_usd), 'kpi-objective'),
      kpi('racks built', racks(plan.racks_built)),
      kpi('domestic content achieved', pct(plan.domestic_content)),
      kpi('firm backlog', racks(plan.backlog_rack_weeks?.firm, 'rack-weeks')),
      kpi('solve', plan.gap > 0 ? `${plan.status}, gap ${pct(plan.gap)}` : plan.status)),
    el('div', { class: 'grid2' },
      card('Weekly output vs ramp target', outputChart(plan, detail.target_by_week, band, wk)),
      card('Output by plant', plantChart(plan, wk)),
      card('Cost breakdown', costChart(plan)),
      card('Domestic content vs floor', domesticChart(plan, floor),
        el('h3', {}, 'Expansions chosen'),
        plan.expansions_opened.length
          ? el('ul', { 'data-testid': 'expansions' }, ...plan.expansions_opened.map((e) => el('li', {}, e)))
          : el('p', { 'data-testid': 'expansions' }, 'None opened: no expansion lowers the total cost of this plan.'))),
  );
}
