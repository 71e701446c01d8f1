// Edit scenario: copy a served scenario, edit its demand, offers, line rates,
// test cells and disruptions in grid tables (or fill demand / offers from an
// .xlsx sheet), save it as a new scenario folder, then plan it. The server
// validates a save with the scenario loader: a bad cell comes back as a 422
// whose problems name table, row and column, and is marked on that cell;
// nothing is saved until every problem is fixed.

import { Accepted, apiGet, apiPost, ApiError, runError, ScenarioSummary, waitForRun } from '../api';
import { card, el, message } from '../dom';
import { forgetScenario, refreshRuns, state } from '../state';

interface EditTable {
  file: string;
  columns: string[];
  key_columns: string[];
  rows_fixed: boolean;
  rows: string[][];
}

interface TablesReply {
  id: string;
  tables: Record<string, EditTable>;
}

interface Problem {
  file: string;
  line: number;
  key: string;
  value: string;
  message: string;
  table?: string;
  row?: number;
  column?: string;
}

interface SaveReply {
  id: string;
  scenario: ScenarioSummary;
}

const TITLES: Record<string, string> = {
  demand: 'Demand (demand.csv)',
  offers: 'Offers (offers.csv)',
  line_rates: 'Line rates (plants.yaml, rack lines)',
  test_cells: 'Test cells (plants.yaml)',
  disruptions: 'Disruptions (disruptions.yaml)',
};
const UPLOADABLE = new Set(['demand', 'offers']);
const order = (name: string): number => {
  const i = Object.keys(TITLES).indexOf(name);
  return i < 0 ? Object.keys(TITLES).length : i;
};

/// Reads the first worksheet of an .xlsx file into rows of the table's columns:
/// row 1 holds the header names (as in the CSV, any order); every column of the
/// table must be there, other columns are refused. Returns the rows or throws.
export async function rowsFromXlsx(data: ArrayBuffer, columns: string[]): Promise<string[][]> {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(data);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('the workbook has no worksheet');
  const text = (value: unknown): string => {
    if (value === null || value === undefined) return '';
    if (typeof value === 'object') {
      const v = value as { result?: unknown; text?: unknown; richText?: { text: string }[] };
      if (v.richText) return v.richText.map((r) => r.text).join('').trim();
      if (v.text !== undefined) return String(v.text).trim();
      if (v.result !== undefined) return text(v.result);
      if (value instanceof Date) return value.toISOString().slice(0, 10);
    }
    return String(value).trim();
  };
  const header: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => { header[col] = text(cell.value); });
  const where = new Map<string, number>();
  header.forEach((name, col) => {
    if (!name) return;
    if (!columns.includes(name)) throw new Error(`sheet '${sheet.name}': unknown column '${name}' (columns: ${columns.join(', ')})`);
    if (where.has(name)) throw new Error(`sheet '${sheet.name}': column '${name}' appears twice`);
    where.set(name, col);
  });
  const missing = columns.filter((c) => !where.has(c));
  if (missing.length === columns.length) throw new Error(`sheet '${sheet.name}': row 1 names none of the columns ${columns.join(', ')}`);
  const rows: string[][] = [];
  for (let r = 2; r <= sheet.rowCount; r += 1) {
    const row = sheet.getRow(r);
    const cells = columns.map((c) => (where.has(c) ? text(row.getCell(where.get(c)!).value) : ''));
    if (cells.some((c) => c !== '')) rows.push(cells);
  }
  return rows;
}

class Grid {
  readonly element: HTMLElement;
  private readonly body = el('tbody');
  private errors = new Map<string, string>();

  constructor(readonly name: string, readonly table: EditTable, private readonly onChange: () => void) {
    const head = el('tr', {}, el('th', { scope: 'col', class: 'num' }, '#'),
      ...table.columns.map((c) => el('th', { scope: 'col' }, c)), table.rows_fixed ? null : el('th', { scope: 'col' }, ''));
    const grid = el('table', { class: 'edit-grid', 'data-testid': `grid-${name}` },
      el('caption', {}, `${table.file}: ${table.rows.length} rows${table.rows_fixed ? ' (rows follow the file; edit values only)' : ''}`),
      el('thead', {}, head), this.body);
    const tools = el('div', { class: 'inline-form' });
    if (!table.rows_fixed) {
      const add = el('button', { type: 'button', 'data-testid': `add-row-${name}` }, 'Add row');
      add.addEventListener('click', () => {
        this.table.rows.push(this.table.columns.map(() => ''));
        this.render();
        this.onChange();
        (this.body.lastElementChild?.querySelector('input') as HTMLInputElement | null)?.focus();
      });
      tools.append(add);
    }
    if (UPLOADABLE.has(name)) {
      const file = el('input', { type: 'file', accept: '.xlsx', 'data-testid': `upload-${name}`, id: `upload-${name}` });
      const status = el('span', { class: 'form-status', role: 'status', 'data-testid': `upload-status-${name}` });
      file.addEventListener('change', async () => {
        const chosen = file.files?.[0];
        if (!chosen) return;
        status.textContent = 'Reading…';
        try {
          const rows = await rowsFromXlsx(await chosen.arrayBuffer(), this.table.columns);
          this.table.rows = rows;
          this.errors.clear();
          this.render();
          this.onChange();
          status.textContent = `${rows.length} rows from ${chosen.name} (replaces the table; save to validate).`;
        } catch (error) {
          status.textContent = `Not read: ${(error as Error).message}`;
        }
        file.value = '';
      });
      tools.append(el('label', { for: `upload-${name}` }, 'Fill from .xlsx (row 1: column names)'), file, status);
    }
    this.element = card(TITLES[name] ?? name, tools, el('div', { class: 'table-wrap edit-wrap' }, grid));
    this.render();
  }

