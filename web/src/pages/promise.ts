// Promise dates: per site, the pegging of DESIGN.md (which plant ships which
// demand week, when it arrives, how late), with on-time figures per kind.

import { PeggingRow } from '../api';
import { card, el, kpi, message, table } from '../dom';
import { num, pct, racks, weekFormat } from '../format';
import { pickedPlanRun } from '../runpicker';

export async function renderPromise(root: HTMLElement, args: string[]): Promise<void> {
  const picked = await pickedPlanRun(root, 'promise', args);
  if (!picked) return;
  const { run, plan, detail } = picked;
  const wk = weekFormat(detail.start_week);
  if (!plan.pegging) {
    root.append(message(`Run ${run.id} was stored before the server kept the pegging: plan again to see it.`));
    return;
  }
  const kinds = Object.entries(plan.on_time_share ?? {}).filter(([, v]) => v !== null);
  root.append(el('div', { class: 'kpis' }, ...kinds.flatMap(([kind, share]) => [
    kpi(`${kind} on time`, pct(share)),
    kpi(`${kind}: mean weeks late`, num(plan.mean_weeks_late?.[kind] ?? null, 'weeks')),
  ])));
  const sites = [...new Set(plan.pegging.map((p) => p.site))];
  const siteName = (id: string) => detail.sites.find((s) => s.id === id)?.name ?? id;
  const filter = el('select', { id: 'promise-site', 'data-testid': 'promise-site' },
    el('option', { value: '' }, 'all sites'), ...sites.map((s) => el('option', { value: s }, `${s} (${siteName(s)})`)));
  const lateOnly = el('input', { type: 'checkbox', id: 'promise-late' });
  const out = el('div', { 'data-testid': 'promise-output' });
  const render = () => {
    const shown = sites.filter((s) => !filter.value || s === filter.value);
    out.replaceChildren(...shown.map((site) => {
      const rows = plan.pegging!.filter((p) => p.site === site && (!lateOnly.checked || p.weeks_late > 0));
      const owed = rows.reduce((a, p) => a + p.racks, 0);
      const late = rows.filter((p) => p.weeks_late > 0).reduce((a, p) => a + p.racks, 0);
      return card(`${site} · ${siteName(site)}`, table<PeggingRow>(`${racks(owed)} pegged, ${racks(late)} of them late`, [
        { header: 'design', cell: (p) => p.design, rowHeader: true },
        { header: 'kind', cell: (p) => p.kind },
        { header: 'demand week', cell: (p) => wk.label(p.demand_week) },
        { header: 'racks', cell: (p) => num(p.racks), numeric: true },
        { header: 'plant', cell: (p) => p.plant ?? 'not shipped' },
        { header: 'ships', cell: (p) => (p.ship_week === null ? '–' : wk.label(p.ship_week)) },
        { header: 'arrives (promise)', cell: (p) => (p.arrival_week === null ? 'not within the horizon' : wk.label(p.arrival_week)) },
        { header: 'weeks late', cell: (p) => (p.arrival_week === null ? `${p.weeks_late}+` : String(p.weeks_late)), numeric: true },
      ], rows, { testId: `pegging-${site}`, rowClass: (p) => (p.weeks_late > 0 ? 'row-fail' : '') }));
    }));
  };
  // One site at a time by default: the default scenario's pegging runs to thousands of rows.
  if (sites.length > 1) filter.value = sites[0];
  filter.addEventListener('change', render);
  lateOnly.addEventListener('change', render);
  root.append(el('div', { class: 'inline-form' }, el('label', { for: 'promise-site' }, 'Site'), filter,
    lateOnly, el('label', { for: 'promise-late' }, 'late only')), out);
  render();
}
