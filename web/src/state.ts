// Dashboard state shared by the pages: the scenarios, the chosen one, and
// cached per-scenario data (loaded once per id; the edit page forgets an id it
// replaced, since the server reloads changed folders).

import { apiGet, CheckResult, RunInfo, ScenarioDetail, ScenarioSummary } from './api';

export const state = {
  scenarios: [] as ScenarioSummary[],
  scenarioId: '',
  runs: [] as RunInfo[],
  /// The plan run the user picked (kept across pages until another scenario is chosen); '' = the latest.
  runId: '',
};

const details = new Map<string, Promise<ScenarioDetail>>();
const checks = new Map<string, Promise<CheckResult>>();

export function scenarioDetail(id = state.scenarioId): Promise<ScenarioDetail> {
  if (!details.has(id)) details.set(id, apiGet<ScenarioDetail>(`/api/scenarios/${encodeURIComponent(id)}`));
  return details.get(id)!;
}

export function scenarioCheck(id = state.scenarioId): Promise<CheckResult> {
  if (!checks.has(id)) checks.set(id, apiGet<CheckResult>(`/api/scenarios/${encodeURIComponent(id)}/check`));
  return checks.get(id)!;
}

/// Drops the cached detail and check of a scenario (after the edit page replaced it).
export function forgetScenario(id: string): void {
  details.delete(id);
  checks.delete(id);
}

export async function refreshRuns(): Promise<RunInfo[]> {
  state.runs = await apiGet<RunInfo[]>('/api/runs');
  return state.runs;
}

/// Runs of the chosen scenario of one kind, newest first.
export function runsOf(kind: string, status = 'done'): RunInfo[] {
  return state.runs
    .filter((r) => r.scenario_id === state.scenarioId && r.kind === kind && (status === '' || r.status === status))
    .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.id.localeCompare(a.id)));
}
