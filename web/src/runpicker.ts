// The run picker every run-based page shows, and the one label of what a run
// is: command, scenario, options (domestic floor, option demand, disruptions,
// baseline) and date. The picked plan run is kept in state.runId, so pages
// never switch silently to a newer run (such as a what-if).

import { apiGet, isFinished, PlanJson, Run, RunInfo, ScenarioDetail, scenarioIdentity } from './api';
import { el, message } from './dom';
import { pct, weekFormat } from './format';
import { runsOf, scenarioDetail, state } from './state';

interface DisruptionOption {
  node?: string;
  start_week?: number;
  weeks?: number;
  capacity_loss?: number;
}

/// The options of a run in words: ["domestic floor 50 %", "outage line:wi-l1 2026-W05–2026-W08", …].
export function runOptionParts(run: RunInfo, startWeek = ''): string[] {
  const o = (run.options ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof o.domestic === 'number') parts.push(`domestic floor ${pct(o.domestic)}`);
  if (typeof o.option_demand === 'string') parts.push(`option demand ${o.option_demand}`);
  if (Array.isArray(o.disruptions)) {
    const wk = weekFormat(startWeek);
    const list = (o.disruptions as DisruptionOption[]).map((d) => {
      const first = d.start_week ?? 0;
      const loss = d.capacity_loss ?? 1;
      return `${d.node} ${wk.iso(first)}${(d.weeks ?? 1) > 1 ? `–${wk.iso(first + (d.weeks ?? 1) - 1)}` : ''}${loss < 1 ? ` (${pct(loss)} lost)` : ''}`;
    });
    parts.push(list.length ? `outage ${list.join(', ')}` : 'no disruptions');
  } else if (run.kind === 'plan') {
    parts.push("the scenario's disruptions");
  }
  if (typeof o.baseline_run === 'string') parts.push(`unforeseen: frozen to run ${o.baseline_run} for ${o.freeze_weeks ?? 0} weeks`);
  if (typeof o.runs === 'number') parts.push(`${o.runs} runs, seed ${o.seed ?? 1}`);
  return parts;
}

/// "plan of tiny@1a2b3c4d · domestic floor 50 % · outage line:wi-l1 2026-W05 – 2026-W08 · 2026-12-01 11:30 UTC".
export function runLabel(run: RunInfo, startWeek = ''): string {
  const parts = [`${run.kind} of ${scenarioIdentity(run)}`, ...runOptionParts(run, startWeek),
    run.created_at.replace('T', ' ').replace(/\.\d+/, '').replace(/Z$/, ' UTC')];
  return `${run.id}: ${parts.join(' · ')}`;
}

/// The address part that stands for "no run picked" when a later part follows (#/risk/latest/RISKRUN).
export const LATEST = 'latest';

/// The plan run a page shows: the one in the address (#/page/RUN), else the picked one, else the latest.
export function currentRunId(args: string[], kind = 'plan'): string {
  if (args[0] && args[0] !== LATEST) {
    if (kind === 'plan') state.runId = args[0];
    return args[0];
  }
  const runs = runsOf(kind);
  if (kind === 'plan' && state.runId && runs.some((r) => r.id === state.runId)) return state.runId;
  return runs[0]?.id ?? '';
}

/// Finished runs never change: their results are fetched once per page load (a default-scenario plan is ~400 KB).
const finished = new Map<string, Run>();

/// Loads a run (from the cache when it has finished) and keeps the scenario picker in step with it.
export async function loadRun(runId: string): Promise<Run> {
  const run = finished.get(runId) ?? await apiGet<Run>(`/api/runs/${encodeURIComponent(runId)}`);
  if (isFinished(run.status)) finished.set(runId, run);
  if (run.scenario_id !== state.scenarioId) {
    state.scenarioId = run.scenario_id;
    const picker = document.getElementById('scenario-select') as HTMLSelectElement | null;
    if (picker) picker.value = run.scenario_id;
  }
  return run;
}

/// A labelled <select> of the scenario's finished runs of `kind`; choosing one opens `href(RUN)`
/// (default `#/route/RUN`). A picked plan run is remembered for the other pages.
export function runPicker(route: string, current: string, startWeek: string, kind = 'plan', label = 'Plan run',
  href = (id: string) => `#/${route}/${encodeURIComponent(id)}`): HTMLElement {
  const id = `${route}-${kind}-run`;
  const runs = runsOf(kind);
  const select = el('select', { id, 'data-testid': `run-picker-${kind}` },
    ...runs.map((r) => el('option', { value: r.id, selected: r.id === current }, runLabel(r, startWeek))));
  select.addEventListener('change', () => {
    if (kind === 'plan') state.runId = select.value;
    window.location.hash = href(select.value);
  });
  return el('div', { class: 'run-pick', 'data-run': current }, el('label', { for: id }, `${label} `), select);
}

/// The plan run a page shows (the picked one, else the latest), with its picker appended to
/// `root`. Appends a message and returns null when the scenario has no plan run yet or the run
/// has no result (queued, running, failed).
export async function pickedPlanRun(root: HTMLElement, route: string, args: string[]):
    Promise<{ run: Run; plan: PlanJson; detail: ScenarioDetail } | null> {
  const runId = currentRunId(args);
  if (!runId) {
    root.append(message('No plan has been run for this scenario yet: run one on the Overview page.'));
    return null;
  }
  const [run, detail] = await Promise.all([loadRun(runId), scenarioDetail()]);
  root.append(runPicker(route, run.id, detail.start_week));
  const plan = run.result as PlanJson | undefined;
  if (run.status !== 'done' || !plan) {
    root.append(message(`Run ${run.id} is ${run.status}.`));
    return null;
  }
  return { run, plan, detail };
}