  private render(): void {
    const rows = this.table.rows.map((row, r) => {
      const tr = el('tr', { 'data-row': r }, el('td', { class: 'num row-number' }, String(r + 1)));
      row.forEach((value, c) => {
        const column = this.table.columns[c];
        const key = this.table.key_columns.includes(column);
        const input = el('input', {
          type: 'text', value, 'aria-label': `${this.name} row ${r + 1} ${column}`, 'data-col': column, readonly: key,
          class: key ? 'key-cell' : '',
        });
        const td = el('td', { 'data-col': column }, input);
        const problem = this.errors.get(`${r}/${column}`);
        if (problem) {
          td.classList.add('cell-error');
          input.setAttribute('aria-invalid', 'true');
          input.title = problem;
          td.append(el('div', { class: 'cell-message', 'data-testid': 'cell-message' }, problem));
        }
        input.addEventListener('input', () => {
          this.table.rows[r][c] = input.value;
          if (this.errors.delete(`${r}/${column}`)) {
            td.classList.remove('cell-error');
            input.removeAttribute('aria-invalid');
            td.querySelector('.cell-message')?.remove();
          }
          this.onChange();
        });
        tr.append(td);
      });
      if (!this.table.rows_fixed) {
        const remove = el('button', { type: 'button', class: 'row-delete', 'aria-label': `delete ${this.name} row ${r + 1}` }, '×');
        remove.addEventListener('click', () => {
          this.table.rows.splice(r, 1);
          this.errors.clear();
          this.render();
          this.onChange();
        });
        tr.append(el('td', {}, remove));
      }
      return tr;
    });
    this.body.replaceChildren(...rows);
    const caption = this.element?.querySelector('caption');
    if (caption) caption.textContent = `${this.table.file}: ${this.table.rows.length} rows${this.table.rows_fixed ? ' (rows follow the file; edit values only)' : ''}`;
  }

  /// Marks the problems of this table on their cells (replacing earlier marks).
  mark(problems: Problem[]): void {
    this.errors.clear();
    for (const p of problems) {
      if (p.table !== this.name || p.row === undefined || p.row < 0) continue;
      const column = p.column || this.table.columns.find((c) => !this.table.key_columns.includes(c)) || this.table.columns[0];
      const key = `${p.row}/${column}`;
      this.errors.set(key, this.errors.has(key) ? `${this.errors.get(key)}; ${p.message}` : p.message);
    }
    this.render();
    const first = this.body.querySelector('td.cell-error input') as HTMLInputElement | null;
    first?.scrollIntoView({ block: 'center' });
  }
}

function notifyScenariosChanged(): void {
  document.dispatchEvent(new CustomEvent('rackforge:scenarios-changed'));
}

export async function renderEdit(root: HTMLElement): Promise<void> {
  root.append(el('p', {},
    'Copy a scenario, change its tables, and save it as a new scenario folder. The server checks the copy with the same ' +
    'loader as `rackforge check`; a problem is shown on its cell and nothing is saved until all are fixed.'));
  const source = el('select', { id: 'edit-source', 'data-testid': 'edit-source' },
    ...state.scenarios.map((s) => el('option', { value: s.id }, `${s.name} (${s.id})`)));
  source.value = state.scenarioId;
  const copy = el('button', { type: 'button', 'data-testid': 'edit-copy' }, 'Copy');
  const copyStatus = el('span', { class: 'form-status', role: 'status' });
  root.append(el('div', { class: 'inline-form' }, el('label', { for: 'edit-source' }, 'Scenario'), source, copy, copyStatus));
  const editor = el('div', { 'data-testid': 'editor' });
  root.append(editor);

  copy.addEventListener('click', async () => {
    copy.disabled = true;
    copyStatus.textContent = 'Loading tables…';
    try {
      const reply = await apiGet<TablesReply>(`/api/scenarios/${encodeURIComponent(source.value)}/tables`);
      copyStatus.textContent = '';
      buildEditor(editor, reply);
    } catch (error) {
      copyStatus.textContent = `Failed: ${(error as Error).message}`;
    } finally {
      copy.disabled = false;
    }
  });
}

