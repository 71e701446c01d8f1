// Supply: plants and suppliers on a US map, domestic vs foreign spend of the
// latest plan, and the components with a single supplier.

import { PlanJson, ScenarioDetail } from '../api';
import { chart, Option, PALETTE, stableColor } from '../charts';
import { card, el, message, table } from '../dom';
import { pct, usd } from '../format';
import { currentRunId, loadRun, runPicker } from '../runpicker';
import { scenarioCheck, scenarioDetail } from '../state';
import { IDENTITY_PROJECTION, registerUsMap, stateName } from '../usmap';

interface StateRow {
  state: string;
  plants: string[];
  suppliers: number;
}

function stateRows(detail: ScenarioDetail): StateRow[] {
  const rows = new Map<string, StateRow>();
  const row = (code: string) => {
    const name = stateName(code) ?? code;
    if (!rows.has(name)) rows.set(name, { state: name, plants: [], suppliers: 0 });
    return rows.get(name)!;
  };
  for (const p of detail.plant_list) if (p.us_state) row(p.us_state).plants.push(p.id);
  for (const s of detail.suppliers) if (s.domestic && s.us_state) row(s.us_state).suppliers += 1;
  return [...rows.values()].sort((a, b) => a.state.localeCompare(b.state));
}

function mapChart(rows: StateRow[]): HTMLElement {
  const centroids = registerUsMap();
  const maxSuppliers = Math.max(1, ...rows.map((r) => r.suppliers));
  const plantPoints = rows.filter((r) => r.plants.length && centroids.has(r.state)).map((r) => ({
    name: r.state, value: [...centroids.get(r.state)!, r.plants.length], plants: r.plants,
  }));
  const option: Option = {
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesType: string; name: string; data?: { plants?: string[]; value?: number } }) => {
        const r = rows.find((x) => x.state === p.name);
        if (!r) return p.name;
        return `${r.state}<br/>plants: ${r.plants.join(', ') || 'none'}<br/>US suppliers: ${r.suppliers}`;
      },
    },
    visualMap: {
      min: 0, max: maxSuppliers, seriesIndex: 0, left: 10, bottom: 10, text: ['more US suppliers', 'none'],
      inRange: { color: ['#eef2f7', '#2f6fde'] }, calculable: false,
    },
    geo: { map: 'us-states', projection: IDENTITY_PROJECTION, roam: false, itemStyle: { borderColor: '#9aa5b1' } },
    series: [
      { type: 'map', geoIndex: 0, data: rows.map((r) => ({ name: r.state, value: r.suppliers })) },
      {
        type: 'scatter', coordinateSystem: 'geo', data: plantPoints, symbol: 'diamond', symbolSize: 18, color: PALETTE[1],
        label: { show: true, position: 'right', formatter: (p: { data: { plants: string[] } }) => p.data.plants.join(', '), fontWeight: 'bold' },
      },
    ],
  };
  return chart('US map: plants (diamonds) and US suppliers per state (shading)', option, 'chart-map', 420);
}

/// A plan's pre-tariff spend with suppliers, split into US and foreign, and per supplier (US first,
/// then foreign, each by spend).
interface SpendSplit {
  us: number;
  foreign: number;
  total: number;
  bySupplier: [string, number][];
}

function splitSpend(plan: PlanJson, detail: ScenarioDetail): SpendSplit {
  const domestic = new Set(detail.suppliers.filter((s) => s.domestic).map((s) => s.id));
  let us = 0;
  let foreign = 0;
  const bySupplier = Object.entries(plan.spend_usd_by_supplier ?? {}).filter(([, v]) => v > 0);
  for (const [supplier, spend] of bySupplier) {
    if (domestic.has(supplier)) us += spend;
    else foreign += spend;
  }
  bySupplier.sort((a, b) => Number(domestic.has(b[0])) - Number(domestic.has(a[0])) || b[1] - a[1]);
  return { us, foreign, total: us + foreign, bySupplier };
}

