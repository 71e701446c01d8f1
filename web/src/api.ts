// HTTP client of the rackforge API. The token is read once from `?token=`,
// kept in sessionStorage (and removed from the address bar) and sent as a
// Bearer header on every call.

const TOKEN_KEY = 'rackforge.token';

export function initToken(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token !== null) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
}

export class ApiError extends Error {
  /// `body`: the parsed JSON reply (for example a 422's "problems"), null when it had none.
  constructor(public status: number, message: string, public body: unknown = null) {
    super(message);
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = (data as { error?: string } | null)?.error ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, data);
  }
  return data as T;
}

export const apiGet = <T>(path: string) => request<T>('GET', path);
export const apiPost = <T>(path: string, body: unknown) => request<T>('POST', path, body);

// ---- shapes (only the fields the dashboard reads) ----

export interface ScenarioSummary {
  id: string;
  name: string;
  start_week: string;
  horizon_weeks: number;
  designs: string[];
  plants: string[];
}

export interface ScenarioDetail extends ScenarioSummary {
  target_by_week: number[];
  domestic_content_min: number;
  option_demand: string;
  plant_list: { id: string; us_state: string; lines: string[] }[];
  suppliers: { id: string; company: string; country: string; us_state: string; domestic: boolean; components: string[] }[];
  sites: { id: string; name: string; us_state: string }[];
  nodes: { node: string; recovery_weeks: number }[];
}

export interface Rule {
  rule: string;
  need: number | null;
  have: number | null;
  margin: number | null;
  pass: boolean | null;
  /// "n.a." or "facility-cooled" (passes, no margin: docs/cli.md "Rules").
  note?: string;
}

export interface DesignCheck {
  id: string;
  meets: string;
  pass: boolean;
  rollup: Record<string, number | string[]> & { single_source_components?: string[] };
  rules: Rule[];
}

export interface CheckResult {
  designs: DesignCheck[];
}

export interface Bottleneck {
  kind: string;
  node: string;
  first_week: number;
  last_week: number;
  dual_usd_per_unit: number;
  weekly_usd_per_unit?: number;
  peak_week?: number;
  text: string;
}

export interface LateDemand {
  site: string;
  design: string;
  kind: string;
  rack_weeks: number;
  held_back_by: string[];
  held_back_share?: number[];
  late_racks?: number;
  latest_order?: { demand_week: number; promised_week: number | null; racks: number; weeks_late: number } | null;
  text: string;
}

/// One capacity row of the load heatmap (server/plan_extras.h).
export interface LoadRow {
  kind: 'line' | 'component_line' | 'test' | 'supply';
  id: string;
  plant: string;
  unit: string;
  used: number[];
  available: number[];
  binding_weeks: number[];
}

/// One pegging row: which plant ships which demand week (plant null: still owed at the end).
export interface PeggingRow {
  site: string;
  design: string;
  kind: string;
  demand_week: number;
  plant: string | null;
  ship_week: number | null;
  arrival_week: number | null;
  racks: number;
  weeks_late: number;
}

export interface PartShortage {
  component: string;
  plant: string;
  first_week: number;
  last_week: number;
  lines: string[];
}

export interface DomesticQuarter {
  quarter: number;
  first_week: number;
  last_week: number;
  domestic_usd: number;
  total_usd: number;
  share: number | null;
}

export interface PlanJson {
  objective_usd: number;
  status: string;
  gap: number;
  cost_breakdown_usd: Record<string, number>;
  racks_built: number;
  racks_built_by_week: number[];
  racks_built_by_plant: Record<string, number>;
  racks_built_by_plant_week?: Record<string, number[]>;
  spend_usd_by_supplier?: Record<string, number>;
  domestic_content: number;
  domestic_content_min?: number;
  backlog_rack_weeks: Record<string, number>;
  expansions_opened: string[];
  bottlenecks: Bottleneck[];
  late_demand: LateDemand[];
  on_time_share?: Record<string, number | null>;
  mean_weeks_late?: Record<string, number | null>;
  // Stored with the run by the server (plan_extras); absent in runs stored before they existed.
  load?: { binding_share: number; rows: LoadRow[] };
  build_plan?: { line: string; plant: string; design: string; racks: number[] }[];
  pegging?: PeggingRow[];
  part_shortages?: PartShortage[];
  domestic_by_quarter?: DomesticQuarter[];
}

/// The one status vocabulary of runs and jobs (CLI, server, store alike; docs/cli.md).
/// A run with a result is 'done' whatever the solve outcome (that is the plan's own `status`).
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

/// True once a run or job will not change any more.
export function isFinished(status: string): boolean {
  return status !== 'queued' && status !== 'running';
}

/// A stored run as the run store lists it (no result).
export interface RunInfo {
  id: string;
  kind: string;
  scenario_id: string;
  scenario_name: string;
  status: RunStatus;
  created_at: string;
  input_hash?: string;
  options?: Record<string, unknown>;
}

/// One run with its result (null while running; {"error"} when failed).
export interface Run extends RunInfo {
  result?: unknown;
}

/// The scenario a run belongs to: its id and the first 8 digits of its content hash.
export function scenarioIdentity(run: RunInfo): string {
  return run.input_hash ? `${run.scenario_id}@${run.input_hash.slice(0, 8)}` : run.scenario_id;
}

/// The error message of a run that ended without a result (failed, cancelled, interrupted), or ''.
export function runError(run: Run): string {
  const result = run.result as { error?: string } | null | undefined;
  return isFinished(run.status) && run.status !== 'done' ? result?.error ?? run.status : '';
}

export interface Job {
  id: string;
  kind: string;
  run_id: string;
  status: RunStatus;
  progress: number;
  result: unknown;
  error?: string;
}

export interface Accepted {
  run_id: string;
  job_id?: string;
}

/// Polls a run until it is no longer running; calls onTick between polls.
export async function waitForRun(runId: string, onTick?: (run: Run) => void, intervalMs = 300): Promise<Run> {
  for (;;) {
    const run = await apiGet<Run>(`/api/runs/${encodeURIComponent(runId)}`);
    if (isFinished(run.status)) return run;
    onTick?.(run);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/// Polls a job until it is finished (done, failed, cancelled, interrupted); onProgress gets 0..1.
export async function waitForJob(jobId: string, onProgress?: (p: number) => void, intervalMs = 300): Promise<Job> {
  for (;;) {
    const job = await apiGet<Job>(`/api/jobs/${encodeURIComponent(jobId)}`);
    if (isFinished(job.status)) return job;
    onProgress?.(job.progress);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