function buildEditor(editor: HTMLElement, reply: TablesReply): void {
  const dirty = new Set<string>();
  const grids: Grid[] = [];
  // The server's JSON object comes in key order; show the tables in the order of TITLES.
  const names = Object.keys(reply.tables).sort((a, b) => order(a) - order(b));
  for (const name of names) grids.push(new Grid(name, reply.tables[name], () => dirty.add(name)));
  const existing = new Set(state.scenarios.map((s) => s.id));
  let suggestion = `${reply.id}-edit`;
  for (let i = 2; existing.has(suggestion); i += 1) suggestion = `${reply.id}-edit-${i}`;
  const name = el('input', { type: 'text', id: 'edit-name', 'data-testid': 'edit-name', value: suggestion, pattern: '[a-z0-9][a-z0-9\\-]{0,63}', size: 28 });
  const replace = el('input', { type: 'checkbox', id: 'edit-replace' });
  const save = el('button', { type: 'submit', 'data-testid': 'edit-save' }, 'Save as new scenario');
  const status = el('div', { 'data-testid': 'edit-status', 'aria-live': 'polite' });
  const form = el('form', { class: 'inline-form', 'aria-label': 'Save the edited copy' },
    el('label', { for: 'edit-name' }, 'New name (a-z, 0-9, -)'), name,
    replace, el('label', { for: 'edit-replace' }, 'replace my earlier copy of that name'), save);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    save.disabled = true;
    status.replaceChildren(message('Checking and saving…'));
    const tables: Record<string, { columns: string[]; rows: string[][] }> = {};
    for (const grid of grids) {
      if (dirty.has(grid.name)) tables[grid.name] = { columns: grid.table.columns, rows: grid.table.rows };
    }
    try {
      const saved = await apiPost<SaveReply>('/api/scenarios', { copy_of: reply.id, name: name.value, replace: replace.checked, tables });
      for (const grid of grids) grid.mark([]);
      forgetScenario(saved.id);
      state.scenarios = await apiGet<ScenarioSummary[]>('/api/scenarios');
      notifyScenariosChanged();
      status.replaceChildren(savedPanel(saved));
    } catch (error) {
      const problems = error instanceof ApiError ? (error.body as { problems?: Problem[] } | null)?.problems : undefined;
      if (problems) {
        for (const grid of grids) grid.mark(problems);
        const list = el('ul', { class: 'problem-list', 'data-testid': 'problem-list' },
          ...problems.map((p) => el('li', {}, `${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}` +
            (p.table ? ` (${TITLES[p.table] ?? p.table}, row ${(p.row ?? 0) + 1}${p.column ? `, ${p.column}` : ''})` : ''))));
        status.replaceChildren(message(`Not saved: ${problems.length} problem(s). Fix the marked cells and save again.`, 'error'), list);
      } else {
        status.replaceChildren(message(`Not saved: ${(error as Error).message}`, 'error'));
      }
    } finally {
      save.disabled = false;
    }
  });
  editor.replaceChildren(el('h2', {}, `Copy of ${reply.id}`), form, status, ...grids.map((g) => g.element));
}

function savedPanel(saved: SaveReply): HTMLElement {
  const plan = el('button', { type: 'button', 'data-testid': 'plan-saved' }, 'Plan it');
  const planStatus = el('span', { class: 'form-status', role: 'status', 'data-testid': 'plan-saved-status' });
  plan.addEventListener('click', async () => {
    plan.disabled = true;
    planStatus.textContent = 'Solving…';
    try {
      const accepted = await apiPost<Accepted>(`/api/scenarios/${encodeURIComponent(saved.id)}/plan`, {});
      const run = await waitForRun(accepted.run_id);
      await refreshRuns();
      if (run.status === 'done') {
        planStatus.replaceChildren(`Run ${run.id} done. `,
          el('a', { href: `#/overview/${encodeURIComponent(run.id)}`, 'data-testid': 'plan-saved-link', 'data-scenario': saved.id }, 'Open it'));
        planStatus.querySelector('a')!.addEventListener('click', () => {
          state.scenarioId = saved.id;
          state.runId = run.id;
          notifyScenariosChanged();
        });
      } else {
        planStatus.textContent = `Run ${run.id} ${run.status}: ${runError(run)}`;
      }
    } catch (error) {
      planStatus.textContent = `Failed: ${(error as Error).message}`;
    } finally {
      plan.disabled = false;
    }
  });
  return el('div', { class: 'message', 'data-testid': 'saved' },
    `Saved as ${saved.id} (${saved.scenario.name}, ${saved.scenario.horizon_weeks} weeks). It is in the scenario list. `, plan, ' ', planStatus);
}