function spendChart(spend: SpendSplit, detail: ScenarioDetail): HTMLElement {
  const ids = detail.suppliers.map((s) => s.id);
  const { us, foreign, total, bySupplier } = spend;
  // Outer ring: the suppliers in SpendSplit's order; a supplier keeps its colour (file order).
  const option: Option = {
    tooltip: { trigger: 'item', valueFormatter: (v: unknown) => usd(Number(v)) },
    series: [
      { type: 'pie', radius: ['0%', '32%'], center: ['50%', '52%'], label: { position: 'inner', formatter: (p: { name: string; value: number }) => `${p.name}\n${pct(total > 0 ? p.value / total : 0)}`, color: '#fff' },
        data: [{ name: 'US', value: us, itemStyle: { color: '#1f7a4d' } }, { name: 'foreign', value: foreign, itemStyle: { color: '#5b6675' } }] },
      { type: 'pie', radius: ['40%', '62%'], center: ['50%', '52%'],
        itemStyle: { borderColor: '#fff', borderWidth: 1 },
        data: bySupplier.map(([name, value]) => ({ name, value, itemStyle: { color: stableColor(ids, name) } })),
        // Small slices get no label (the tooltip has them): labels of 1 % slices piled up.
        label: { formatter: (p: { name: string; value: number }) => (p.value / total >= 0.03 ? `${p.name} ${usd(p.value)}` : '') },
        labelLine: { show: true }, minShowLabelAngle: 8 },
    ],
  };
  return chart('Component spend, US vs foreign (inner ring), by supplier (outer ring, one colour per supplier)', option, 'chart-spend', 360);
}

export async function renderSupply(root: HTMLElement, args: string[]): Promise<void> {
  const runId = currentRunId(args);
  const run = runId ? await loadRun(runId) : null;
  const [detail, check] = await Promise.all([scenarioDetail(), scenarioCheck()]);
  if (run) root.append(runPicker('supply', run.id, detail.start_week));
  const rows = stateRows(detail);
  root.append(card('Plants and US suppliers by state', mapChart(rows),
    table<StateRow>('Plants and US suppliers per state', [
      { header: 'state', cell: (r) => r.state, rowHeader: true },
      { header: 'plants', cell: (r) => r.plants.join(', ') || '–' },
      { header: 'US suppliers', cell: (r) => String(r.suppliers), numeric: true },
    ], rows, { testId: 'state-table' })));

  const spendCard = card('Domestic vs foreign spend');
  const plan = run?.status === 'done' ? (run.result as PlanJson | undefined) : undefined;
  if (run && plan) {
    const spend = splitSpend(plan, detail);
    const inHouse = plan.cost_breakdown_usd?.in_house ?? 0;
    // domestic_content counts the component lines' value added as domestic (docs/cli.md), the
    // ring below only the suppliers: say both, so the two percentages do not look contradictory.
    spendCard.append(el('p', { 'data-testid': 'spend-summary' },
      `Run ${run.id}: domestic content achieved ${pct(plan.domestic_content)} (US purchases plus ${usd(inHouse)} ` +
      `in-house value added, over all purchases plus in-house value added, pre-tariff). Of ${usd(spend.total)} ` +
      `pre-tariff spend with suppliers, ${pct(spend.total > 0 ? spend.us / spend.total : 0)} goes to US suppliers (inner ring).`),
      spend.total > 0 ? spendChart(spend, detail) : message('This plan buys no components (parts on hand suffice).'));
  } else {
    spendCard.append(message('Run a plan (Overview) to see its spend.'));
  }
  const single = new Map<string, string[]>();
  for (const d of check.designs) {
    for (const c of d.rollup.single_source_components ?? []) single.set(c, [...(single.get(c) ?? []), d.id]);
  }
  const supplierOf = (component: string) => detail.suppliers.filter((s) => s.components.includes(component)).map((s) => `${s.id} (${s.country})`);
  const singleCard = card('Single-source components',
    table<[string, string[]]>('Components with one supplier, and the designs that use them', [
      { header: 'component', cell: (r) => r[0], rowHeader: true },
      { header: 'supplier', cell: (r) => supplierOf(r[0]).join(', ') || 'none' },
      { header: 'used by', cell: (r) => r[1].join(', ') },
    ], [...single], { testId: 'single-source' }));
  root.append(el('div', { class: 'grid2' }, spendCard, singleCard));
}
